"""Per-region tables: each region's figures from the one national evaluation.

Every expected number names its source: lme4's published sleepstudy fit, statsmodels'
MixedLM on the same data, the national tables the regions must add up to, or a second,
independent route (the event study run on a region's matched sets alone; the cost model
run on the whole package with ``region_id``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.costbenefit import cost_benefit
from mentorwijs.evaluation.costs_model import cost_lines
from mentorwijs.evaluation.costs_registry import cost_quantities
from mentorwijs.evaluation.did import event_study
from mentorwijs.evaluation.employment import CHARACTERISTICS
from mentorwijs.evaluation.flow import participant_flow
from mentorwijs.evaluation.matching import match
from mentorwijs.evaluation.pipeline import evaluate_package
from mentorwijs.evaluation.regions import (
    region_changes,
    region_event_studies,
    region_flow,
    respondent_regions,
)
from mentorwijs.evaluation.regions_costs import region_cost_benefit
from mentorwijs.evaluation.register import employment_outcomes, matching_covariates
from mentorwijs.evaluation.reml import random_intercept_reml
from mentorwijs.evaluation.scales import score_scales
from mentorwijs.evaluation.supervisors import _wave_design, wave_changes
from mentorwijs.protocol import load_cost_parameters, load_protocol
from mentorwijs.simulation import simulate_package
from mentorwijs.studydata import StudyPackage, read_package

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> StudyPackage:
    return read_package(simulate_package(tmp_path_factory.mktemp("regions") / "pkg", seed=11))


@pytest.fixture(scope="module")
def regions_of(package: StudyPackage) -> pd.Series:
    return respondent_regions(
        package["supervisors"], package["employees"], package["training_groups"]
    )


@pytest.fixture(scope="module")
def scores(package: StudyPackage) -> pd.DataFrame:
    return score_scales(package["responses"], instrument="sv_outcomes")


# --- the fast random-intercept fit ---------------------------------------------------------


def test_the_profiled_reml_matches_lme4_on_sleepstudy() -> None:
    # lme4: lmer(Reaction ~ Days + (1 | Subject), sleepstudy), REML, prints fixed effects
    # (Intercept) 251.4051 (SE 9.7467) and Days 10.4673 (SE 0.8042); random effects
    # Subject (Intercept) variance 1378.2, residual variance 960.5 (the lme4 vignette's
    # random-intercept model, also in Bates et al. 2015 J Stat Softw 67(1)).
    d = pd.read_csv(DATA / "sleepstudy.csv")
    x = np.column_stack([np.ones(len(d)), d["Days"]])
    fit = random_intercept_reml(d["Reaction"].to_numpy(), x, d["Subject"].to_numpy())
    assert fit.converged
    assert not fit.singular
    assert np.round(fit.beta, 4).tolist() == [251.4051, 10.4673]
    assert np.round(fit.se, 4).tolist() == [9.7467, 0.8042]
    assert round(fit.tau2, 1) == 1378.2
    assert round(fit.sigma2, 1) == 960.5
    assert (fit.n_units, fit.n_obs) == (18, 180)


def test_the_profiled_reml_gives_statsmodels_mixedlm_estimates_and_lme4_errors(
    scores: pd.DataFrame, regions_of: pd.Series
) -> None:
    import statsmodels.api as sm

    part = scores[
        (scores["scale"] == "knowledge") & (scores["respondent_id"].map(regions_of) == "R11")
    ].dropna(subset=["score"])
    part = pd.DataFrame(
        {
            "respondent_id": part["respondent_id"].astype(str).to_numpy(),
            "wave": part["wave"].astype(str).to_numpy(),
            "scale": "knowledge",
            "score": part["score"].astype(float).to_numpy(),
        }
    )
    data, _, formula = _wave_design(part, "T0")
    x = np.column_stack([np.ones(len(data)), data[["wave_1", "wave_2", "wave_3"]]])
    y, units = data["score"].to_numpy(), data["respondent_id"].to_numpy()
    fit = random_intercept_reml(y, x, units)
    # statsmodels MixedLM, REML: the same estimates and variance components.
    ref = sm.MixedLM.from_formula(formula, data, groups="respondent_id").fit(reml=True)
    assert ref.converged
    np.testing.assert_allclose(fit.beta, np.asarray(ref.fe_params), atol=1e-5)
    assert fit.sigma2 == pytest.approx(ref.scale, rel=1e-4)
    assert fit.tau2 == pytest.approx(float(ref.cov_re.iloc[0, 0]), rel=1e-3)
    # The standard errors are lme4's, sqrt(diag((X' V^-1 X)^-1)) at the REML variances (they
    # equal lme4's published ones on sleepstudy above), here from the dense V by hand.
    # statsmodels also uses the fixed/variance cross terms of its observed Hessian, which
    # differ from zero when waves are missing: its errors are about 0.2 % larger here.
    v = fit.sigma2 * np.eye(len(y)) + fit.tau2 * (units[:, None] == units[None, :])
    vinv_x = np.linalg.solve(v, x)
    np.testing.assert_allclose(fit.se, np.sqrt(np.diag(np.linalg.inv(x.T @ vinv_x))), rtol=1e-8)
    np.testing.assert_allclose(fit.se, np.asarray(ref.bse_fe), rtol=5e-3)


def test_a_zero_unit_variance_is_reported_as_singular() -> None:
    # Hand-made: the unit means are exactly equal, so the REML estimate of tau^2 is 0.
    y = np.array([1.0, 3.0, 3.0, 1.0, 2.0, 2.0])
    fit = random_intercept_reml(y, np.ones((6, 1)), np.array([0, 0, 1, 1, 2, 2]))
    assert fit.singular
    assert fit.beta[0] == pytest.approx(2.0)
    assert fit.tau2 == pytest.approx(0.0, abs=1e-8)


def test_the_engines_agree_on_every_wave_and_scale(scores: pd.DataFrame) -> None:
    both = [wave_changes(scores, engine=e) for e in ("mixedlm", "profile")]
    np.testing.assert_allclose(both[0]["estimate"], both[1]["estimate"], atol=1e-5)
    # intervals differ in the fourth decimal: the errors' conventions (see above)
    np.testing.assert_allclose(both[0]["ci_low"], both[1]["ci_low"], atol=2e-3)
    assert both[0]["n_wave"].tolist() == both[1]["n_wave"].tolist()


# --- the regions add up to the nation -------------------------------------------------------


def test_the_regions_participation_adds_up_to_the_whole_study(
    package: StudyPackage, regions_of: pd.Series
) -> None:
    protocol = load_protocol()
    waves = {role: protocol.waves_for(role) for role in ("supervisor", "employee")}
    flow = region_flow(package["invitations"], regions_of, waves=waves)
    assert sorted(flow["region_id"].unique()) == ["R10", "R11"]
    for role in ("supervisor", "employee"):
        national = participant_flow(package["invitations"], role=role, waves=waves[role])
        sums = flow[flow["role"] == role].groupby("wave")[["invited", "completed"]].sum()
        for row in national.itertuples():
            assert sums.loc[row.wave, "invited"] == row.invited, (role, row.wave)
            assert sums.loc[row.wave, "completed"] == row.completed, (role, row.wave)


def test_a_regions_change_is_the_model_on_its_own_supervisors(
    scores: pd.DataFrame, regions_of: pd.Series
) -> None:
    table = region_changes(scores, regions_of)
    assert set(table["scale"]) == {"knowledge", "self_efficacy"}
    mine = scores[scores["respondent_id"].map(regions_of) == "R10"]
    mine = mine[mine["scale"].isin(["knowledge", "self_efficacy"])]
    alone = wave_changes(mine)  # statsmodels, on the region's scores alone
    got = table[table["region_id"] == "R10"].reset_index(drop=True)
    np.testing.assert_allclose(got["estimate"], alone["estimate"], atol=1e-5)
    assert got["n_wave"].tolist() == alone["n_wave"].tolist()


@pytest.fixture(scope="module")
def national(package: StudyPackage):
    persons, months = package["register_persons"], package["register_months"]
    panel = employment_outcomes(months, person_ids=persons["person_id"])
    sets = match(matching_covariates(persons, panel), columns=CHARACTERISTICS, k=10, seed=1).sets
    return sets, panel, event_study(sets, panel, outcome="employed_1h")


def _treated_regions(package: StudyPackage) -> pd.Series:
    p = package["register_persons"]
    p = p[p["treated"].astype(bool)]
    return pd.Series(p["region_id"].astype(str).to_numpy(), index=p["person_id"].astype(str))


def test_a_regions_effect_equals_the_event_study_on_its_own_matched_sets(
    package: StudyPackage, national
) -> None:
    sets, panel, res = national
    person_regions = _treated_regions(package)
    table = region_event_studies(res, person_regions, min_treated=10)
    own = sets[sets["set_id"].astype(str).map(person_regions) == "R11"]
    alone = event_study(own, panel, outcome="employed_1h").tidy()
    got = table[table["region_id"] == "R11"].reset_index(drop=True)
    assert got["estimated"].all()
    np.testing.assert_allclose(got["estimate"], alone["estimate"], atol=1e-12)
    np.testing.assert_allclose(got["ci_high"], alone["ci_high"], atol=1e-12)
    assert got["n_treated"].iloc[0] == int(own["treated"].sum())


def test_a_region_below_the_minimum_or_the_threshold_gets_no_number(
    package: StudyPackage, national
) -> None:
    _, _, res = national
    person_regions = _treated_regions(package)
    few = person_regions.copy()
    few.iloc[:5] = "RX"  # five treated persons in a region of their own
    table = region_event_studies(res, few, min_treated=30)
    rx = table[table["region_id"] == "RX"]
    assert rx["suppressed"].all()
    assert rx["n_treated"].isna().all()
    assert rx["estimate"].isna().all()
    counts = table.groupby("region_id")["n_treated"].first()
    below = table[(table["region_id"] == "R10") & ~table["estimated"]]
    assert counts["R10"] < 30
    assert len(below) == len(res.event_months)
    assert below["estimate"].isna().all()


def test_a_regions_costs_and_return_equal_the_cost_model_on_the_whole_package(
    package: StudyPackage, national
) -> None:
    _, _, res = national
    effect = res.tidy().query("event_month >= 0")
    out = region_cost_benefit(package.tables, effect, ["R10", "R11"], n_draws=500, seed=3)
    for region in ("R10", "R11"):
        reference = cost_benefit(package.tables, effect, region_id=region, n_draws=500, seed=3)
        total = reference.cost_summary.set_index(["level", "unit"]).loc[("total", "all")]
        mine = out["region_costs"].set_index("region_id").loc[region]
        assert mine["per_trained_supervisor"] == pytest.approx(total["per_trained_supervisor"])
        assert mine["amount"] == pytest.approx(total["amount"])
        base = reference.summary[reference.summary["base_rate"]].set_index("view")
        cb = out["region_cost_benefit"].query("region_id == @region").set_index("view")
        assert cb.loc["public_budget", "npv"] == pytest.approx(base.loc["public_budget", "npv"])
        psa = reference.psa_summary.set_index("view").loc["public_budget"]
        assert cb.loc["public_budget", "p_npv_positive"] == psa["p_npv_positive"]
    # At the shipped prices the regions' costs add up to the whole study's. (With the effect,
    # each region's extra guidance time comes from its own supervisors' answers, as the
    # whole study's comes from all answers, so those totals need not add up.)
    costs_only = region_cost_benefit(package.tables, None, ["R10", "R11"], n_draws=1, seed=3)
    assert set(costs_only) == {"region_costs"}
    lines = cost_lines(cost_quantities(package.tables), load_cost_parameters().values())
    assert costs_only["region_costs"]["amount"].sum() == pytest.approx(lines["amount"].sum())


def test_the_pipeline_writes_the_region_tables_or_leaves_them_out(package: StudyPackage) -> None:
    quick = {"imputations": 0, "cost_benefit_draws": 200}
    result = evaluate_package(package, created_at="2026-11-24T12:00:00Z", settings=quick)
    names = {"region_summary", "region_flow", "region_change", "region_event_study",
             "region_costs", "region_cost_benefit"}  # fmt: skip
    assert names <= set(result.tables)
    summary = result.tables["region_summary"].set_index("region_id")
    assert summary.loc["R10", "name"] == "Rivierenland"
    assert summary["groups"].sum() == package["training_groups"].shape[0]
    es = result.tables["region_event_study"].groupby("region_id")["estimated"].all()
    assert summary["effect_estimated"].to_dict() == es.to_dict()
    off = evaluate_package(
        package, created_at="2026-11-24T12:00:00Z", settings={**quick, "regions": False}
    )
    assert not names & set(off.tables)
