"""Event-study difference-in-differences: closed form, clustered errors, references, coverage.

Every expected number names its source: a textbook or published software output, an
independent second implementation (statsmodels) in the test itself, or the simulator's
planted truth.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from causaldata import organ_donations

from mentorwijs.evaluation.did import (
    estimate_stacked,
    event_study,
    placebo_test,
    stack_panel,
)
from mentorwijs.evaluation.did_modification import effect_modification
from mentorwijs.evaluation.did_twfe import fe_regression, twfe_event_study
from mentorwijs.evaluation.errors import (
    EmptyWindowError,
    InvalidMatchedSetsError,
    InvalidOutcomesError,
    InvalidWindowError,
    NoPrePeriodError,
)
from mentorwijs.evaluation.register import employment_outcomes
from mentorwijs.simulation import simulate_study
from mentorwijs.simulation.effects import PUBLISHED_PROFILE, PlantedEffects
from mentorwijs.simulation.register import simulate_register

PROFILE = np.array(PUBLISHED_PROFILE)


# --------------------------------------------------------------------------- helpers


def cell_matched_sets(
    persons: pd.DataFrame,
    rng: np.random.Generator,
    *,
    k: int,
    cell: tuple[str, ...] = ("sex", "education"),
) -> pd.DataFrame:
    """``k`` random controls per treated person from the same covariate cell (a stand-in for
    the matching step); controls may recur across sets, never within one."""
    key = persons[list(cell)].astype(str).agg("|".join, axis=1).to_numpy()
    ids = persons["person_id"].to_numpy(dtype=object)
    treated = persons["treated"].to_numpy(dtype=bool)
    starts = persons["start_month"].astype(object).to_numpy()
    parts = []
    for value in np.unique(key[treated]):
        t_idx = np.flatnonzero(treated & (key == value))
        pool = np.flatnonzero(~treated & (key == value))
        pick = np.argsort(rng.random((len(t_idx), len(pool))), axis=1)[:, :k]
        ctrl = pool[pick]
        n = len(t_idx)
        parts.append(
            pd.DataFrame(
                {
                    "set_id": np.repeat(ids[t_idx], k + 1),
                    "person_id": ids[np.column_stack([t_idx, ctrl]).ravel()],
                    "treated": np.tile([True] + [False] * k, n),
                    "weight": np.tile([1.0] + [1.0 / k] * k, n),
                    "start_month": np.repeat(starts[t_idx], k + 1),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def register_run(
    seed: int,
    *,
    n_treated: int,
    n_controls: int,
    effects: PlantedEffects,
    start_months: int = 12,
    extract_end: str = "2022-12",
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.random.Generator]:
    """The simulator's register part alone: persons, an outcome panel and the planted ATT."""
    rng = np.random.default_rng(seed)
    idx = 2021 * 12 + rng.integers(0, start_months, n_treated)
    starts = np.array([f"{i // 12}-{i % 12 + 1:02d}" for i in idx], dtype=object)
    persons, months, truth = simulate_register(
        rng,
        effects=effects,
        treated_start=starts,
        treated_region=np.full(n_treated, "R10", dtype=object),
        treated_sector=np.full(n_treated, "care", dtype=object),
        treated_size=np.full(n_treated, "small", dtype=object),
        treated_sheltered=np.zeros(n_treated, dtype=bool),
        control_regions=np.array(["R20"], dtype=object),
        n_controls=n_controls,
        extract_start="2019-01",
        extract_end=extract_end,
    )
    n, n_m = len(persons), len(months) // len(persons)
    persons = persons.assign(person_id=np.arange(n))
    outcomes = pd.DataFrame(
        {
            "person_id": np.repeat(np.arange(n), n_m),
            "month": np.tile(np.arange(2019 * 12, 2019 * 12 + n_m), n),
            "employed_1h": months["hours"].to_numpy() >= 1,
        }
    )
    att = truth["employed_1h_att_by_event_month"]
    return persons, outcomes, np.array([att[str(e)] for e in range(13)]), rng


@pytest.fixture(scope="module")
def study() -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """``simulate_study(seed=1)``: matched sets (20 cell-matched controls) and outcomes."""
    s = simulate_study(seed=1)
    persons = s.tables["register_persons"]
    outcomes = employment_outcomes(s.tables["register_months"], person_ids=persons["person_id"])
    sets = cell_matched_sets(persons, np.random.default_rng(0), k=20)
    return sets, outcomes, s.truth


