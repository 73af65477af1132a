"""Employment outcomes and matching covariates from the register panel.

Every expected number is worked out by hand from the small panels below (the comments show
the arithmetic); the simulated study only checks that the fast and slow coding paths agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.errors import NoPrePeriodError
from mentorwijs.evaluation.register import (
    HOURS_12H,
    InvalidMonthError,
    InvalidPanelError,
    employment_outcomes,
    matching_covariates,
    month_index,
    month_label,
)

DTYPES = [object, "string[pyarrow]", "category"]


def months(first: str, n: int) -> list[str]:
    return list(month_label(month_index([first])[0] + np.arange(n)))


def panel(rows: list[tuple[str, str, float, float, str]], dtype: object) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["person_id", "month", "hours", "wage", "benefit"])
    df["benefit_amount"] = 0.0
    for col in ("person_id", "month", "benefit"):
        df[col] = df[col].astype(dtype)
    return df


def outcome_panel(dtype: object) -> pd.DataFrame:
    # A: hours 0, 10, 51.9, 52, 60, 0 in 2021-01..06.  B: 40 hours, but 2021-03 is absent.
    a = [0.0, 10.0, 51.9, 52.0, 60.0, 0.0]
    rows = [("A", m, h, 10 * h, "none") for m, h in zip(months("2021-01", 6), a, strict=True)]
    b_months = ["2021-01", "2021-02", "2021-04", "2021-05", "2021-06"]
    rows += [("B", m, 40.0, 400.0, "unemployment") for m in b_months]
    return panel(rows, dtype)


def test_it_converts_months_to_consecutive_integers() -> None:
    # 2021-01 -> 2021 * 12 + 1 - 1 = 24252; December 2020 is one less.
    assert month_index(["2021-01", "2020-12", "2000-01"]).tolist() == [24252, 24251, 24000]
    assert month_label([24252, 24251]).tolist() == ["2021-01", "2020-12"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_it_rejects_malformed_months(dtype: object) -> None:
    with pytest.raises(InvalidMonthError, match="YYYY-MM"):
        month_index(pd.Series(["2021-01", "2021-13"], dtype=dtype))
    with pytest.raises(InvalidMonthError, match="missing"):
        month_index(pd.Series(["2021-01", None], dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_it_derives_the_three_employment_outcomes(dtype: object) -> None:
    out = employment_outcomes(outcome_panel(dtype))
    a = out[out["person_id"] == "A"]
    # >= 1 hour: 0 no, 10 yes, 51.9 yes, 52 yes, 60 yes, 0 no.
    assert a["employed_1h"].tolist() == [False, True, True, True, True, False]
    # >= 12 hours a week = 12 * 52 / 12 = 52 hours in the month: only 52 and 60.
    assert HOURS_12H == 52.0
    assert a["employed_12h"].tolist() == [False, False, False, True, True, False]
    # three consecutive months: Feb-Mar-Apr ends in April, Mar-Apr-May in May.
    assert a["employed_3m"].tolist() == [False, False, False, True, True, False]
    b = out[out["person_id"] == "B"]
    # B works every month it has, but March is absent: only Apr-May-Jun is a run of three.
    assert b["employed_3m"].tolist() == [False, False, False, False, True]
    assert b["on_benefit"].all()
    assert not a["on_benefit"].any()
    assert a["earnings"].tolist() == [0.0, 100.0, 519.0, 520.0, 600.0, 0.0]
    assert out["month"].dtype == np.int32
    assert out["person_id"].cat.codes.tolist() == [0] * 6 + [1] * 5


def test_it_sorts_a_shuffled_panel_and_leaves_the_input_alone() -> None:
    df = outcome_panel("string[pyarrow]")
    shuffled = df.sample(frac=1.0, random_state=3)
    before = shuffled.copy()
    out = employment_outcomes(shuffled)
    pd.testing.assert_frame_equal(shuffled, before)
    expected = employment_outcomes(df)
    pd.testing.assert_frame_equal(
        out.assign(person_id=out["person_id"].astype(str)),
        expected.assign(person_id=expected["person_id"].astype(str)),
    )


def test_it_codes_persons_as_rows_of_register_persons() -> None:
    out = employment_outcomes(outcome_panel(object), person_ids=pd.Index(["B", "A", "C"]))
    # B is row 1 ... of the given ids: A -> 1, B -> 0; sorted by code, so B comes first.
    assert out["person_id"].cat.codes.tolist() == [0] * 5 + [1] * 6
    assert list(out["person_id"].cat.categories) == ["B", "A", "C"]


def test_it_rejects_a_broken_panel() -> None:
    df = outcome_panel(object)
    with pytest.raises(InvalidPanelError, match="occur twice"):
        employment_outcomes(pd.concat([df, df.iloc[[0]]]))
    with pytest.raises(InvalidPanelError, match="not in register_persons"):
        employment_outcomes(df, person_ids=pd.Index(["A"]))
    with pytest.raises(InvalidPanelError, match="unknown benefit"):
        employment_outcomes(df.assign(benefit="welfare"))


def test_it_codes_the_simulated_panel_alike_on_every_path(simulated: dict) -> None:
    m, p = simulated["register_months"], simulated["register_persons"]
    ref = employment_outcomes(m, person_ids=p["person_id"])  # string[pyarrow]: fast paths
    for dtype in (object, "category"):
        alt = m.astype(dict.fromkeys(("person_id", "month", "benefit"), dtype))
        out = employment_outcomes(alt, person_ids=p["person_id"])
        assert out.dtypes.equals(ref.dtypes)
        assert out.equals(ref)  # (assert_frame_equal takes seconds on these categoricals)


@pytest.fixture(scope="module")
def simulated() -> dict:
    from mentorwijs.simulation import simulate_study

    return simulate_study(seed=1).tables


def persons() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["T1", "C1"],
            "treated": [True, False],
            "start_month": ["2021-01", None],
            "region_id": ["R10", "R20"],
            "sex": ["f", "m"],
            "birth_year": [1990, 1980],
            "education": ["low", None],
            "migration_background": [False, True],
            "sector": ["retail", "care"],
            "employer_size": ["small", "large"],
            "sheltered": [False, False],
            "temporary_contract": [True, False],
            "years_in_job": [1.5, 4.0],
            "hourly_wage": [12.5, 14.0],
        }
    )


def covariate_panel(dtype: object) -> pd.DataFrame:
    rows = []
    # T1, start 2021-01: months -24..-1 are 2019-01..2020-12, plus the start month itself.
    for m in months("2019-01", 25):
        worked = m in {"2019-02", "2019-05", "2019-12"} or (
            m.startswith("2020")
            and m not in {"2020-02", "2020-04", "2020-06", "2020-08", "2020-10"}
        )
        benefit = {"2020-03": "social_assistance", "2019-06": "sickness"}.get(m, "none")
        if m == "2021-01":  # the start month itself never counts
            worked, benefit = True, "disability"
        rows.append(("T1", m, 80.0 if worked else 0.0, 1000.0 if worked else 0.0, benefit))
    # C1: pseudo-start = the treated's median start 2021-01; panel begins 2020-01 (no -24..-13).
    for i, m in enumerate(months("2020-01", 18)):
        benefit = {"2020-12": "unemployment", "2020-01": "disability"}.get(m, "none")
        rows.append(("C1", m, 20.0 if i % 2 == 0 else 0.0, 300.0 if i % 2 == 0 else 0.0, benefit))
    return panel(rows, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_it_derives_the_prior_twelve_month_covariates(dtype: object) -> None:
    with pytest.warns(UserWarning, match="0 persons have fewer than 12 months .* and 1 in"):
        cov = matching_covariates(persons(), covariate_panel(dtype))
    t1, c1 = cov.iloc[0], cov.iloc[1]
    assert t1["reference_month"] == "2021-01"
    assert c1["reference_month"] == "2021-01"
    # T1 worked 2020 except Feb, Apr, Jun, Aug, Oct: 12 - 5 = 7 months; 7 x 1000 / 12 euros.
    assert t1["months_worked_12m"] == 7
    assert t1["earnings_12m"] == pytest.approx(7000 / 12)
    # social assistance in 2020-03 counts; sickness in 2019-06 lies before the window.
    assert t1["benefit_sa_ue_12m"]
    assert not t1["benefit_sick_dis_12m"]
    # -24..-13 = 2019: worked in Feb, May, Dec.
    assert t1["months_worked_24_13m"] == 3
    # C1 works the even months of 2020 (Jan, Mar, ..., Nov) = 6; 6 x 300 / 12 euros.
    assert c1["months_worked_12m"] == 6
    assert c1["earnings_12m"] == pytest.approx(1800 / 12)
    assert c1["benefit_sa_ue_12m"]
    assert c1["benefit_sick_dis_12m"]
    assert np.isnan(c1["months_worked_24_13m"])
    assert t1["age"] == 2021 - 1990
    assert c1["age"] == 2021 - 1980
    assert list(cov["pre_months_12m"]) == [12, 12]
    assert cov["education"].isna().tolist() == [False, True]


def test_it_accepts_the_outcome_panel_instead_of_the_raw_one() -> None:
    raw = covariate_panel("string[pyarrow]")
    out = employment_outcomes(raw, person_ids=persons()["person_id"])
    with pytest.warns(UserWarning, match="months -24..-13"):
        a = matching_covariates(persons(), raw)
    with pytest.warns(UserWarning, match="months -24..-13"):
        b = matching_covariates(persons(), out)
    pd.testing.assert_frame_equal(a, b)


def test_it_places_controls_at_the_given_pseudo_start() -> None:
    # C1 at 2020-07: window 2019-07..2020-06 holds only 2020-01..06, worked Jan, Mar, May.
    with pytest.warns(UserWarning, match="1 persons have fewer than 12 months"):
        cov = matching_covariates(
            persons(), covariate_panel(object), pseudo_start=pd.Series({"C1": "2020-07"})
        )
    c1 = cov.iloc[1]
    assert c1["reference_month"] == "2020-07"
    assert c1["months_worked_12m"] == 3
    assert c1["pre_months_12m"] == 6
    assert c1["benefit_sick_dis_12m"]
    assert not c1["benefit_sa_ue_12m"]


def test_it_refuses_a_panel_without_pre_period_months() -> None:
    with pytest.raises(NoPrePeriodError, match="panel without pre-period months"):
        matching_covariates(persons(), covariate_panel(object), reference="2019-01")
    p = persons()
    p.loc[0, "start_month"] = None
    with pytest.raises(InvalidMonthError, match="no start_month"):
        matching_covariates(p, covariate_panel(object))
