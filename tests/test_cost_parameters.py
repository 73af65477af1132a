"""The cost–benefit parameter file: it validates, every entry is sourced and dated, and the
norm is updated in one place."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import ValidationError

from mentorwijs.evaluation.costbenefit import REQUIRED_PARAMETERS
from mentorwijs.protocol.costs import (
    CostParameter,
    cost_parameters_yaml,
    load_cost_parameters,
    with_dated_value,
    with_norm,
    with_parameter,
)
from mentorwijs.protocol.errors import InvalidParameterFileError


def test_it_loads_the_shipped_file_with_every_parameter_the_model_needs():
    params = load_cost_parameters()
    assert set(params.parameters) >= REQUIRED_PARAMETERS
    assert params.country == "NL"
    assert params.currency == "EUR"


def test_every_parameter_has_a_source_a_date_a_unit_and_a_fitting_range():
    for name, p in load_cost_parameters().parameters.items():
        assert p.source.strip(), name
        assert isinstance(p.date, dt.date), name
        assert p.unit.strip(), name
        assert p.label.nl, name
        assert p.label.en, name
        assert p.low <= p.value <= p.high, name
        if p.distribution == "beta":
            assert 0 < p.low < p.high < 1, name
        if p.distribution in ("gamma", "lognormal"):
            assert 0 < p.low < p.high, name


def test_parameters_without_a_public_figure_say_so_and_have_a_range():
    for name, p in load_cost_parameters().parameters.items():
        if "no public" in p.source.lower() or "no single public" in p.source.lower():
            assert p.high > p.low, name


def test_the_norms_are_the_figures_of_the_issue():
    # Issue 7: EUR 1,283.83 a month at 1 Jan 2024; EUR 1,345.45 at 1 Jan 2025.
    norm = load_cost_parameters().get("social_assistance_norm")
    assert [(h.date, h.value) for h in norm.history] == [
        (dt.date(2024, 1, 1), 1283.83),
        (dt.date(2025, 1, 1), 1345.45),
    ]
    assert norm.value == 1345.45
    assert norm.distribution == "fixed"


def test_the_legal_rules_and_discount_rates_are_the_published_ones():
    p = load_cost_parameters()
    # Participatiewet art. 10d: cap 70 % of the minimum wage, 23.5 % employer-cost allowance.
    assert p.value("wage_subsidy_cap_share") == 0.70
    assert p.value("employer_cost_share") == 0.235
    # Werkgroep Discontovoet 2020: 2.25 % real; variants 3 % and 0 %.
    assert p.value("discount_rate") == 0.0225
    assert set(p.discount_rate_variants) == {0.03, 0.0}
    # Minimum hourly wage from 1 January 2025 (Ministry of SZW decision of 9 October 2024).
    assert p.value("minimum_wage_hourly") == 14.06


def test_with_norm_updates_the_norm_in_one_place_and_keeps_the_history():
    params = load_cost_parameters()
    new = with_norm(params, date=dt.date(2026, 1, 1), amount=1400.00)
    norm = new.get("social_assistance_norm")
    assert norm.value == 1400.00
    assert (norm.low, norm.high) == (1400.00, 1400.00)
    assert norm.date == dt.date(2026, 1, 1)
    assert [h.date.year for h in norm.history] == [2024, 2025, 2026]
    assert params.value("social_assistance_norm") == 1345.45  # the original is unchanged


def test_an_older_norm_goes_into_the_history_without_changing_the_current_value():
    new = with_norm(load_cost_parameters(), date=dt.date(2024, 7, 1), amount=1310.00)
    norm = new.get("social_assistance_norm")
    assert norm.value == 1345.45
    assert [h.value for h in norm.history] == [1283.83, 1310.00, 1345.45]


def test_with_dated_value_scales_a_range_that_is_not_a_point():
    params = with_parameter(
        load_cost_parameters(), "trainer_hourly_rate", value=100.0, low=80.0, high=120.0
    )
    new = with_dated_value(
        params, "trainer_hourly_rate", date=dt.date(2030, 1, 1), value=110.0, source="index"
    )
    p = new.get("trainer_hourly_rate")
    assert (p.low, p.value, p.high) == pytest.approx((88.0, 110.0, 132.0))


def test_the_file_round_trips_through_yaml(tmp_path):
    params = with_norm(load_cost_parameters(), date=dt.date(2026, 1, 1), amount=1400.0)
    path = tmp_path / "params.yaml"
    path.write_text(cost_parameters_yaml(params), encoding="utf-8")
    assert load_cost_parameters(path) == params


def _entry(**changes):
    base = {
        "label": {"nl": "x", "en": "x"},
        "group": "delivery",
        "value": 0.5,
        "unit": "share",
        "low": 0.2,
        "high": 0.8,
        "distribution": "beta",
        "source": "test",
        "date": "2025-01-01",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"high": 1.2},  # a share above 1
        {"low": 0.0},  # beta needs low > 0
        {"value": 0.9},  # value outside its range
        {"distribution": "gamma", "low": -1.0},  # negative amount
        {"source": ""},  # no source
        {"distribution": "uniform"},  # unknown family
        {"history": [{"date": "2024-01-01", "value": 0.4, "source": "x"}]},  # stale history
    ],
)
def test_a_bad_entry_is_refused(changes):
    with pytest.raises(ValidationError):
        CostParameter.model_validate(_entry(**changes))


def test_a_file_with_an_unknown_field_is_refused(tmp_path):
    data = yaml.safe_load(cost_parameters_yaml(load_cost_parameters()))
    data["parameters"]["trainer_hourly_rate"]["colour"] = "red"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InvalidParameterFileError, match=r"trainer_hourly_rate\.colour"):
        load_cost_parameters(path)


def test_unknown_parameter_names_say_which_exist():
    with pytest.raises(KeyError, match="trainer_hourly_rate"):
        load_cost_parameters().get("trainer_rate")
