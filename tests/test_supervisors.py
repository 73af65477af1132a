"""Supervisors' change over the waves: mixed models, attrition, multiple imputation.

Every expected number names its source: lme4's published sleepstudy fit, a hand calculation,
or the simulator's planted truth.
"""

from __future__ import annotations

import os
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mentorwijs.evaluation import supervisors as sv
from mentorwijs.evaluation.attrition import attrition
from mentorwijs.evaluation.errors import (
    ImputationError,
    MissingTrainingGroupError,
    NoBaselineError,
    ScoresFormatError,
    TooFewSupervisorsError,
)
from mentorwijs.evaluation.imputation import (
    impute_chained,
    pool_rubin,
)
from mentorwijs.evaluation.supervisors import (
    MixedModelWarning,
    _fit_mixed,
    wave_changes,
)
from mentorwijs.evaluation.supervisors_mi import wave_changes_mi
from mentorwijs.protocol import load_protocol
from mentorwijs.simulation import PlantedEffects, simulate_study
from mentorwijs.simulation.effects import observed_change
from mentorwijs.simulation.questionnaires import simulate_supervisor_answers
from mentorwijs.simulation.registry import simulate_registry
from mentorwijs.simulation.scales import study_size

DATA = Path(__file__).parent / "data"
WAVES = ("T1", "T2", "T3")