def tiny_case(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six sets of 1-3 controls drawn from eight shared controls; a continuous outcome."""
    rng = np.random.default_rng(seed)
    persons = [f"P{i}" for i in range(14)]
    rows = []
    for s in range(6):
        k = int(rng.integers(1, 4))
        start = f"2021-{int(rng.integers(4, 9)):02d}"
        rows.append((persons[s], persons[s], True, 1.0, start))
        for c in rng.choice(persons[6:], k, replace=False):
            rows.append((persons[s], c, False, 1.0 / k, start))
    sets = pd.DataFrame(rows, columns=["set_id", "person_id", "treated", "weight", "start_month"])
    months = np.arange(2021 * 12, 2021 * 12 + 14)
    outcomes = pd.DataFrame(
        [(p, m, rng.normal() + 0.3 * (m % 3)) for p in persons for m in months],
        columns=["person_id", "month", "y"],
    )
    return sets, outcomes


def dummy_regression(panel, groups: str):
    """statsmodels WLS of the stacked model with explicit dummies (full rank: the set x event
    dummies of each set's first event month are left out), clustered on ``groups``."""
    long = panel.to_long()
    events = np.sort(long["event"].unique())
    effects = pd.DataFrame(
        {
            f"b{e}": ((long["event"] == e) & long["treated"]).astype(float)
            for e in events[events != -1]
        }
    )
    units = pd.get_dummies(long["unit"], prefix="u", dtype=float)
    set_event = (long["set_id"].astype(str) + "_" + long["event"].astype(str)).where(
        long["event"] != events[0]
    )
    cells = pd.get_dummies(set_event, prefix="se", dtype=float)
    x = pd.concat([effects, units, cells], axis=1)
    assert np.linalg.matrix_rank(x.to_numpy()) == x.shape[1]
    cluster = long["cluster"] if groups == "person" else pd.factorize(long["set_id"])[0]
    fit = sm.WLS(long["y"], x, weights=long["weight"]).fit(
        cov_type="cluster", cov_kwds={"groups": np.asarray(cluster)}
    )
    return fit.params.iloc[: effects.shape[1]].to_numpy(), fit.bse.iloc[
        : effects.shape[1]
    ].to_numpy()


# --------------------------------------------------------------------------- closed form


def test_it_equals_the_weighted_dummy_regression_with_person_clusters() -> None:
    # Source: statsmodels WLS with unit and set x event dummies, cov_type="cluster" (CR1 with
    # K = the number of columns, here the rank), computed in this test.
    sets, outcomes = tiny_case()
    res = event_study(
        sets, outcomes, outcome="y", window=(-3, 2), variance="regression", ssc="rank"
    )
    est, se = dummy_regression(res.panel, "person")
    np.testing.assert_allclose(res.estimate, est, atol=1e-8)
    np.testing.assert_allclose(res.se, se, atol=1e-8)


def test_it_equals_the_dummy_regression_with_set_clusters_for_both_variances() -> None:
    # Clustered by matched set, the linear-influence variance and the regression sandwich
    # have the same per-cluster scores; only K differs. Source: statsmodels as above.
    sets, outcomes = tiny_case(seed=3)
    reg = event_study(
        sets,
        outcomes,
        outcome="y",
        window=(-3, 2),
        variance="regression",
        ssc="rank",
        cluster="set",
    )
    est, se = dummy_regression(reg.panel, "set")
    np.testing.assert_allclose(reg.estimate, est, atol=1e-8)
    np.testing.assert_allclose(reg.se, se, atol=1e-8)
    a = event_study(sets, outcomes, outcome="y", window=(-3, 2), cluster="set", ssc="none")
    b = event_study(
        sets,
        outcomes,
        outcome="y",
        window=(-3, 2),
        cluster="set",
        ssc="none",
        variance="regression",
    )
    np.testing.assert_allclose(a.se, b.se, rtol=1e-10)


def test_the_closed_form_is_the_average_of_per_set_differences(study) -> None:
    # Source: the definition, by hand on the stacked panel.
    sets, outcomes, _ = study
    res = event_study(sets, outcomes, outcome="employed_1h")
    p = res.panel
    u = p.y - p.y[:, [list(p.events).index(-1)]]
    treated = pd.DataFrame(u[p.treated]).groupby(p.set_index[p.treated]).mean()
    control = (
        pd.DataFrame(u[~p.treated] * p.weight[~p.treated, None])
        .groupby(p.set_index[~p.treated])
        .sum()
    )
    by_hand = (treated - control).mean().to_numpy()
    np.testing.assert_allclose(
        res.estimate, np.delete(by_hand, list(p.events).index(-1)), atol=1e-12
    )


def test_organ_donations_event_study_matches_the_interacted_regression() -> None:
    # Source: Huntington-Klein, The Effect (2021) ch. 18, "long-term effect" code
    # (NickCH-K/causalbook, DifferenceinDifferences/differenceindifferences.R):
    # feols(Rate ~ I(State == "California") * Quarter | State), reference Q22011. One matched
    # set: California against the 26 other states with equal weights.
    od = organ_donations.load_pandas().data
    start = "2011-07"  # Q3 2011 = event quarter 0
    quarter = od["Quarter_Num"].to_numpy() - 4  # Quarter_Num 4 = Q3 2011
    sets = pd.DataFrame({"person_id": od["State"].unique()})
    sets = sets.assign(
        set_id="California",
        treated=sets["person_id"] == "California",
        weight=np.where(sets["person_id"] == "California", 1.0, 1 / 26),
        start_month=start,
    )
    outcomes = od.assign(
        person_id=od["State"], month=24138 + quarter
    )  # 2011-07 = 24138; one "month" a quarter
    res = event_study(sets, outcomes, outcome="Rate", window=(-3, 2))
    cal = od.assign(
        **{f"d{q}": (od["State"] == "California") & (quarter == q) for q in (-3, -2, 0, 1, 2)}
    )
    ref = fe_regression(
        cal,
        outcome="Rate",
        regressors=["d-3", "d-2", "d0", "d1", "d2"],
        fixed_effects=["State", "Quarter"],
        cluster="State",
    )
    np.testing.assert_allclose(res.estimate, ref["estimate"], atol=1e-12)


# --------------------------------------------------------------------------- published references


def test_organ_donations_twfe_did_reproduces_the_effect_chapter_18() -> None:
    # Source: Huntington-Klein, The Effect (2021) ch. 18, Kessler & Roth (2014) data via
    # causaldata: feols(Rate ~ Treated | State + Quarter), SEs clustered by state. Printed:
    # estimate -0.0225, SE 0.0060. The 0.0060 is the CR1 factor G/(G-1) alone (ssc="none",
    # pyfixest ssc(k_fixef="none")); fixest's default (ssc="nested") gives 0.00613 and
    # Stata/statsmodels with dummies (ssc="rank") 0.00672 (pyfixest 0.60 gives the same three).
    od = organ_donations.load_pandas().data
    od = od.assign(Treated=(od["State"] == "California") & (od["Quarter_Num"] > 3))
    fit = {
        ssc: fe_regression(
            od,
            outcome="Rate",
            regressors=["Treated"],
            fixed_effects=["State", "Quarter"],
            cluster="State",
            ssc=ssc,
        ).iloc[0]
        for ssc in ("none", "nested", "rank")
    }
    assert round(fit["none"]["estimate"], 4) == -0.0225
    assert round(fit["none"]["se"], 4) == 0.0060
    assert round(fit["nested"]["se"], 5) == 0.00613
    assert round(fit["rank"]["se"], 5) == 0.00672
    assert fit["none"]["n_units"] == 27
    assert fit["none"]["n_obs"] == 162


@pytest.mark.parametrize(
    ("weights", "stata"),
    [
        # Source: Stata 12, `regress invest mvalue kstock, vce(cluster company)` on the
        # Grunfeld data (10 firms, 200 rows), as stored in statsmodels' test suite
        # (statsmodels/regression/tests/results/results_grunfeld_ols_robust_cluster.py,
        # results_cluster): b and se of mvalue, kstock, _cons.
        (
            None,
            [
                (0.11556215606596, 0.01589433647768),
                (0.23067848754982, 0.08496711097464),
                (-42.714369016733, 20.425202580078),
            ],
        ),
        # Same file, results_cluster_wls_small:
        # `regress invest mvalue kstock [aw=1/mvalue], vce(cluster company)`.
        (
            "w",
            [
                (0.11694307068216, 0.02609630113434),
                (0.10410756769914, 0.02285882773869),
                (-9.2723336171089, 5.7204731422962),
            ],
        ),
    ],
)
def test_grunfeld_clustered_errors_match_stata(weights, stata) -> None:
    g = sm.datasets.grunfeld.load_pandas().data.iloc[:200]
    g = g.assign(w=1 / g["value"])
    fit = fe_regression(
        g,
        outcome="invest",
        regressors=["value", "capital"],
        cluster="firm",
        weights=weights,
        ssc="rank",
    ).set_index("term")
    got = fit.loc[["value", "capital", "Intercept"], ["estimate", "se"]].to_numpy()
    # Stata held the data in single precision: agreement to 7 digits is exact here.
    np.testing.assert_allclose(got, np.array(stata), rtol=1e-7)
    assert (fit["n_units"] == 10).all()


# --------------------------------------------------------------------------- simulated truth


def test_stacked_recovers_the_planted_effects_on_the_simulated_study(study) -> None:
    # Source: the simulator's planted ATT (truth["employment"]), seed 1, 78 treated.
    sets, outcomes, truth = study
    res = event_study(sets, outcomes, outcome="employed_1h")
    tidy = res.tidy()
    post = tidy[tidy["event_month"] >= 0]
    planted = np.array(
        [truth["employment"]["employed_1h_att_by_event_month"][str(e)] for e in range(13)]
    )
    inside = (post["ci_low"].to_numpy() <= planted) & (planted <= post["ci_high"].to_numpy())
    assert inside.mean() >= 0.75  # 13 correlated intervals; 95% each
    assert list(tidy.columns) == [
        "term",
        "event_month",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "p_val",
        "n_units",
        "n_obs",
    ]
    assert tidy["term"].iloc[0] == "e=-24"
    assert -1 not in tidy["event_month"].to_numpy()
    assert res.placebo().test()["p_val"].iloc[0] > 0.05


def test_naive_twfe_is_biased_under_cohort_heterogeneity_and_stacked_is_not() -> None:
    # Source: planted ATT of simulate_register with effects differing by start cohort
    # (effect x (1 + z_c), z_c the standardised start month; half the published profile so
    # that probabilities stay inside [0, 1]). Starts spread over 2021, 2,000 treated, 1:1
    # matched never-treated controls. The naive TWFE event study identified from the timing
    # of starts (controls=False: a roll-out where everybody is treated in the end) lets
    # already-treated persons act as controls; the stacked estimator compares within sets.
    effects = PlantedEffects(employment_profile=tuple(PROFILE / 2), cohort_heterogeneity=1.0)
    for seed in (200, 201):
        persons, outcomes, planted, rng = register_run(
            seed, n_treated=2000, n_controls=2000, effects=effects
        )
        sets = cell_matched_sets(persons, rng, k=1, cell=("sex",))
        stacked = event_study(sets, outcomes, outcome="employed_1h")
        twfe = twfe_event_study(sets, outcomes, outcome="employed_1h", controls=False)
        post = stacked.event_months >= 0
        err_stacked = stacked.estimate[post].mean() - planted.mean()
        se_stacked = np.sqrt(stacked.vcov[np.ix_(post, post)].mean())
        err_twfe = twfe.estimate[twfe.event_months >= 0].mean() - planted.mean()
        assert abs(err_stacked) < 2 * se_stacked
        assert err_twfe < -0.015  # X: 0.015 on a mean planted effect of 0.024
        assert twfe.design == "twfe"


# --------------------------------------------------------------------------- tests and options


def test_pretrend_and_placebo_tests_have_their_degrees_of_freedom(study) -> None:
    sets, outcomes, _ = study
    res = event_study(sets, outcomes, outcome="employed_1h")
    pre = res.pretrend_test().iloc[0]
    assert pre["df"] == 23
    assert 0 <= pre["p_val"] <= 1
    assert 0 <= pre["p_val_f"] <= 1
    plc = res.placebo(shift=6)
    rows = plc.tidy()
    assert rows["term"].tolist() == [f"placebo e={e}" for e in range(6)]
    assert rows["true_event_month"].tolist() == list(range(-6, 0))
    assert plc.test()["df"].iloc[0] == 6
    # The standalone placebo test stacks only the pre-start months: same numbers.
    alone = placebo_test(sets, outcomes, outcome="employed_1h", shift=6)
    np.testing.assert_allclose(alone.tidy()["estimate"], rows["estimate"], atol=1e-12)
    assert "placebo" in plc.summary()
    assert "pre-trends" in res.summary()


def test_bootstrap_is_seeded_and_close_to_the_analytic_errors(study) -> None:
    sets, outcomes, _ = study
    a = event_study(sets, outcomes, outcome="employed_1h", window=(-6, 6), bootstrap=199, seed=4)
    b = event_study(sets, outcomes, outcome="employed_1h", window=(-6, 6), bootstrap=199, seed=4)
    c = event_study(sets, outcomes, outcome="employed_1h", window=(-6, 6))
    np.testing.assert_array_equal(a.se, b.se)
    assert np.all(np.abs(a.se / c.se - 1) < 0.25)
    assert "bootstrap" in a.inference
    assert a.draws is not None
    assert a.draws.shape == (199, 12)


def test_effect_modification_equals_the_subgroup_event_study(study) -> None:
    sets, outcomes, _ = study
    ids = np.unique(sets["set_id"].astype(str))
    mods = pd.DataFrame(
        {
            "person_id": ids,
            "temporary_contract": np.arange(len(ids)) % 2 == 0,
            "caseload_under_10": np.where(np.arange(len(ids)) < 6, "yes", "no"),
        }
    )
    res = effect_modification(sets, outcomes, mods, outcome="employed_1h")
    tidy = res.tidy()
    sub = sets[sets["set_id"].astype(str).isin(ids[mods["temporary_contract"]])]
    one = event_study(sub, outcomes, outcome="employed_1h")
    row = tidy[(tidy["modifier"] == "temporary_contract") & (tidy["subgroup"] == "True")].iloc[0]
    assert row["estimate"] == pytest.approx(one.estimate[one.event_months >= 0].mean(), abs=1e-12)
    small = tidy[(tidy["modifier"] == "caseload_under_10") & (tidy["subgroup"] == "yes")].iloc[0]
    assert small["n_treated"] == 6
    assert "fewer than 10" in small["warning"]
    assert tidy.loc[tidy["n_treated"] >= 10, "warning"].eq("").all()
    tests = res.tests()
    assert tests["df"].tolist() == [1, 1]
    assert tests["p_val"].between(0, 1).all()


def test_it_leaves_the_callers_tables_alone(study) -> None:
    sets, outcomes, _ = study
    before_sets, before_out = sets.copy(), outcomes.copy()
    event_study(sets, outcomes, outcome="employed_1h")
    twfe_event_study(sets, outcomes, outcome="employed_1h", window=(-3, 3))
    pd.testing.assert_frame_equal(sets, before_sets)
    pd.testing.assert_frame_equal(outcomes, before_out)


def test_text_and_categorical_person_ids_give_the_same_stack(study) -> None:
    sets, outcomes, _ = study
    plain = outcomes.assign(person_id=outcomes["person_id"].astype(str))
    a = stack_panel(sets, outcomes, outcome="employed_1h")
    b = stack_panel(sets, plain, outcome="employed_1h")
    np.testing.assert_array_equal(a.y, b.y)
    long = a.to_long()
    assert len(long) == a.y.size
    assert set(long.columns) >= {"set_id", "person_id", "event"}


def test_incomplete_windows_are_left_out_with_a_note(study) -> None:
    sets, outcomes, _ = study
    res = event_study(sets, outcomes, outcome="employed_1h", window=(-30, 12))
    assert res.notes
    assert "left out" in res.notes[0]
    assert res.n_sets < sets["set_id"].nunique()


# --------------------------------------------------------------------------- errors


def test_errors_say_what_to_do(study) -> None:
    sets, outcomes, _ = study
    with pytest.raises(InvalidMatchedSetsError, match="lack columns"):
        event_study(sets.drop(columns="weight"), outcomes, outcome="employed_1h")
    with pytest.raises(InvalidMatchedSetsError, match="positive"):
        event_study(sets.assign(weight=0.0), outcomes, outcome="employed_1h")
    bad = sets.copy()
    bad.loc[bad.index[1], "start_month"] = "2020-01"
    with pytest.raises(InvalidMatchedSetsError, match="more than one start_month"):
        event_study(bad, outcomes, outcome="employed_1h")
    with pytest.raises(InvalidMatchedSetsError, match="YYYY-MM"):
        event_study(sets.assign(start_month="March"), outcomes, outcome="employed_1h")
    with pytest.raises(InvalidMatchedSetsError, match="twice in one matched set"):
        event_study(pd.concat([sets, sets.iloc[[1]]]), outcomes, outcome="employed_1h")
    with pytest.raises(InvalidOutcomesError, match="lacks columns"):
        event_study(sets, outcomes, outcome="employed_99h")
    with pytest.raises(InvalidOutcomesError, match="twice"):
        event_study(sets, pd.concat([outcomes, outcomes.iloc[:1]]), outcome="employed_1h")
    with pytest.raises(InvalidWindowError, match="outside the window"):
        event_study(sets, outcomes, outcome="employed_1h", window=(0, 12), reference=-1)
    with pytest.raises(EmptyWindowError, match="narrow the window"):
        event_study(sets, outcomes, outcome="employed_1h", window=(-60, 12))
    with pytest.raises(NoPrePeriodError, match="widen the window"):
        placebo_test(sets, outcomes, outcome="employed_1h", shift=6, window=(-4, 12))
    with pytest.raises(NoPrePeriodError, match="widen the window"):
        event_study(sets, outcomes, outcome="employed_1h", window=(-1, 12)).pretrend_test()
    with pytest.raises(InvalidWindowError, match="placebo_test"):
        twfe_event_study(sets, outcomes, outcome="employed_1h", window=(-3, 3)).placebo()


def test_sets_without_controls_are_left_out_with_a_warning(study) -> None:
    sets, outcomes, _ = study
    lonely = sets[~((sets["set_id"] == sets["set_id"].iloc[0]) & ~sets["treated"])]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = event_study(lonely, outcomes, outcome="employed_1h")
    assert any("lack a treated person or any control" in str(w.message) for w in caught)
    assert res.n_sets == sets["set_id"].nunique() - 1


# --------------------------------------------------------------------------- coverage (slow)


@pytest.mark.slow
def test_intervals_cover_the_planted_effects_and_the_placebo_holds_its_size() -> None:
    # Source: the planted ATT of simulate_register (published profile, no heterogeneity).
    # 200 data sets of 150 treated and 3,000 controls; 10 controls per treated person drawn
    # at random from the same sex x education cell (controls recur across sets).
    runs, started = 200, time.perf_counter()
    cover, placebo, pretrend = [], [], []
    for r in range(runs):
        persons, outcomes, planted, rng = register_run(
            5000 + r, n_treated=150, n_controls=3000, effects=PlantedEffects()
        )
        sets = cell_matched_sets(persons, rng, k=10)
        panel = stack_panel(sets, outcomes, outcome="employed_1h")
        res = estimate_stacked(panel)
        tidy = res.tidy()
        post = tidy[tidy["event_month"] >= 0]
        cover.append(
            (post["ci_low"].to_numpy() <= planted) & (planted <= post["ci_high"].to_numpy())
        )
        placebo.append(res.placebo().test()["p_val"].iloc[0] < 0.05)
        pretrend.append(res.pretrend_test()["p_val_f"].iloc[0] < 0.05)
    cover_arr = np.array(cover)
    per_month = {e: round(float(v), 3) for e, v in enumerate(cover_arr.mean(axis=0))}
    print(
        f"\n{runs} runs in {time.perf_counter() - started:.0f} s; coverage pooled "
        f"{cover_arr.mean():.3f}, by event month {per_month}; placebo rejects "
        f"{np.mean(placebo):.3f}; pre-trend F test rejects {np.mean(pretrend):.3f}"
    )
    assert 0.93 <= cover_arr.mean() <= 0.97
    assert 0.03 <= np.mean(placebo) <= 0.08
