"""Cost–benefit analysis: arithmetic worked by hand, the MKBA's transfers, the tornado and
the probabilistic analysis against closed forms, and the errors.

The hand-worked case: one in-person group, two trainers, five logged meetings of 2 hours,
four enrolled supervisors (S1 and S2 at all five meetings, S3 at three, S4 at none), four
employees of whom three belong to trained supervisors; every parameter fixed at a round
value (``HAND``). Each expected number is worked out in the comment next to it.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from mentorwijs.evaluation.costbenefit import CostBenefitResult, cost_benefit, with_overrides
from mentorwijs.evaluation.costbenefit_effect import effect_profile
from mentorwijs.evaluation.costbenefit_flows import (
    benefit_cost_ratio,
    break_even_month,
    discount_factors,
    present_value,
)
from mentorwijs.evaluation.costbenefit_uncertainty import acceptability, fit_distribution
from mentorwijs.evaluation.costs_model import cost_lines
from mentorwijs.evaluation.costs_registry import cost_quantities, guidance_from_responses
from mentorwijs.evaluation.errors import (
    InvalidCostBenefitOptionError,
    InvalidCostParametersError,
    InvalidEffectProfileError,
    InvalidHorizonError,
    MissingColumnsError,
    NoEmployeesReachedError,
    UnknownParameterError,
)
from mentorwijs.protocol.costs import CostParameters, load_cost_parameters, with_parameter
from mentorwijs.studydata import coerce_table

HAND = {
    "trainer_hourly_rate": 100.0,
    "meeting_hours": 2.5,
    "preparation_hours_per_meeting": 1.0,
    "travel_hours_per_meeting": 0.5,
    "travel_cost_per_meeting": 20.0,
    "venue_per_meeting": 150.0,
    "meal_per_person": 15.0,
    "materials_per_participant": 25.0,
    "licence_per_group": 500.0,
    "train_the_trainer_fee": 1200.0,
    "groups_per_trained_trainer": 6.0,
    "coordination_hours_per_group": 10.0,
    "coordination_hourly_rate": 80.0,
    "supervisor_hourly_wage_cost": 50.0,
    "extra_guidance_share": 0.5,
    "extra_guidance_hours_per_week": 4.0,
    "extra_guidance_months": 2.0,
    "social_assistance_norm": 1000.0,
    "assistance_offset_share": 0.6,
    "minimum_wage_hourly": 15.0,
    "hours_per_week": 12.0,
    "employer_cost_share": 0.25,
    "productivity_share": 0.5,
    "wage_subsidy_share": 0.4,
    "wage_subsidy_cap_share": 0.7,
    "job_coach_hours_per_month": 2.0,
    "job_coach_hourly_rate": 60.0,
    "tax_share_of_earnings": 0.1,
    "replacement_cost": 2000.0,
    "replacement_share": 0.5,
    "employer_turnover_cost": 3000.0,
    "displacement_share": 0.25,
    "discount_rate": 0.0,
    "sroi_deadweight": 0.0,
    "sroi_attribution": 0.0,
    "sroi_drop_off": 0.0,
}
# Per employee per extra month in work, from HAND:
#   wage w = 15 x 12 x 52/12 = 780; wage cost 780 x 1.25 = 975
#   production 975 x (0.4 x 0.5 + 0.6) = 780; displacement 0.25 x 780 = 195
#   wage-cost subsidy 0.4 x min(780 x 0.5, 0.7 x 780) x 1.25 = 195
#   social assistance 1000 x 0.6 = 600; job coach 2 x 60 = 120; tax 0.1 x 780 = 78
#   municipality 600 - 195 - 120 = 285; central government 0.25 x 780 + 78 = 273
#   public budget 285 + 273 = 558; MKBA 780 - 195 - 120 = 465
# Per avoided exit: municipality 0.5 x 2000 = 1000; employer 3000.
# Programme costs (municipality): trainer hours 100 x (2 x 5 x 2 + 10 x 1 + 10 x 0.5) = 3500,
#   travel 20 x 10 = 200, venue 150 x 5 = 750, meals 15 x (5 + 5 + 5 + 4 + 4) = 345,
#   materials 25 x 4 = 100, licence 500, train-the-trainer 1200 x 2 / 6 = 400,
#   coordination 10 x 80 = 800: 6595 in all.
# Employer: supervisors' time 13 attended meetings x 2 h x 50 = 1300; extra guidance
#   3 x 0.5 x 4 x 52/12 x 50 = 1300 a month for 2 months.
MUNICIPALITY_COSTS = 6595.0
N_EMPLOYEES = 3


def hand_params(**changes: float) -> CostParameters:
    """Every parameter fixed at its HAND value (or the value given)."""
    params = load_cost_parameters()
    for name, value in {**HAND, **changes}.items():
        params = with_parameter(
            params, name, value=value, low=value, high=value, distribution="fixed", history=()
        )
    return params


def registry(costs: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    sup = ["S1", "S2", "S3", "S4"]
    present = {"S1": [1, 2, 3, 4, 5], "S2": [1, 2, 3, 4, 5], "S3": [1, 2, 3], "S4": []}
    t = {
        "training_groups": pd.DataFrame(
            {
                "training_group_id": ["G1"],
                "region_id": ["R10"],
                "provider_id": ["P1"],
                "trainer_1_id": ["TR1"],
                "trainer_2_id": ["TR2"],
                "mode": ["in_person"],
                "capacity": [12],
                "start_date": [pd.Timestamp("2021-03-01")],
            }
        ),
        "meetings": pd.DataFrame(
            {
                "training_group_id": ["G1"] * 5,
                "meeting_no": [1, 2, 3, 4, 5],
                "date": pd.date_range("2021-03-01", periods=5, freq="7D"),
                "mode": ["in_person"] * 5,
                "held": [True] * 5,
                "planned_parts": [6] * 5,
                "delivered_parts": [6] * 5,
                "duration_minutes": [120] * 5,
            }
        ),
        "supervisors": pd.DataFrame(
            {
                "supervisor_id": sup,
                "organisation_id": ["O1"] * 4,
                "training_group_id": ["G1"] * 4,
                "sex": ["f", "m", "f", "m"],
                "age": [40] * 4,
                "years_experience": [5] * 4,
                "employees_guided": [2, 1, 1, 1],
            }
        ),
        "attendance": pd.DataFrame(
            {
                "training_group_id": ["G1"] * 20,
                "meeting_no": [m for _ in sup for m in range(1, 6)],
                "supervisor_id": [s for s in sup for _ in range(5)],
                "present": [m in present[s] for s in sup for m in range(1, 6)],
            }
        ),
        "employees": pd.DataFrame(
            {
                "employee_id": ["E1", "E2", "E3", "E4"],
                "supervisor_id": ["S1", "S1", "S2", "S4"],
                "sex": ["f", "m", "f", "m"],
                "age": [30] * 4,
                "disability": ["intellectual"] * 4,
                "consent_questionnaire": [True] * 4,
                "consent_register": [True] * 4,
                "register_person_id": [None] * 4,
            }
        ),
    }
    if costs is not None:
        t["costs"] = costs
    return {name: coerce_table(name, df) for name, df in t.items()}


def flat_effect(months: int = 12, estimate: float = 0.1, se: float = 0.02) -> pd.DataFrame:
    return pd.DataFrame(
        {"event_month": range(months), "estimate": estimate, "se": se, "n_treated": 73}
    )


def run(params: CostParameters | None = None, **kwargs) -> CostBenefitResult:
    opts = {"horizon_months": 24, "n_draws": 200, "seed": 1, **kwargs}
    return cost_benefit(registry(), flat_effect(), params=params or hand_params(), **opts)


def base_row(result: CostBenefitResult, view: str) -> pd.Series:
    s = result.summary
    return s[(s["view"] == view) & s["base_rate"]].iloc[0]


# --- arithmetic ----------------------------------------------------------------------------


def test_it_discounts_monthly_from_an_annual_rate():
    d = discount_factors(25, 0.0225)
    assert d[0] == 1.0
    assert d[12] == pytest.approx(1 / 1.0225, abs=1e-15)  # one year: 1 / (1 + r)
    assert d[24] == pytest.approx(1 / 1.0225**2, abs=1e-15)


def test_present_value_to_the_cent():
    # 100 a month for 12 months at 2.25 %: 100 (1 - 1.0225^-1) / (1 - 1.0225^(-1/12))
    # = 1,187.848689 (40-digit decimal arithmetic).
    assert round(float(present_value([100.0] * 12, 0.0225)), 2) == 1187.85
    assert round(float(present_value([100.0] * 12, 0.0)), 2) == 1200.00


def test_npv_bcr_and_break_even_worked_by_hand():
    flows = np.array([-1000.0] + [0.0] * 23) + 100.0  # cost 1000 in month 0, 100 every month
    # Undiscounted: NPV = 24 x 100 - 1000 = 1400; BCR = 2400 / 1000 = 2.4; the cumulative
    # sum is -1000 + 100 (t + 1), first >= 0 at t = 9.
    assert float(present_value(flows, 0.0)) == pytest.approx(1400.0, abs=0.005)
    assert float(benefit_cost_ratio(2400.0, 1000.0)) == 2.4
    assert break_even_month(flows, 0.0) == 9.0
    # At 2.25 % the first ten months are worth 991.70 < 1000 and eleven 1,089.87: month 10.
    assert break_even_month(flows, 0.0225) == 10.0


def test_break_even_is_the_month_from_which_the_sum_stays_positive():
    assert break_even_month([-100.0, 200.0, -50.0], 0.0) == 1.0  # -100, 100, 50
    assert np.isnan(break_even_month([-100.0, 200.0, -200.0], 0.0))  # ends at -100
    assert np.isnan(benefit_cost_ratio(10.0, 0.0))


# --- effect profile ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("zero", [0.1, 0.1, 0.1, 0.0, 0.0, 0.0]),
        ("constant", [0.1] * 6),
        ("linear", [0.1, 0.1, 0.1, 0.05, 0.0, 0.0]),  # to zero over 2 months
    ],
)
def test_extrapolation_rules(rule, expected):
    prof = effect_profile(flat_effect(3), horizon_months=6, extrapolation=rule, decay_months=2)
    assert prof.horizon == pytest.approx(expected)


def test_gaps_are_interpolated_and_pre_periods_dropped():
    effect = pd.DataFrame(
        {"event_month": [-2, -1, 1, 3], "estimate": [9.0, 9.0, 0.2, 0.4], "se": 0.01}
    )
    with pytest.warns(UserWarning, match=r"\[2\]"):
        prof = effect_profile(effect, horizon_months=5)
    # month 0 rises from 0 at month -1 to 0.2 at month 1; month 2 halfway between 0.2 and 0.4
    assert prof.horizon == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.0])


def test_a_95_percent_interval_gives_the_standard_error():
    # Published estimates for employed >= 1 hour (Schaap et al. 2023), month 3: +0.05
    # (-0.07 to 0.16): se = 0.23 / (2 x 1.96) = 0.0587.
    effect = pd.DataFrame(
        {"event_month": [3], "estimate": [0.05], "ci_low": -0.07, "ci_high": 0.16}
    )
    prof = effect_profile(effect, horizon_months=4)
    assert prof.se[0] == pytest.approx(0.23 / (2 * 1.959964), abs=1e-6)


# --- cost model ----------------------------------------------------------------------------


def test_the_cost_model_prices_a_group_by_hand():
    q = cost_quantities(registry())
    assert (q.n_groups, q.trained, q.employees_reached) == (1, 3, 3)
    lines = cost_lines(q, hand_params().values()).set_index("item")["amount"]
    assert lines.to_dict() == pytest.approx(
        {
            "coordination": 800.0,
            "extra_guidance": 2600.0,
            "licence": 500.0,
            "materials": 100.0,
            "meals": 345.0,
            "supervisor_time": 1300.0,
            "train_the_trainer": 400.0,
            "trainer_hours": 3500.0,
            "trainer_travel": 200.0,
            "venue": 750.0,
        }
    )


def test_cost_entries_replace_the_parameter_prices_of_their_category():
    costs = pd.DataFrame(
        {
            "cost_id": ["C1", "C2"],
            "training_group_id": ["G1", None],
            "region_id": ["R10", "R10"],
            "item": ["trainer_invoice", "programme_coordination"],
            "category": ["trainer", "coordination"],
            "payer": ["municipality", "provider"],
            "quantity": [40.0, 10.0],
            "unit": ["hour", "hour"],
            "unit_cost": [90.0, 100.0],
            "source": ["invoice", "registry"],
        }
    )
    q = cost_quantities(registry(costs))
    lines = cost_lines(q, hand_params().values())
    items = set(lines["item"])
    assert "trainer_hours" not in items
    assert "trainer_travel" not in items
    invoice = lines[lines["item"] == "trainer_invoice"].iloc[0]
    assert invoice["amount"] == 3600.0  # 40 h x 90
    assert invoice["source"] == "costs table: invoice"
    programme = lines[lines["item"] == "programme_coordination"].iloc[0]
    assert pd.isna(programme["training_group_id"])
    assert programme["actor"] == "society"  # a provider's cost
    # the group-level coordination is still priced from the parameters (different group key)
    assert lines.loc[lines["item"] == "coordination", "amount"].iloc[0] == 800.0


def test_guidance_hours_come_from_the_questionnaires():
    yes = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1]
    hours = [2.0, 4.0, 6.0, 8.0, 3.0, 5.0, 7.0, 9.0, 4.0, 6.0]
    rows = [(f"S{i}", "extra_time", float(v)) for i, v in enumerate(yes)]
    rows += [(f"S{i}", "extra_hours", h) for i, h in enumerate(hours)]
    responses = pd.DataFrame(rows, columns=["respondent_id", "item", "value"]).assign(
        role="supervisor", instrument="sv_process", submitted_at=pd.Timestamp("2021-05-01")
    )
    params = guidance_from_responses(responses, load_cost_parameters())
    share = params.get("extra_guidance_share")
    # 6 of 12 said yes; statsmodels proportion_confint(6, 12, method="wilson")
    lo, hi = proportion_confint(6, 12, alpha=0.05, method="wilson")
    assert (share.value, share.low, share.high) == pytest.approx((0.5, lo, hi))
    assert share.date == dt.date(2021, 5, 1)
    h = params.get("extra_guidance_hours_per_week")
    # mean 5.4; scipy.stats.t.interval(0.95, 9, loc=5.4, scale=sd / sqrt(10))
    t_lo, t_hi = stats.t.interval(0.95, 9, loc=5.4, scale=np.std(hours, ddof=1) / math.sqrt(10))
    assert (h.value, h.low, h.high) == pytest.approx((5.4, t_lo, t_hi))
    with pytest.warns(UserWarning, match="only") as record:
        kept = guidance_from_responses(responses.iloc[:3], load_cost_parameters())
    assert [str(w.message)[:26] for w in record] == [
        "only 3 supervisors answere",
        "only 0 supervisors gave ex",
    ]
    assert kept == load_cost_parameters()  # too few answers: the defaults stay


# --- views ---------------------------------------------------------------------------------


def test_the_views_worked_by_hand_undiscounted():
    r = run()
    # 0.1 more in work for 12 months: 1.2 months per employee, 3.6 for the 3 employees.
    pb = base_row(r, "public_budget")
    assert pb["pv_costs"] == pytest.approx(MUNICIPALITY_COSTS, abs=0.005)
    assert pb["pv_effects"] == pytest.approx(3.6 * 558, abs=0.005)  # 2,008.80
    assert pb["npv"] == pytest.approx(2008.80 - 6595.0, abs=0.005)  # -4,586.20
    assert pb["bcr"] == pytest.approx(2008.80 / 6595.0, abs=1e-9)
    assert pb["roi"] == pytest.approx(-4586.20 / 6595.0, abs=1e-9)
    assert np.isnan(pb["break_even_month"])
    mun = base_row(r, "municipality")
    assert mun["npv"] == pytest.approx(3.6 * 285 - 6595.0, abs=0.005)  # -5,569.00
    mkba = base_row(r, "mkba")
    # all programme costs: 6595 + 1300 + 2 x 1300 = 10,495; effects 3.6 x 465 = 1,674
    assert mkba["pv_costs"] == pytest.approx(10495.0, abs=0.005)
    assert mkba["npv"] == pytest.approx(1674.0 - 10495.0, abs=0.005)
    assert mkba["npv_per_employee"] == pytest.approx((1674.0 - 10495.0) / 3, abs=0.005)


def test_the_public_budget_at_the_default_rate_to_the_cent():
    r = run(hand_params(discount_rate=0.0225))
    pb = base_row(r, "public_budget")
    # 3 x (558 x 0.1 x sum_{t<12} v^t + 1000 x 0.1 x (1 - v^12)), v = 1.0225^(-1/12):
    # 1,995.060172 (40-digit decimal arithmetic); NPV = 1995.06 - 6595 = -4,599.94.
    assert round(pb["pv_effects"], 2) == 1995.06
    assert round(pb["npv"], 2) == -4599.94
    rates = set(r.summary["discount_rate"])
    assert rates == {0.0225, 0.03, 0.0}  # default plus the file's variants


def test_mkba_nets_every_transfer_to_zero_while_the_actor_table_keeps_it():
    r = run(hand_params(discount_rate=0.0225))
    dist = r.distribution
    transfers = dist[dist["transfer"]]
    assert set(transfers["item"]) == {
        "wages",
        "employer_costs",
        "income_tax",
        "wage_subsidy",
        "social_assistance",
    }
    for item, rows in transfers.groupby("item"):
        assert len(rows) == 2, item  # one row per side
        assert (rows["pv"].abs() > 1).all(), item  # visible for each actor
        assert rows["pv"].sum() == pytest.approx(0.0, abs=1e-9), item  # nets to zero
    priced = dist[dist["priced"]]
    mkba = base_row(r, "mkba")
    assert priced["pv"].sum() == pytest.approx(mkba["npv"], abs=1e-6)
    assert priced.loc[~priced["transfer"], "pv"].sum() == pytest.approx(mkba["npv"], abs=1e-6)
    public = priced[priced["actor"].isin(["municipality", "central_government"])]
    assert public["pv"].sum() == pytest.approx(base_row(r, "public_budget")["npv"], abs=1e-6)
    assert r.actors["npv"].sum() == pytest.approx(mkba["npv"], abs=1e-6)
    pm = dist[dist["kind"] == "pm"]
    assert len(pm) >= 3
    assert pm["pv"].isna().all()
    assert not pm["priced"].any()
    # the employee's income: wage minus tax minus the assistance lost, 3.6 x 102 undiscounted
    emp = run().actors.set_index("actor").loc["employee", "npv"]
    assert emp == pytest.approx(3.6 * 102, abs=0.005)


def test_the_effect_needed_to_break_even_in_words():
    be = run().break_even
    row = be[(be["view"] == "public_budget") & (be["months_kept"] == 12)].iloc[0]
    # cost per employee 6595 / 3 = 2,198.33; a person kept 12 months is worth 558 x 12 = 6,696
    # (the exit is deferred, not avoided: +1000 at month 0, -1000 at month 12).
    assert row["cost_per_employee"] == pytest.approx(2198.3333, abs=1e-4)
    assert row["value_per_person_kept"] == pytest.approx(6696.0, abs=1e-9)
    assert row["people_per_100"] == pytest.approx(100 * 2198.3333 / 6696.0, abs=1e-4)  # 32.83
    assert bool(row["reachable"])


def test_sroi_applies_attribution_to_the_mkba_effects():
    r = run(hand_params(sroi_attribution=0.2))
    assert base_row(r, "sroi")["pv_effects"] == pytest.approx(
        0.8 * base_row(r, "mkba")["pv_effects"], abs=1e-6
    )
    assert "sroi" not in set(run(sroi=False).summary["view"])


# --- uncertainty ---------------------------------------------------------------------------


def test_the_tornado_ranks_a_dominant_parameter_first():
    params = with_parameter(
        hand_params(), "trainer_hourly_rate", low=10.0, high=1000.0, distribution="gamma"
    )
    tor = run(params).tornado
    pb = tor[tor["view"] == "public_budget"].reset_index(drop=True)
    first = pb.iloc[0]
    assert first["parameter"] == "trainer_hourly_rate"
    # 35 trainer hours: the NPV moves by 35 x (100 - 10) and 35 x (1000 - 100)
    assert first["npv_low"] == pytest.approx(-4586.20 + 35 * 90, abs=0.005)
    assert first["npv_high"] == pytest.approx(-4586.20 - 35 * 900, abs=0.005)
    assert first["swing"] == pytest.approx(35 * 990, abs=0.005)
    assert pb["swing"].is_monotonic_decreasing
    assert list(tor.columns) == [
        "view",
        "parameter",
        "base_value",
        "low_value",
        "high_value",
        "npv_base",
        "npv_low",
        "npv_high",
        "swing",
    ]
    # the effect's row moves 12 months by +-1.96 x 0.02 for 3 employees at 558 a month
    eff = pb[pb["parameter"] == "employment_effect"].iloc[0]
    assert eff["swing"] == pytest.approx(2 * 1.959964 * 0.02 * 12 * 3 * 558, rel=1e-6)


def test_the_psa_is_reproducible_with_a_seed():
    a = run(n_draws=500, seed=7).psa_summary
    b = run(n_draws=500, seed=7).psa_summary
    c = run(n_draws=500, seed=8).psa_summary
    pd.testing.assert_frame_equal(a, b)
    assert not a["npv_mean"].equals(c["npv_mean"])


@pytest.mark.parametrize("rho", [0.0, 1.0])
def test_the_psa_matches_a_linear_model_with_normal_inputs(rho):
    # Public budget, undiscounted, every parameter fixed except the trainer's rate R ~
    # N(100, (80 / 3.92)^2) (range 60-140 as a 95 % interval) and the 12 monthly effects
    # e_t ~ N(0.1, 0.02^2) with correlation rho:
    #   NPV = 3 x 558 x sum_t e_t - (35 R + 3095), linear in normal inputs, so
    #   E[NPV] = 1674 x 1.2 - 6595 = -4586.2
    #   Var[NPV] = 1674^2 x 0.02^2 x (12 (1 - rho) + 144 rho) + 35^2 x (80 / 3.92)^2.
    params = with_parameter(
        hand_params(), "trainer_hourly_rate", low=60.0, high=140.0, distribution="normal"
    )
    res = cost_benefit(
        registry(),
        flat_effect(),
        params=params,
        horizon_months=24,
        n_draws=100_000,
        seed=2023,
        effect_correlation=rho,
    )
    npv = res.psa_npv["public_budget"]
    sd_rate = 80 / (2 * 1.959963984540054)
    var = 1674**2 * 0.02**2 * (12 * (1 - rho) + 144 * rho) + 35**2 * sd_rate**2
    assert npv.mean() == pytest.approx(-4586.2, abs=4 * math.sqrt(var / 100_000))
    assert npv.var(ddof=1) == pytest.approx(var, rel=0.02)
    row = res.psa_summary.set_index("view").loc["public_budget"]
    assert row["p_npv_positive"] == pytest.approx(stats.norm.sf(4586.2 / math.sqrt(var)), abs=0.005)


def test_the_acceptability_curve_rises_with_willingness_to_pay():
    acc = run(n_draws=2000, wtp_per_month=[0.0, 1000.0, 5000.0]).acceptability
    mun = acc[acc["view"] == "municipality"]["p_positive"].to_numpy()
    assert mun[0] <= mun[1] <= mun[2]
    # At 5000 a month the municipality's net benefit is -6595 + (285 + 5000) x 36 x e, with
    # e ~ N(0.1, 0.02^2) the mean monthly effect (correlation 1): positive when
    # z > (6595 / (5285 x 36) - 0.1) / 0.02 = -3.2668, probability 0.99946.
    assert mun[2] == pytest.approx(stats.norm.sf((6595 / (5285 * 36) - 0.1) / 0.02), abs=0.002)


@pytest.mark.parametrize("family", ["gamma", "beta", "lognormal"])
def test_each_range_is_the_95_percent_interval_of_its_fitted_distribution(family):
    p = load_cost_parameters()
    name = {
        "gamma": "trainer_hourly_rate",
        "beta": "displacement_share",
        "lognormal": "replacement_cost",
    }[family]
    param = p.get(name)
    fam, args = fit_distribution(param)
    dist = {
        "gamma": lambda: stats.gamma(args[0], scale=args[1]),
        "beta": lambda: stats.beta(*args),
        "lognormal": lambda: stats.lognorm(args[1], scale=math.exp(args[0])),
    }[fam]()
    assert dist.ppf([0.025, 0.975]) == pytest.approx([param.low, param.high], rel=1e-6)


# --- a simulated study and bad input -------------------------------------------------------


def test_it_runs_on_a_simulated_study_with_the_planted_profile():
    from mentorwijs.simulation import simulate_study

    s = simulate_study(seed=1)
    planted = s.truth["employment"]["employed_1h_att_by_event_month"]
    effect = pd.DataFrame(
        {"event_month": [int(k) for k in planted], "estimate": list(planted.values()), "se": 0.05}
    )
    before = {k: v.copy() for k, v in s.tables.items()}
    res = cost_benefit(s.tables, effect, n_draws=1000)
    for k, v in before.items():
        pd.testing.assert_frame_equal(s.tables[k], v)  # the caller's tables are unchanged
    tables = res.tables()
    assert set(tables) == {
        "cb_summary",
        "cb_costs",
        "cb_cost_summary",
        "cb_benefits",
        "cb_distribution",
        "cb_actors",
        "cb_break_even",
        "cb_tornado",
        "cb_psa_summary",
        "cb_psa_break_even",
        "cb_acceptability",
        "cb_profile",
        "cb_parameters",
    }
    assert tables["cb_summary"][["pv_costs", "pv_effects", "npv"]].notna().all().all()
    assert (
        "questionnaires"
        in res.parameters.set_index("parameter").loc["extra_guidance_share", "source"]
    )


def test_it_does_not_change_the_callers_effect_table_or_parameters():
    effect = flat_effect()
    params = hand_params()
    before_e, before_p = effect.copy(), params.model_copy(deep=True)
    cost_benefit(registry(), effect, params=params, horizon_months=24, n_draws=50)
    pd.testing.assert_frame_equal(effect, before_e)
    assert params == before_p


@pytest.mark.parametrize("horizon", [-12, 0, 60.5, True])
def test_a_bad_horizon_is_refused(horizon):
    with pytest.raises(InvalidHorizonError, match="whole number"):
        run(horizon_months=horizon)


def test_an_unknown_parameter_is_refused():
    with pytest.raises(UnknownParameterError, match="trainer_hourly_rate"):
        run(overrides={"trainer_rate": 90.0})
    with pytest.raises(InvalidCostParametersError, match="outside its range"):
        with_overrides(load_cost_parameters(), {"displacement_share": 0.9})


def test_a_parameter_file_without_a_needed_parameter_is_refused():
    params = load_cost_parameters()
    lacking = params.model_copy(
        update={
            "parameters": {k: v for k, v in params.parameters.items() if k != "venue_per_meeting"}
        }
    )
    with pytest.raises(InvalidCostParametersError, match="venue_per_meeting"):
        run(lacking)


@pytest.mark.parametrize(
    ("effect", "error"),
    [
        (pd.DataFrame({"event_month": [0, 1], "estimate": [0.1, 0.1]}), MissingColumnsError),
        (pd.DataFrame({"month": [0], "estimate": [0.1], "se": [0.1]}), MissingColumnsError),
        (
            pd.DataFrame({"event_month": [1, 1], "estimate": [0.1, 0.1], "se": 0.1}),
            InvalidEffectProfileError,
        ),
        (
            pd.DataFrame({"event_month": [0, 1], "estimate": [0.1, np.nan], "se": 0.1}),
            InvalidEffectProfileError,
        ),
        (
            pd.DataFrame({"event_month": [-3], "estimate": [0.1], "se": 0.1}),
            InvalidEffectProfileError,
        ),
        (
            pd.DataFrame({"event_month": [0, None], "estimate": [0.1, 0.1], "se": 0.1}),
            InvalidEffectProfileError,
        ),
    ],
)
def test_a_bad_effect_table_is_refused(effect, error):
    with pytest.raises(error):
        cost_benefit(registry(), effect, params=hand_params(), n_draws=50)


def test_bad_options_are_refused():
    with pytest.raises(InvalidCostBenefitOptionError, match="extrapolation"):
        run(extrapolation="exponential")
    with pytest.raises(InvalidCostBenefitOptionError, match="n_draws"):
        run(n_draws=0)
    with pytest.raises(InvalidCostBenefitOptionError, match="effect_correlation"):
        run(effect_correlation=1.5)


def test_no_employees_reached_is_refused():
    tables = registry()
    tables["employees"] = tables["employees"][tables["employees"]["supervisor_id"] == "S4"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NoEmployeesReachedError, match="employees"):
            cost_benefit(tables, flat_effect(), params=hand_params(), n_draws=50)
    with pytest.raises(NoEmployeesReachedError, match="region R99"):
        cost_benefit(registry(), flat_effect(), params=hand_params(), region_id="R99")


def test_the_acceptability_shortcut_equals_counting_every_draw():
    rng = np.random.default_rng(3)
    npv = rng.normal(-1000, 800, 5000)
    months = np.concatenate([rng.normal(1.0, 1.0, 4990), np.zeros(10)])
    grid = np.arange(0.0, 5001.0, 250.0)
    brute = ((npv[None, :] + grid[:, None] * months[None, :]) > 0).mean(axis=1)
    assert acceptability(npv, months, grid) == pytest.approx(brute, abs=1e-12)
