"""The employment evaluation end to end: register outcomes → matching → stacked event study.

Expected values come from the simulator's planted truth (``truth.json``): the ATT on
"employed >= 1 hour" by month since the start, zero before the start.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.did import event_study
from mentorwijs.evaluation.employment import (
    CHARACTERISTICS,
    HISTORY_COLUMNS,
    EmploymentSettings,
    employment_effects,
)
from mentorwijs.evaluation.errors import MissingColumnsError
from mentorwijs.evaluation.matching import match
from mentorwijs.evaluation.register import employment_outcomes, matching_covariates
from mentorwijs.evaluation.steps import effect_modifiers
from mentorwijs.simulation import simulate_study
from mentorwijs.simulation.effects import PlantedEffects
from mentorwijs.simulation.register import simulate_register
from mentorwijs.simulation.registry import SECTOR_P, SECTORS
from mentorwijs.studydata import StudyPackage


@pytest.fixture(scope="module")
def study():
    return simulate_study(seed=5)


@pytest.fixture(scope="module")
def tables(study) -> dict[str, pd.DataFrame]:
    package = StudyPackage(tables=study.tables, meta=study.meta, path=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return employment_effects(
            study.tables["register_persons"],
            study.tables["register_months"],
            modifiers=effect_modifiers(package),
            extract_end=study.meta["extract_end"],
        )


def test_it_gives_every_table_with_its_columns(tables) -> None:
    assert set(tables) == {
        "matching",
        "balance",
        "event_study",
        "event_study_average",
        "did_tests",
        "placebo",
        "trajectory",
        "effect_modification",
        "modification_tests",
        "retention_km",
        "retention_cox",
    }
    es = tables["event_study"]
    assert set(es["outcome"]) == {
        "employed_1h",
        "employed_12h",
        "employed_3m",
        "on_benefit",
        "earnings",
    }
    for col in ("estimate", "se", "ci_low", "ci_high", "p_val", "n_treated", "suppressed"):
        assert col in es.columns
    # 37 event months (-24..12) less the reference month, per outcome.
    assert (es.groupby("outcome").size() == 36).all()
    assert set(tables["did_tests"]["test"]) == {"pre-trends", "placebo 6 months"}
    # The average over months 0-12 is the mean of the monthly estimates (hand-checked).
    avg = tables["event_study_average"].set_index("outcome")
    post = es[es["event_month"].between(0, 12)].groupby("outcome")["estimate"].mean()
    assert np.allclose(avg.loc[post.index, "estimate"], post)
    assert (avg["ci_low"] < avg["estimate"]).all()
    assert (avg["estimate"] < avg["ci_high"]).all()


def test_the_intervals_cover_the_planted_effect_here(study, tables) -> None:
    # Source: truth.json of simulate_study(seed=5), the planted ATT by event month.
    truth = study.truth["employment"]["employed_1h_att_by_event_month"]
    es = tables["event_study"]
    post = es[(es["outcome"] == "employed_1h") & (es["event_month"] >= 0)]
    planted = np.array([truth[str(e)] for e in post["event_month"]])
    inside = (post["ci_low"].to_numpy() <= planted) & (planted <= post["ci_high"].to_numpy())
    assert inside.mean() >= 0.75  # one study; the slow test below checks 95 % over 200


def test_matching_balances_the_characteristics_and_reports_the_history(tables) -> None:
    bal = tables["balance"]
    matched = bal[bal["matched_on"]]
    assert set(matched["variable"]) <= set(CHARACTERISTICS)
    shown = matched[~matched["suppressed"]]
    assert len(shown) >= 10
    assert (shown["smd_after"].abs() < 0.1).all()
    # The outcome history is shown for the reader, not matched on by default.
    assert set(HISTORY_COLUMNS) <= set(bal.loc[~bal["matched_on"], "variable"])


def test_a_category_held_by_fewer_than_ten_persons_is_blanked(tables) -> None:
    bal = tables["balance"]
    level = bal[bal["level"].notna()]
    implied = (level["mean_treated_before"] * level["n_treated_before"]).round()
    # Rows still shown never imply 1-9 treated persons in a category.
    assert not ((implied > 0) & (implied < 10)).any()
    hidden = bal[bal["suppressed"]]
    assert len(hidden) > 0
    assert hidden[["mean_treated_before", "smd_before", "smd_after"]].isna().all().all()
    matching = dict(zip(tables["matching"]["statistic"], tables["matching"]["value"], strict=True))
    for stat, value in matching.items():
        if stat.startswith("n_") and isinstance(value, int):
            assert value == 0 or value >= 10, (stat, value)


def test_trajectories_of_treated_and_controls_are_shares(tables) -> None:
    traj = tables["trajectory"]
    assert set(traj["group"]) == {"treated", "control"}
    shares = traj["share"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()


def test_subgroups_include_benefit_history_and_caseload(tables) -> None:
    mods = set(tables["effect_modification"]["modifier"])
    assert {
        "temporary_contract",
        "sheltered",
        "employer_size",
        "public_sector",
        "caseload_under_10",
        "social_assistance_before",
        "disability_benefit_before",
    } <= mods
    em = tables["effect_modification"]
    # A subgroup of fewer than 10 treated persons is not shown (the CBS rule).
    hidden = em["suppressed"].to_numpy()
    assert hidden.any()
    assert em.loc[hidden, ["estimate", "se", "ci_low", "ci_high", "n_treated"]].isna().all().all()
    assert (em.loc[~hidden, "n_treated"] >= 10).all()


def test_an_unknown_outcome_is_a_named_error(study) -> None:
    with pytest.raises(MissingColumnsError, match="unknown outcome"):
        employment_effects(
            study.tables["register_persons"],
            study.tables["register_months"],
            outcomes=["employed_2h"],
        )


def test_fewer_than_ten_treated_persons_are_suppressed(study) -> None:
    persons = study.tables["register_persons"]
    treated = persons.index[persons["treated"].astype(bool)]
    few = persons.drop(treated[8:])
    keep = set(few["person_id"])
    months = study.tables["register_months"]
    months = months[months["person_id"].isin(keep)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = employment_effects(few, months, outcomes=["employed_1h"])
    es = out["event_study"]
    assert es["suppressed"].all()
    assert es["estimate"].isna().all()


def test_matching_on_the_outcome_history_is_a_setting() -> None:
    assert EmploymentSettings().columns == CHARACTERISTICS
    assert set(HISTORY_COLUMNS) <= set(EmploymentSettings(match_on_history=True).columns)


# --------------------------------------------------------------------------- coverage (slow)


def _register(seed: int, n_treated: int = 150, n_controls: int = 3000):
    """The simulator's register part, with treated persons spread over sectors and sizes."""
    rng = np.random.default_rng(seed)
    idx = 2021 * 12 + rng.integers(0, 12, n_treated)
    starts = np.array([f"{i // 12}-{i % 12 + 1:02d}" for i in idx], dtype=object)
    persons, months, truth = simulate_register(
        rng,
        effects=PlantedEffects(),
        treated_start=starts,
        treated_region=np.full(n_treated, "R10", dtype=object),
        treated_sector=rng.choice(SECTORS, n_treated, p=SECTOR_P),
        treated_size=rng.choice(["small", "medium", "large"], n_treated),
        treated_sheltered=rng.random(n_treated) < 0.1,
        control_regions=np.array(["R20", "R21"], dtype=object),
        n_controls=n_controls,
        extract_start="2019-01",
        extract_end="2022-12",
    )
    planted = np.array(list(truth["employed_1h_att_by_event_month"].values()))
    return persons, months, planted


