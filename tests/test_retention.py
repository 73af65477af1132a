"""Retention: spells from a hand-made register panel, Kaplan-Meier by hand, Cox on Rossi."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from lifelines.datasets import load_rossi

from mentorwijs.evaluation.errors import (
    CovariateError,
    MissingColumnsError,
    NoSpellsError,
    UnknownOutcomeError,
)
from mentorwijs.evaluation.retention import (
    cox_model,
    employment_spells,
    kaplan_meier,
)

MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"]


def _panel() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six months of register data for seven persons; None = month absent from the panel."""
    hours = {
        "A": [80, 80, 80, 0, 80, 80],  # starts 2019-02, 0 hours in April: leaves at t = 2
        "B": [60, 60, 60, 60, 60, 60],  # starts 2019-01, works throughout: censored at t = 5
        "C": [40, 40, 0, 40, 40, 40],  # starts 2019-03 with 0 hours: not at risk
        "D": [80, 80, 80, None, 0, 80],  # starts 2019-02, April missing: censored at t = 1
        "E": [0, 0, 0, 0, 0, 0],  # a control without a start month: not in the spells
        "F": [20, 20, 20, 20, 20, 20],  # starts 2019-07, after the extract: not observed
        "G": [30, 30, 30, 30, 30, 30],  # starts 2019-02, social assistance from April
    }
    rows = []
    for person, hs in hours.items():
        for i, (month, h) in enumerate(zip(MONTHS, hs, strict=True)):
            if h is None:
                continue
            benefit = "social_assistance" if person == "G" and i >= 3 else "none"
            rows.append(
                {"person_id": person, "month": month, "hours": float(h), "benefit": benefit}
            )
    persons = pd.DataFrame(
        {
            "person_id": list(hours),
            "treated": [True, True, True, True, False, True, False],
            "start_month": ["2019-02", "2019-01", "2019-03", "2019-02", None, "2019-07", "2019-02"],
        }
    )
    return pd.DataFrame(rows), persons


def test_it_derives_employment_spells_from_the_panel():
    months, persons = _panel()
    before = months.copy()
    with pytest.warns(UserWarning, match="1 of 6 persons had the event") as record:
        spells = employment_spells(months, persons, keep=["treated"])
    assert "1 have no register month" in str(record[0].message)
    got = spells.set_index("person_id")
    assert sorted(got.index) == ["A", "B", "D", "G"]
    assert got.loc["A", ["duration", "event"]].tolist() == [2, 1]
    assert got.loc["B", ["duration", "event"]].tolist() == [5, 0]
    assert got.loc["D", ["duration", "event"]].tolist() == [1, 0]
    assert got.loc["G", ["duration", "event"]].tolist() == [4, 0]
    assert not got.loc["G", "treated"]  # carried along by keep
    assert spells.attrs == {"not_at_risk": 1, "not_observed": 1}
    pd.testing.assert_frame_equal(months, before)


def test_it_derives_spells_off_benefit_and_censors_at_the_extract_end():
    months, persons = _panel()
    with pytest.warns(UserWarning, match="0 of 6 persons .* 1 have no register month"):
        spells = employment_spells(months, persons, outcome="off_benefit", extract_end="2019-05")
    got = spells.set_index("person_id")
    # G: start 2019-02 (t = 0), social assistance from 2019-04: t = 2.
    assert got.loc["G", ["duration", "event"]].tolist() == [2, 1]
    # A and B are never on social assistance: censored at 2019-05 (t = 3 and t = 4).
    assert got.loc["A", ["duration", "event"]].tolist() == [3, 0]
    assert got.loc["B", ["duration", "event"]].tolist() == [4, 0]
    # C has 0 hours in its start month but is not on assistance: at risk for this outcome.
    assert got.loc["C", ["duration", "event"]].tolist() == [2, 0]


def test_spells_refuse_unusable_input():
    months, persons = _panel()
    with pytest.raises(UnknownOutcomeError, match="choose one of"):
        employment_spells(months, persons, outcome="retired")  # type: ignore[arg-type]
    with pytest.raises(MissingColumnsError, match="start_month"):
        employment_spells(months, persons.drop(columns="start_month"))
    with pytest.raises(NoSpellsError):
        employment_spells(months, persons.assign(start_month=None))


# Six spells: durations 1, 2, 2+, 3, 4+, 5 (+ = censored).
HAND_SPELLS = pd.DataFrame(
    {
        "duration": [1, 2, 2, 3, 4, 5],
        "event": [1, 1, 0, 1, 0, 1],
        "arm": ["x", "x", "x", "y", "y", "y"],
    }
)


