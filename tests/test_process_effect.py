"""Process and effect: moderation of the supervisors' change, the moderators themselves and
the employment differences.

Expected numbers come from the two-sample t test that the model reduces to in a balanced
two-wave design, or by hand from ``process_data.py``. The REML fit itself is checked against
lme4 in ``tests/test_regions.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mentorwijs.evaluation.errors import NoProcessDataError
from mentorwijs.evaluation.process_effect import (
    change_moderation,
    employee_moderators,
    employment_moderation,
    supervisor_moderators,
)
from mentorwijs.simulation import simulate_study
from process_data import process_tables

DATA = Path(__file__).parent / "data"


def two_wave_scores(seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = [f"S{i:02d}" for i in range(16)]
    group = np.array([False] * 7 + [True] * 9)
    base = rng.normal(3, 0.6, 16)
    t1 = base + 0.3 + 0.2 * group + rng.normal(0, 0.3, 16)
    scores = pd.DataFrame(
        {
            "respondent_id": ids * 2,
            "wave": ["T0"] * 16 + ["T1"] * 16,
            "scale": "knowledge",
            "score": np.concatenate([base, t1]),
        }
    )
    mods = pd.DataFrame({"supervisor_id": ids, "dose_full": group})
    change = t1 - base
    return scores, mods, change[~group], change[group]


def test_two_waves_reduce_to_the_t_test_on_change_scores() -> None:
    # Every supervisor scored at T0 and T1: the change per subgroup is the mean change
    # score, and the difference with its SE is Student's two-sample t test (pooled
    # variance) on the change scores, as the REML criterion splits into within-person
    # differences and person means.
    scores, mods, a, b = two_wave_scores()
    out = change_moderation(scores, mods, min_count=1)
    ch = out[out["term"] == "change"].set_index("subgroup")
    assert ch.loc["False", "estimate"] == pytest.approx(a.mean(), abs=1e-10)
    assert ch.loc["True", "estimate"] == pytest.approx(b.mean(), abs=1e-10)
    diff = out[out["term"] == "difference"].iloc[0]
    t = stats.ttest_ind(b, a)
    assert diff["estimate"] == pytest.approx(b.mean() - a.mean(), abs=1e-10)
    assert diff["se"] == pytest.approx(diff["estimate"] / t.statistic, rel=1e-6)
    assert (diff["subgroup"], diff["reference"]) == ("True", "False")
    assert (diff["n_units"], diff["n_wave"]) == (7, 7)
    assert diff["ci_low"] == pytest.approx(diff["estimate"] - 1.959964 * diff["se"], rel=1e-6)


def test_with_missing_waves_the_difference_is_the_difference_of_the_changes() -> None:
    # Drop the T1 scores of S01 and S04 (reference subgroup) and S14: the two
    # parametrisations of one model must still agree, and a missing wave lowers the
    # subgroup's count at that wave only (7 supervisors, 5 at T1).
    scores, mods, _, _ = two_wave_scores(seed=8)
    scores = scores.drop(index=[16 + 1, 16 + 4, 16 + 14])
    out = change_moderation(scores, mods, min_count=1)
    ch = out[out["term"] == "change"].set_index("subgroup")
    diff = out[out["term"] == "difference"].iloc[0]
    assert diff["estimate"] == pytest.approx(
        ch.loc["True", "estimate"] - ch.loc["False", "estimate"], abs=1e-7
    )
    assert (ch.loc["False", "n_units"], ch.loc["False", "n_wave"]) == (7, 5)
    assert diff["se"] > max(ch["se"])


def test_small_subgroups_are_suppressed_with_a_plain_warning() -> None:
    scores, mods, _, _ = two_wave_scores()
    out = change_moderation(scores, mods)  # 7 and 9 supervisors: below 10
    assert out["suppressed"].all()
    assert out["estimate"].isna().all()
    assert out["warning"].str.contains("fewer than 10 supervisors").all()


def test_a_moderator_with_one_value_is_left_out_with_a_warning() -> None:
    scores, mods, _, _ = two_wave_scores()
    mods = mods.assign(delivery_mode="online")
    with pytest.warns(UserWarning, match="delivery_mode.*one value"):
        out = change_moderation(scores, mods, min_count=1)
    assert set(out["moderator"]) == {"dose_full"}
    only_mode = mods[["supervisor_id", "delivery_mode"]]
    with pytest.raises(NoProcessDataError), pytest.warns(UserWarning, match="one value"):
        change_moderation(scores, only_mode)


def test_the_moderators_of_the_hand_made_study() -> None:
    t = process_tables()
    m = supervisor_moderators(
        t["supervisors"], t["training_groups"], t["meetings"], t["attendance"], t["responses"]
    ).set_index("supervisor_id")
    # Full dose = every meeting the group held: S1 5 of 5; S4 4 of G2's 4 held meetings.
    assert m["dose_full"].to_dict() == {
        "S1": True,
        "S2": False,
        "S3": False,
        "S4": True,
        "S5": False,
    }
    assert m["delivery_mode"].to_dict() == {
        "S1": "in_person",
        "S2": "in_person",
        "S3": "in_person",
        "S4": "online",
        "S5": "online",
    }
    # Feedback 2, 1, -, 3, 2 (S3 did not answer): barrier when at most 2.
    fb = m["det_feedback_barrier"]
    assert [fb["S1"], fb["S2"], fb["S4"], fb["S5"]] == [True, True, False, True]
    assert pd.isna(fb["S3"])
    per = employee_moderators(t["employees"], m.reset_index())
    assert per["person_id"].tolist() == ["P001"]  # only E01 (of S1) is linked
    assert bool(per["dose_full"].iloc[0])
    assert per["delivery_mode"].iloc[0] == "in_person"


def test_the_employment_difference_comes_from_the_wald_statistic() -> None:
    # Subgroups 0.05 and 0.15: d = 0.10; W = 4 means V = d^2 / W = 0.0025, SE 0.05.
    em = pd.DataFrame(
        {
            "modifier": ["dose_full", "dose_full", "sheltered"],
            "subgroup": ["False", "True", "False"],
            "estimate": [0.05, 0.15, 0.1],
            "se": [0.04, 0.03, 0.02],
            "ci_low": [0.0] * 3,
            "ci_high": [0.2] * 3,
            "p_val": [0.2, 0.01, 0.0],
            "n_treated": [12.0, 40.0, 60.0],
            "warning": ["", "", ""],
            "suppressed": [False, False, False],
        }
    )
    tests = pd.DataFrame(
        {"modifier": ["dose_full", "sheltered"], "statistic": [4.0, 1.0], "p_val": [0.0455, 0.3]}
    )
    out = employment_moderation(em, tests, ["dose_full"])
    assert out["term"].tolist() == ["subgroup", "subgroup", "difference"]
    d = out.iloc[2]
    assert (d["subgroup"], d["reference"]) == ("True", "False")
    assert d["estimate"] == pytest.approx(0.10)
    assert d["se"] == pytest.approx(0.05)
    assert d["ci_high"] == pytest.approx(0.10 + 1.959964 * 0.05, rel=1e-6)
    assert (d["p_val"], d["n_treated"]) == (0.0455, 12.0)
    # A suppressed subgroup hides the difference too.
    hidden = em.assign(suppressed=[True, False, False])
    d = employment_moderation(hidden, tests, ["dose_full"]).iloc[2]
    assert d["suppressed"]
    assert np.isnan(d["estimate"])


@pytest.mark.slow
def test_without_a_planted_moderation_few_intervals_exclude_zero() -> None:
    # The simulator plants no moderation: dose, mode and determinants are unrelated to the
    # supervisors' change. Over 10 studies, about 5 % of the difference intervals exclude
    # 0; more than 10 % would mean intervals that are too narrow. (Intervals of one study
    # share supervisors, so the 10 studies give about 10 x 84 correlated intervals.)
    from mentorwijs.evaluation.scales import score_scales

    excluded, total = 0, 0
    for seed in range(10):
        t = simulate_study(seed=100 + seed).tables
        m = supervisor_moderators(
            t["supervisors"],
            t["training_groups"],
            t["meetings"],
            t["attendance"],
            t["responses"],
        )
        out = change_moderation(score_scales(t["responses"], instrument="sv_outcomes"), m)
        d = out[(out["term"] == "difference") & ~out["suppressed"]]
        excluded += int(((d["ci_low"] > 0) | (d["ci_high"] < 0)).sum())
        total += len(d)
    assert total > 300
    assert excluded / total < 0.10