def scale_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """Mean of each sv_outcomes scale's items (reverse items as 6 - x), with min_items.

    A stand-in for ``score_scales`` so that these tests do not depend on it.
    """
    ins = load_protocol().instruments["sv_outcomes"]
    r = responses[(responses["instrument"] == "sv_outcomes") & responses["value"].notna()]
    reverse = {it.code for it in ins.items if it.reverse}
    value = np.where(r["item"].isin(reverse), 6 - r["value"], r["value"])
    r = pd.DataFrame(
        {
            "respondent_id": r["respondent_id"].astype(str).to_numpy(),
            "wave": r["wave"].astype(str).to_numpy(),
            "item": r["item"].astype(str).to_numpy(),
            "value": value,
        }
    )
    parts = []
    for sc in ins.scales:
        g = r[r["item"].isin(sc.items)].groupby(["respondent_id", "wave"])["value"]
        agg = g.agg(["mean", "count"]).reset_index()
        agg = agg[agg["count"] >= sc.min_items]
        parts.append(
            pd.DataFrame(
                {
                    "respondent_id": agg["respondent_id"],
                    "wave": agg["wave"],
                    "scale": sc.code,
                    "score": agg["mean"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def study():
    return simulate_study(seed=1)


@pytest.fixture(scope="module")
def scores(study) -> pd.DataFrame:
    return scale_scores(study.tables["responses"])


@pytest.fixture(scope="module")
def changes(scores) -> pd.DataFrame:
    return wave_changes(scores)


# --- the fitting path against lme4 --------------------------------------------------------


def sleepstudy() -> pd.DataFrame:
    return pd.read_csv(DATA / "sleepstudy.csv")


def test_it_ships_the_sleepstudy_data_as_in_lme4() -> None:
    d = sleepstudy()
    # lme4: nrow(sleepstudy) = 180; 18 subjects x 10 days; mean(sleepstudy$Reaction) 298.5079.
    assert len(d) == 180
    assert d["Subject"].nunique() == 18
    assert (d.groupby("Subject").size() == 10).all()
    assert round(d["Reaction"].mean(), 4) == 298.5079


def test_it_matches_lme4_on_sleepstudy() -> None:
    # Bates et al. (2015), J Stat Softw 67(1), section 1:
    # lmer(Reaction ~ Days + (Days | Subject), sleepstudy) gives fixed effects
    # (Intercept) 251.405 (SE 6.825) and Days 10.467 (SE 1.546), by REML.
    fit = _fit_mixed(sleepstudy(), formula="Reaction ~ Days", groups="Subject", re_formula="~Days")
    assert fit.converged
    assert not fit.singular
    assert round(fit.estimate["Intercept"], 3) == 251.405
    assert round(fit.se["Intercept"], 3) == 6.825
    assert round(fit.estimate["Days"], 3) == 10.467
    assert round(fit.se["Days"], 3) == 1.546
    assert (fit.n_units, fit.n_obs) == (18, 180)


def test_a_failed_fit_gives_nan_and_a_warning_not_a_number(monkeypatch, scores) -> None:
    def broken(self, *args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(sv.sm.MixedLM, "fit", broken)
    with pytest.warns(MixedModelWarning, match="did not converge"):
        out = wave_changes(scores[scores["scale"] == "knowledge"])
    assert not out["converged"].any()
    assert out["estimate"].isna().all()
    assert out["se"].isna().all()


# --- wave_changes on the simulated study --------------------------------------------------


def test_it_recovers_the_planted_rise_in_knowledge_and_self_efficacy(study, changes) -> None:
    # Planted truth: simulate_study(seed=1).truth["supervisor_change"] (observed scale).
    truth = study.truth["supervisor_change"]
    for scale in ("knowledge", "self_efficacy"):
        for wave in WAVES:
            row = changes[(changes["scale"] == scale) & (changes["wave"] == wave)].iloc[0]
            assert row["ci_low"] <= truth[scale][wave] <= row["ci_high"], (scale, wave)
            assert row["p_val"] < 0.001
    assert changes["converged"].all()


def test_intention_and_behaviour_stay_near_zero(study, changes) -> None:
    # Planted truth: no change (truth["supervisor_change"] is 0.0 for both scales).
    assert study.truth["supervisor_change"]["intention"] == dict.fromkeys(WAVES, 0.0)
    flat = changes[changes["scale"].isin(["intention", "behaviour"])]
    assert len(flat) == 6
    assert (flat["estimate"].abs() < 3.5 * flat["se"]).all()
    assert (flat["estimate"].abs() < 0.15).all()


def test_effect_size_is_the_change_over_the_baseline_sd(scores, changes) -> None:
    # By definition (docstring): estimate / SD(T0 scores), the CI bounds divided alike.
    sd0 = scores[(scores["scale"] == "knowledge") & (scores["wave"] == "T0")]["score"].std()
    row = changes[changes["scale"] == "knowledge"].iloc[0]
    assert row["effect_size"] == pytest.approx(row["estimate"] / sd0)
    assert row["es_ci_low"] == pytest.approx(row["ci_low"] / sd0)
    assert row["es_ci_high"] == pytest.approx(row["ci_high"] / sd0)


def test_it_counts_supervisors_and_scores(scores, changes) -> None:
    k = scores[scores["scale"] == "knowledge"]
    row = changes[(changes["scale"] == "knowledge") & (changes["wave"] == "T3")].iloc[0]
    assert row["n_units"] == k["respondent_id"].nunique()
    assert row["n_obs"] == len(k)
    assert row["n_wave"] == (k["wave"] == "T3").sum()
    assert not row["suppressed"]
    assert list(changes.columns[:7]) == [
        "scale",
        "wave",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "p_val",
    ]


def test_it_does_not_touch_the_callers_scores(scores) -> None:
    part = scores[scores["scale"] == "behaviour"].copy()
    before = part.copy()
    wave_changes(part)
    pd.testing.assert_frame_equal(part, before)


def test_a_training_group_effect_needs_the_groups(study, scores) -> None:
    efficacy = scores[scores["scale"] == "self_efficacy"]
    with pytest.raises(MissingTrainingGroupError, match="supervisors="):
        wave_changes(efficacy, group_effect=True)
    out = wave_changes(efficacy, supervisors=study.tables["supervisors"], group_effect=True)
    plain = wave_changes(efficacy)
    # No group effect is planted, so the nested model gives nearly the same changes.
    assert out["estimate"].to_numpy() == pytest.approx(plain["estimate"].to_numpy(), abs=0.01)
    assert out["converged"].all()


def test_bad_scores_get_named_errors(scores) -> None:
    with pytest.raises(ScoresFormatError, match="lack column"):
        wave_changes(scores.drop(columns="score"))
    with pytest.raises(ScoresFormatError, match="duplicate"):
        wave_changes(pd.concat([scores, scores.head(1)]))
    with pytest.raises(NoBaselineError, match="baseline"):
        wave_changes(scores[scores["wave"] != "T0"])
    one = scores[scores["respondent_id"] == scores["respondent_id"].iloc[0]]
    with pytest.raises(TooFewSupervisorsError):
        wave_changes(one)


# --- Rubin's rules and chained equations --------------------------------------------------


def test_rubins_rules_by_hand() -> None:
    # m = 3: Q = 1.0, 1.2, 1.4; U = 0.09, 0.10, 0.11 (hand calculation, Rubin 1987 ch. 3):
    # Qbar = 1.2; Ubar = 0.10; B = (0.04 + 0 + 0.04) / 2 = 0.04; T = 0.10 + (4/3) 0.04 = 0.46/3
    # r = (4/3)(0.04)/0.10 = 8/15; lambda = (0.16/3)/(0.46/3) = 8/23
    # classic df = (m - 1)(1 + 1/r)^2 = 2 (23/8)^2 = 529/32 = 16.53125
    p = pool_rubin([1.0, 1.2, 1.4], [0.09, 0.10, 0.11])
    assert float(p.estimate) == pytest.approx(1.2)
    assert float(p.within) == pytest.approx(0.10)
    assert float(p.between) == pytest.approx(0.04)
    assert float(p.total) == pytest.approx(0.46 / 3)
    assert float(p.se) == pytest.approx(np.sqrt(0.46 / 3))
    assert float(p.riv) == pytest.approx(8 / 15)
    assert float(p.lam) == pytest.approx(8 / 23)
    assert float(p.df) == pytest.approx(529 / 32)
    # fmi = (r + 2/(df + 3)) / (1 + r) = (8/15 + 64/625) / (23/15) = 0.414539...
    assert float(p.fmi) == pytest.approx((8 / 15 + 2 / (529 / 32 + 3)) / (23 / 15))
    assert p.m == 3


def test_barnard_rubin_df_by_hand() -> None:
    # Same data with n_obs = 21, one parameter: nu_com = 20;
    # nu_obs = (21/23) 20 (1 - 8/23) = 420/23 * 15/23 = 6300/529;
    # nu = nu_old nu_obs / (nu_old + nu_obs) with nu_old = 529/32 (Barnard & Rubin 1999, eq. 3).
    p = pool_rubin([1.0, 1.2, 1.4], [0.09, 0.10, 0.11], n_obs=21)
    old, obs = 529 / 32, 6300 / 529
    assert float(p.df) == pytest.approx(old * obs / (old + obs))
    # = (6300/32) / ((529^2 + 6300 * 32) / (32 * 529)) = 3332700 / 481441 = 6.92234...
    assert float(p.df) == pytest.approx(3332700 / 481441)


def test_pooling_identical_estimates_adds_no_variance() -> None:
    # Nothing imputed: B = 0, so T = Ubar, lambda = 0 and the df are nu_obs of nu_com = 98.
    p = pool_rubin(np.full((5, 2), 0.3), np.full((5, 2), 0.01), n_obs=100, n_params=2)
    assert p.total.tolist() == pytest.approx([0.01, 0.01])
    assert p.lam.tolist() == [0.0, 0.0]
    assert p.df.tolist() == pytest.approx([99 / 101 * 98] * 2)
    assert p.estimate.shape == (2,)


def test_pooling_rejects_bad_input() -> None:
    with pytest.raises(ImputationError, match="at least 2"):
        pool_rubin([1.0], [0.1])
    with pytest.raises(ImputationError, match="same shape"):
        pool_rubin([1.0, 2.0], [0.1])
    with pytest.raises(ImputationError, match="negative"):
        pool_rubin([1.0, 2.0], [0.1, -0.1])


def test_chained_equations_undo_missing_at_random_bias() -> None:
    # x, y standard bivariate normal with correlation 0.8: E[y] = 0 (by construction). y is
    # missing for 70 % of x > 0, so the complete-case mean of y is biased downwards.
    rng = np.random.default_rng(7)
    x = rng.standard_normal(2000)
    y = 0.8 * x + 0.6 * rng.standard_normal(2000)
    y[(x > 0) & (rng.random(2000) < 0.7)] = np.nan
    data = pd.DataFrame({"x": x, "y": y})
    before = data.copy()
    imputed = impute_chained(data, n_imputations=10, seed=3, n_iter=5)
    pd.testing.assert_frame_equal(data, before)
    assert np.nanmean(y) < -0.2
    means = [d["y"].mean() for d in imputed]
    variances = [d["y"].var() / len(d) for d in imputed]
    pooled = pool_rubin(means, variances, n_obs=2000)
    assert abs(float(pooled.estimate)) < 3 * float(pooled.se)
    assert 0 < float(pooled.fmi) < 1
    again = impute_chained(data, n_imputations=10, seed=3, n_iter=5)
    pd.testing.assert_frame_equal(imputed[4], again[4])
    assert not imputed[0]["y"].equals(imputed[1]["y"])
    assert not np.isnan(imputed[0].to_numpy()).any()


def test_wave_changes_mi_equals_wave_changes_without_missing_scores(study, scores) -> None:
    # Only supervisors with all four knowledge scores: nothing to impute, so B = 0 and the
    # pooled estimate and SE are the complete-data ones (Rubin's rules with B = 0).
    k = scores[scores["scale"] == "knowledge"]
    full = k.groupby("respondent_id")["wave"].transform("size") == 4
    k = k[full]
    mi = wave_changes_mi(k, supervisors=study.tables["supervisors"], seed=1, n_imputations=2)
    cc = wave_changes(k)
    assert mi["estimate"].to_numpy() == pytest.approx(cc["estimate"].to_numpy(), rel=1e-6)
    assert mi["se"].to_numpy() == pytest.approx(cc["se"].to_numpy(), rel=1e-6)
    assert (mi["fmi"] < 0.01).all()
    assert (mi["m"] == 2).all()


def test_wave_changes_mi_covers_the_planted_change(study, scores) -> None:
    # Planted truth: simulate_study(seed=1).truth["supervisor_change"]["knowledge"].
    k = scores[scores["scale"] == "knowledge"]
    out = wave_changes_mi(k, supervisors=study.tables["supervisors"], seed=11, n_imputations=5)
    truth = study.truth["supervisor_change"]["knowledge"]
    assert out["wave"].tolist() == list(WAVES)
    for _, row in out.iterrows():
        assert row["ci_low"] <= truth[row["wave"]] <= row["ci_high"]
    assert ((out["fmi"] > 0) & (out["fmi"] < 1)).all()
    assert (out["n_units"] == k["respondent_id"].nunique()).all()
    assert out["converged"].all()


# --- attrition ----------------------------------------------------------------------------


def attrition_case() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """20 supervisors answer T0; S00–S09 also answer T3 (stayers), S10–S19 do not.

    S99 answered T3 but never T0 and must be left out.
    """
    ids = [f"S{i:02d}" for i in range(20)]
    knowledge = [*[3] * 5, *[4] * 5, *[2] * 5, *[3] * 5]
    scores = pd.DataFrame(
        {"respondent_id": ids, "wave": "T0", "scale": "knowledge", "score": knowledge}
    )
    scores = pd.concat(
        [
            scores,
            pd.DataFrame(
                {"respondent_id": ["S99"], "wave": ["T3"], "scale": ["knowledge"], "score": [5.0]}
            ),
        ],
        ignore_index=True,
    )
    done = pd.Timestamp("2021-03-01", tz="UTC")
    inv = pd.DataFrame(
        [
            {"respondent_id": s, "role": "supervisor", "wave": w, "completed_at": c}
            for s in [*ids, "S99"]
            for w, c in (
                ("T0", pd.NaT if s == "S99" else done),
                ("T3", done if s == "S99" or int(s[1:]) < 10 else pd.NaT),
            )
        ]
    )
    sup = pd.DataFrame(
        {
            "supervisor_id": [*ids, "S99"],
            "training_group_id": "G1",
            "sex": ["f"] * 6 + ["m"] * 4 + ["f"] * 2 + ["m"] * 8 + ["f"],
            "age": [35, 45] * 5 + [45, 55] * 5 + [20],
            "years_experience": [5] * 21,
            "employees_guided": [1, 3] * 10 + [9],
        }
    )
    return scores, inv, sup


def test_attrition_by_hand() -> None:
    scores, inv, sup = attrition_case()
    with pytest.warns(RuntimeWarning, match="years_experience"):
        out = attrition(scores, inv, sup).set_index("variable")
    assert out.index.tolist() == [
        "knowledge",
        "age",
        "years_experience",
        "employees_guided",
        "sex_female",
    ]
    assert out["n_stayers"].tolist() == [10] * 5
    assert out["n_leavers"].tolist() == [10] * 5
    k = out.loc["knowledge"]
    # Hand: stayers mean 3.5, leavers 2.5, both variances 10 * 0.25 / 9 = 5/18;
    # SMD = 1 / sqrt(5/18); Welch t = 1 / sqrt(2 * (5/18) / 10) = sqrt(18) on 18 df.
    assert (k["mean_stayers"], k["mean_leavers"], k["difference"]) == (3.5, 2.5, 1.0)
    assert k["smd"] == pytest.approx(1 / np.sqrt(5 / 18))
    assert k["p_val"] == pytest.approx(2 * stats.t.sf(np.sqrt(18), 18))
    assert k["test"] == "welch_t"
    # Hand: ages 35/45 (mean 40) against 45/55 (mean 50), the same spread as knowledge x 10.
    assert out.loc["age", "difference"] == -10
    assert out.loc["age", "smd"] == pytest.approx(-1 / np.sqrt(5 / 18))
    # years_experience is 5 for everyone: no test, explicit NaN.
    assert np.isnan(out.loc["years_experience", "p_val"])
    assert np.isnan(out.loc["years_experience", "smd"])
    assert out.loc["years_experience", "difference"] == 0
    # Sex: 6/10 women among stayers, 2/10 among leavers. Table [[6, 4], [2, 8]], expected
    # [[4, 6], [4, 6]]: chi2 = 2 (4/4 + 4/6) = 10/3 on 1 df; SMD = 0.4 / sqrt((.24 + .16)/2).
    s = out.loc["sex_female"]
    assert (s["mean_stayers"], s["mean_leavers"]) == pytest.approx((0.6, 0.2))
    assert s["p_val"] == pytest.approx(stats.chi2.sf(10 / 3, 1))
    assert s["smd"] == pytest.approx(0.4 / np.sqrt(0.2))
    assert s["test"] == "chi2"
    assert not out["suppressed"].any()


def test_attrition_suppresses_small_groups() -> None:
    scores, inv, sup = attrition_case()
    # Only 3 leavers (S10–S12 miss T3; S13–S19 complete it): every row rests on < 10 leavers.
    late = inv["respondent_id"].isin([f"S{i}" for i in range(13, 20)]) & (inv["wave"] == "T3")
    inv.loc[late, "completed_at"] = pd.Timestamp("2021-06-01", tz="UTC")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = attrition(scores, inv, sup)
    assert out["suppressed"].all()
    assert out["n_leavers"].isna().all()
    assert out["mean_leavers"].isna().all()


def test_attrition_needs_stayers_and_leavers() -> None:
    scores, inv, sup = attrition_case()
    inv = inv.assign(completed_at=pd.Timestamp("2021-06-01", tz="UTC"))
    with pytest.raises(TooFewSupervisorsError, match="left"):
        attrition(scores, inv, sup)


# --- coverage over many simulated studies -------------------------------------------------

N_RUNS = 200
SCALES = ("knowledge", "self_efficacy", "intention", "behaviour")


@cache
def _registry():
    return simulate_registry(np.random.default_rng(2023), study_size("study"))


def _coverage_run(seed: np.random.SeedSequence) -> tuple[list[tuple[str, str, bool]], float]:
    """One simulated study's supervisor answers → wave_changes → covered or not, CPU s."""
    cpu = time.process_time()
    protocol = load_protocol()
    reg = _registry()
    sup = reg.tables["supervisors"]
    _, responses = simulate_supervisor_answers(
        np.random.default_rng(seed),
        protocol,
        PlantedEffects(),
        sup,
        reg.group_start[reg.supervisor_group],
        reg.supervisor_meetings,
    )
    out = wave_changes(scale_scores(responses))
    truth = {
        sc.code: observed_change(PlantedEffects(), sc.code, len(sc.items))
        for sc in protocol.instruments["sv_outcomes"].scales
    }
    hits = [
        (str(r.scale), str(r.wave), bool(r.ci_low <= truth[r.scale][r.wave] <= r.ci_high))
        for r in out.itertuples()
    ]
    return hits, time.process_time() - cpu


@pytest.mark.slow
def test_wave_change_intervals_cover_the_planted_change_95_percent() -> None:
    """Coverage of the 95 % CIs of the T1, T2 and T3 changes over 200 simulated studies.

    Each run draws new supervisors' answers (the simulator's supervisor part, with a fixed
    registry of 164 invited supervisors in 19 groups) and fits wave_changes. The pooled
    count is over all 4 scales x 3 waves x 200 runs = 2,400 intervals, each checked
    against truth["supervisor_change"] (observed_change). Intervals of one run are
    correlated, so the pooled count is noisier than a binomial of 2,400; at 95 % even an
    effective 400 independent intervals give a binomial SD of 1.1 points, well inside the
    93-97 % band. Each of the 12 estimands separately (200 intervals) must lie inside the
    central 99.9 % binomial range for p = 0.95.
    """
    start = time.perf_counter()
    seeds = np.random.SeedSequence(20240).spawn(N_RUNS)
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        runs = list(pool.map(_coverage_run, seeds, chunksize=10))
    hits = pd.DataFrame([h for run, _ in runs for h in run], columns=["scale", "wave", "covered"])
    assert len(hits) == N_RUNS * len(SCALES) * len(WAVES)
    pooled = hits["covered"].mean()
    per = hits.groupby(["scale", "wave"])["covered"].mean()
    print(f"\npooled coverage {pooled:.4f} over {len(hits)} intervals")
    print(per.unstack().round(3).to_string())
    cpu = sum(c for _, c in runs)
    print(f"{time.perf_counter() - start:.0f} s wall, {cpu:.0f} s CPU in the workers")
    assert 0.93 <= pooled <= 0.97
    low = stats.binom.ppf(0.0005, N_RUNS, 0.95) / N_RUNS
    high = stats.binom.isf(0.0005, N_RUNS, 0.95) / N_RUNS
    assert per.between(low, high).all(), per