def test_kaplan_meier_by_hand():
    km = kaplan_meier(HAND_SPELLS, min_count=1).set_index("month")
    # month 1: 6 at risk, 1 event → S = 5/6
    # month 2: 5 at risk, 1 event (1 censored) → S = 5/6 × 4/5 = 2/3
    # month 3: 3 at risk, 1 event → S = 2/3 × 2/3 = 4/9
    # month 4: 2 at risk, 0 events (1 censored) → S = 4/9
    # month 5: 1 at risk, 1 event → S = 0
    assert km["at_risk"].tolist() == [6, 6, 5, 3, 2, 1]
    assert km["events"].tolist() == [0, 1, 1, 1, 0, 1]
    assert km["survival"].tolist() == pytest.approx([1, 5 / 6, 2 / 3, 4 / 9, 4 / 9, 0])
    # Greenwood on the log(-log S) scale at month 1: var(log S) = 1 / (6 × 5) = 1/30,
    # v = (1/30) / log(5/6)², S^exp(±1.959964 √v) = 0.273123 and 0.974712.
    v = (1 / 30) / math.log(5 / 6) ** 2
    z = 1.959963984540054
    assert km.loc[1, "ci_low"] == pytest.approx((5 / 6) ** math.exp(z * math.sqrt(v)))
    assert km.loc[1, "ci_high"] == pytest.approx((5 / 6) ** math.exp(-z * math.sqrt(v)))
    assert km.loc[1, "ci_low"] == pytest.approx(0.273123, abs=1e-6)
    assert (km["group"] == "all").all()


def test_kaplan_meier_per_group_and_disclosure():
    km = kaplan_meier(HAND_SPELLS, group_col="arm", min_count=1)
    x = km[km["group"] == "x"].set_index("month")
    # arm x: 1, 2, 2+ → S(1) = 2/3, S(2) = 2/3 × 1/2 = 1/3.
    assert x.loc[[1, 2], "survival"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert set(km["group"]) == {"x", "y"}
    # By default every row rests on fewer than 10 persons at risk: all blanked.
    km = kaplan_meier(HAND_SPELLS)
    assert km["suppressed"].all()
    assert km["survival"].isna().all()


# Fox J (2002). Cox proportional-hazards regression for survival data. Appendix to An R and
# S-PLUS Companion to Applied Regression. coxph(Surv(week, arrest) ~ fin + age + race + wexp
# + mar + paro + prio, data = Rossi): coefficient and se(coef), at the published precision.
FOX_2002 = {
    "fin": (-0.379, 3, 0.191, 3),
    "age": (-0.0574, 4, 0.0220, 4),
    "race": (0.314, 3, 0.308, 3),
    "wexp": (-0.150, 3, 0.212, 3),
    "mar": (-0.434, 3, 0.382, 3),
    "paro": (-0.0849, 4, 0.196, 3),
    "prio": (0.0915, 4, 0.0286, 4),
}


def test_cox_matches_fox_2002_on_the_rossi_data():
    rossi = load_rossi().rename(columns={"week": "duration", "arrest": "event"})
    fit = cox_model(rossi, covariates=list(FOX_2002)).set_index("term")
    for term, (coef, coef_dp, se, se_dp) in FOX_2002.items():
        assert round(fit.loc[term, "estimate"], coef_dp) == pytest.approx(coef), term
        assert round(fit.loc[term, "se"], se_dp) == pytest.approx(se), term
    assert fit.loc["fin", "hazard_ratio"] == pytest.approx(math.exp(fit.loc["fin", "estimate"]))
    assert fit.loc["fin", "ci_low"] < fit.loc["fin", "hazard_ratio"] < fit.loc["fin", "ci_high"]
    assert (fit["n_units"] == 432).all()
    assert (fit["n_events"] == 114).all()
    assert not fit["suppressed"].any()


def test_cox_refuses_unusable_covariates():
    rossi = load_rossi().rename(columns={"week": "duration", "arrest": "event"})
    with pytest.raises(CovariateError, match="dummy-code"):
        cox_model(rossi.assign(fin=rossi["fin"].map({0: "no", 1: "yes"})), covariates=["fin"])
    with pytest.raises(CovariateError, match="do not vary"):
        cox_model(rossi.assign(one=1.0), covariates=["fin", "one"])
    with pytest.raises(MissingColumnsError):
        cox_model(rossi, covariates=["nope"])
    rossi.loc[:9, "age"] = None
    with pytest.warns(UserWarning, match="10 spells"):
        fit = cox_model(rossi, covariates=["age"])
    assert (fit["n_units"] == 422).all()