@pytest.mark.slow
def test_matched_event_study_covers_the_planted_effects_in_95_percent_of_studies() -> None:
    # Source: the planted ATT of simulate_register (published profile). 200 simulated register
    # extracts of 150 treated and 3,000 controls, each through the default route:
    # propensity score on the characteristics, 1:10 nearest neighbours with a 0.2 SD caliper,
    # stacked event study with person-clustered errors, placebo 6 months before the start.
    runs, started = 200, time.perf_counter()
    cover, placebo = [], []
    for r in range(runs):
        persons, months, planted = _register(7000 + r)
        panel = employment_outcomes(months, person_ids=persons["person_id"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cov = matching_covariates(persons, panel)
            sets = match(cov, columns=CHARACTERISTICS, k=10, seed=r).sets
        res = event_study(sets, panel, outcome="employed_1h")
        post = res.tidy().query("event_month >= 0")
        truth = planted[post["event_month"].to_numpy()]
        cover.append((post["ci_low"] <= truth).to_numpy() & (truth <= post["ci_high"]).to_numpy())
        placebo.append(res.placebo(shift=6).test()["p_val"].iloc[0] < 0.05)
    cover_arr = np.array(cover)
    by_month = {e: round(float(v), 3) for e, v in enumerate(cover_arr.mean(axis=0))}
    print(
        f"\n{runs} studies in {time.perf_counter() - started:.0f} s; coverage pooled "
        f"{cover_arr.mean():.3f}, by event month {by_month}; placebo rejects "
        f"{np.mean(placebo):.3f}"
    )
    assert 0.93 <= cover_arr.mean() <= 0.97
    assert 0.02 <= np.mean(placebo) <= 0.09


def test_retention_covers_leaving_work_and_returning_to_benefit(tables) -> None:
    assert set(tables["retention_km"]["outcome"]) == {"employed", "off_benefit"}
    cox = tables["retention_cox"].set_index("outcome")
    assert set(cox.index) == {"employed", "off_benefit"}
    assert (cox["term"] == "treated").all()
    shown = tables["retention_km"].dropna(subset=["survival"])
    assert ((shown["survival"] >= 0) & (shown["survival"] <= 1)).all()
