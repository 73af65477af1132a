"""Process measures: reach, dose delivered, fidelity, dose received, satisfaction, extra
guidance time and workplace determinants.

Every expected value is worked out by hand from the study in ``process_data.py`` (its
docstring lists the data), or derived from the simulator's planted truth.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.errors import InvalidProcessSettingError, NoProcessDataError
from mentorwijs.evaluation.process import (
    delivery,
    dose_received,
    group_units,
    reach,
    supervisor_units,
)
from mentorwijs.evaluation.process_answers import (
    extra_guidance,
    satisfaction,
    workplace_determinants,
)
from mentorwijs.simulation import simulate_study
from mentorwijs.simulation.registry import ATTENDED_P, exact_counts
from mentorwijs.studydata import read_package, write_package
from process_data import process_tables


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return process_tables()


@pytest.fixture(scope="module")
def units(t) -> pd.DataFrame:
    return supervisor_units(t["supervisors"], t["training_groups"], t["organisations"])


def row(df: pd.DataFrame, level: str, unit: str, **keys: object) -> pd.Series:
    sel = (df["level"] == level) & (df["unit"] == unit)
    for k, v in keys.items():
        sel &= df[k] == v
    assert sel.sum() == 1, (level, unit, keys)
    return df[sel].iloc[0]


def test_the_hand_made_package_is_valid(t, tmp_path: Path) -> None:
    from conftest import TINY_META

    read_package(write_package(tmp_path / "p", t, meta=TINY_META))


def test_units_put_a_group_under_both_its_trainers(t) -> None:
    u = group_units(t["training_groups"])
    g1 = set(map(tuple, u.loc[u["training_group_id"] == "G1", ["level", "unit"]].to_numpy()))
    assert g1 == {
        ("overall", "all"),
        ("region", "R10"),
        ("mode", "in_person"),
        ("trainer", "TR1"),
        ("trainer", "TR2"),
        ("group", "G1"),
    }
    g2 = set(map(tuple, u.loc[u["training_group_id"] == "G2", ["level", "unit"]].to_numpy()))
    assert ("trainer", "TR2") in g2
    assert len(g2) == 5


def test_reach_by_hand(t) -> None:
    r = reach(
        t["supervisors"],
        t["training_groups"],
        t["attendance"],
        t["employees"],
        t["organisations"],
        min_count=1,
    )
    # Overall: 6 invited, 5 enrolled (S6 never), 4 trained (S3 attended none); employers of
    # the trained: E1 (S1, S2) and E2 (S4, S5); employees of the trained: E01, E02, E04.
    o = row(r, "overall", "all")
    assert (o.supervisors_invited, o.supervisors_enrolled, o.supervisors_trained) == (6, 5, 4)
    assert o.share_enrolled == pytest.approx(5 / 6)
    assert o.share_trained == pytest.approx(4 / 5)
    assert (o.employers_reached, o.employees_reached) == (2, 3)
    # R11: S4, S5 in G2 and S6 through employer E2 = 3 invited, 2 enrolled, 2 trained.
    r11 = row(r, "region", "R11")
    assert (r11.supervisors_invited, r11.supervisors_enrolled, r11.supervisors_trained) == (3, 2, 2)
    assert r11.share_enrolled == pytest.approx(2 / 3)
    assert (r11.employers_reached, r11.employees_reached) == (1, 1)
    r10 = row(r, "region", "R10")
    assert (r10.supervisors_enrolled, r10.supervisors_trained, r10.employees_reached) == (3, 2, 2)
    assert r10.share_trained == pytest.approx(2 / 3)
    # Below the region level nobody who never enrolled belongs: invited is unknown there.
    tr2 = row(r, "trainer", "TR2")
    assert math.isnan(tr2.supervisors_invited)
    assert (tr2.supervisors_enrolled, tr2.supervisors_trained, tr2.employers_reached) == (5, 4, 2)
    assert row(r, "trainer", "TR1").supervisors_enrolled == 3
    assert row(r, "mode", "online").supervisors_trained == 2
    assert list(r["level"].unique()) == ["overall", "region", "mode", "trainer", "group"]


def test_trained_needs_the_set_number_of_meetings(t) -> None:
    # At least 4 meetings: S1 (5) and S4 (4) only.
    r = reach(
        t["supervisors"],
        t["training_groups"],
        t["attendance"],
        t["employees"],
        min_count=1,
        trained_min=4,
    )
    assert row(r, "overall", "all").supervisors_trained == 2
    with pytest.raises(InvalidProcessSettingError, match="trained_min_meetings"):
        reach(
            t["supervisors"], t["training_groups"], t["attendance"], t["employees"], trained_min=6
        )


def test_reach_hides_cells_of_fewer_than_10_persons(t) -> None:
    r = reach(t["supervisors"], t["training_groups"], t["attendance"], t["employees"])
    assert r["suppressed"].all()
    assert r[["supervisors_enrolled", "share_trained", "employers_reached"]].isna().all().all()


def test_delivery_and_fidelity_by_hand(t) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean log gives no warning
        d = delivery(t["meetings"], t["training_groups"])
    g1 = row(d, "group", "G1")
    # G1: 5 of 5 held; 27 of 30 parts; fidelity 27/30 = 0.9.
    assert (g1.meetings_planned, g1.meetings_held, g1.meetings_unlogged) == (5, 5, 0)
    assert (g1.parts_planned, g1.parts_delivered) == (30, 27)
    assert g1.share_parts_delivered == pytest.approx(0.9)
    assert g1.fidelity == pytest.approx(0.9)
    assert g1.mean_duration_minutes == pytest.approx((150 + 140 + 150 + 155 + 120) / 5)
    g2 = row(d, "group", "G2")
    # G2: 4 of 5 held; meeting 4 held without a log is left out; meeting 3 not held counts
    # with 0 of its 6 parts: planned 6+6+6+6 = 24, delivered 6+6+3 = 15.
    assert (g2.meetings_held, g2.meetings_unlogged) == (4, 1)
    assert g2.share_meetings_held == pytest.approx(0.8)
    assert (g2.parts_planned, g2.parts_delivered) == (24, 15)
    assert g2.share_parts_delivered == pytest.approx(15 / 18)
    assert g2.fidelity == pytest.approx(15 / 24)
    assert g2.mean_duration_minutes == pytest.approx(90)
    o = row(d, "overall", "all")
    assert (o.groups, o.meetings_planned, o.meetings_held) == (2, 10, 9)
    assert o.fidelity == pytest.approx(42 / 54)
    assert o.share_parts_delivered == pytest.approx(42 / 48)
    assert (o.fidelity_min, o.fidelity_max) == pytest.approx((15 / 24, 0.9))
    assert o.mean_duration_minutes == pytest.approx(1075 / 9)
    assert row(d, "trainer", "TR2").fidelity == pytest.approx(42 / 54)
    assert row(d, "trainer", "TR1").fidelity == pytest.approx(0.9)
    assert not d["suppressed"].any()  # meetings, not persons


def test_more_parts_than_planned_count_as_planned_with_a_warning(t) -> None:
    m = t["meetings"].copy()
    m.loc[0, "delivered_parts"] = 9
    with pytest.warns(UserWarning, match="more parts delivered than planned"):
        d = delivery(m, t["training_groups"])
    # Meeting 1 logs 9 of 6 planned parts: it counts 6, as before, so still 27 of 30.
    assert row(d, "group", "G1").parts_delivered == 27


def test_dose_received_by_hand(t) -> None:
    d = dose_received(t["supervisors"], t["training_groups"], t["attendance"], min_count=1)
    o = d[(d["level"] == "overall")]
    # S3: 0, S5: 1, S2: 3, S4: 4, S1: 5 meetings.
    assert o["supervisors"].tolist() == [1, 1, 0, 1, 1, 1]
    assert o["share"].tolist() == pytest.approx([0.2, 0.2, 0, 0.2, 0.2, 0.2])
    g2 = d[(d["level"] == "group") & (d["unit"] == "G2")]
    assert g2["supervisors"].tolist() == [0, 1, 0, 0, 1, 0]
    assert (g2["n_supervisors"] == 2).all()


def test_supervisors_without_attendance_are_left_out_with_a_warning(t) -> None:
    att = t["attendance"][t["attendance"]["supervisor_id"] != "S5"]
    with pytest.warns(UserWarning, match="1 enrolled supervisor"):
        d = dose_received(t["supervisors"], t["training_groups"], att, min_count=1)
    assert row(d, "overall", "all", meetings_attended=1).supervisors == 0
    assert row(d, "overall", "all", meetings_attended=1).n_supervisors == 4
    no_rows = att.iloc[:0]
    with (
        pytest.raises(NoProcessDataError, match="attendance"),
        pytest.warns(UserWarning, match="5 enrolled"),
    ):
        dose_received(t["supervisors"], t["training_groups"], no_rows)


def test_satisfaction_by_hand(t, units) -> None:
    s = satisfaction(t["responses"], units, min_count=1)
    g = row(s, "overall", "all", aspect="sat_general")
    # 5, 4, 3, 4: mean 4, SD sqrt(2/3), 3 of 4 satisfied (4 or 5).
    assert (g.n, g["mean"]) == (4, 4.0)
    assert g.sd == pytest.approx(math.sqrt(2 / 3))
    assert (g.n_satisfied, g.share_satisfied) == (3, 0.75)
    tr = row(s, "overall", "all", aspect="sat_trainers")
    # 5, 5, 4 (S5 skipped): mean 14/3, SD sqrt(1/3).
    assert tr.n == 3
    assert tr["mean"] == pytest.approx(14 / 3)
    assert tr.sd == pytest.approx(math.sqrt(1 / 3))
    r11 = row(s, "region", "R11", aspect="sat_general")
    assert (r11["mean"], r11.share_satisfied) == (3.5, 0.5)
    assert set(s["aspect"]) == {"sat_general", "sat_trainers"}


def test_extra_guidance_by_hand(t, units) -> None:
    e = extra_guidance(t["responses"], units, min_count=1)
    o = row(e, "overall", "all")
    # Yes: S1, S4, S5 of 4. Hours among them: S1 4, S5 2 (S4 gave none; S2's 5 goes with no).
    assert (o.n, o.n_extra, o.share_extra) == (4, 3, 0.75)
    assert (o.n_hours, o.mean_hours, o.median_hours) == (2, 3.0, 3.0)
    assert o.sd_hours == pytest.approx(math.sqrt(2))
    r10 = row(e, "region", "R10")
    assert (r10.n, r10.n_extra, r10.n_hours, r10.mean_hours) == (2, 1, 1, 4.0)


def test_determinants_by_hand_ranked_lowest_first(t, units) -> None:
    d = workplace_determinants(t["responses"], units, min_count=1)
    o = d[d["level"] == "overall"].set_index("determinant")
    # feedback 2,1,3,2: mean 2, SD sqrt(2/3), 3 of 4 at most 2 (barrier), none at least 4.
    assert o.loc["det_feedback", "mean"] == 2.0
    assert o.loc["det_feedback", "sd"] == pytest.approx(math.sqrt(2 / 3))
    assert o.loc["det_feedback", ["share_barrier", "share_facilitator"]].tolist() == [0.75, 0.0]
    # endorsement 2,2,2,4: mean 2.5, SD 1; barrier 3/4, facilitator 1/4.
    assert o.loc["det_endorsement", ["mean", "sd"]].tolist() == pytest.approx([2.5, 1.0])
    assert o.loc["det_endorsement", ["share_barrier", "share_facilitator"]].tolist() == [
        0.75,
        0.25,
    ]
    assert o.loc["det_colleagues", ["mean", "share_facilitator"]].tolist() == [4.75, 1.0]
    # Means 2, 2.5, 3 (resources), 4 (time), 4.75 (colleagues).
    assert o["rank"].to_dict() == {
        "det_feedback": 1,
        "det_endorsement": 2,
        "det_time": 4,
        "det_resources": 3,
        "det_colleagues": 5,
    }


def test_a_tie_in_the_mean_goes_to_the_larger_barrier_share(t, units) -> None:
    # Give time the answers 1, 5, 2, 4 (mean 3, like resources' 3, 3, 3, 3) but 2 of 4
    # barriers: time ranks before resources.
    r = t["responses"].copy()
    vals = {"S1": 1.0, "S2": 5.0, "S4": 2.0, "S5": 4.0}
    sel = r["item"] == "det_time"
    r.loc[sel, "value"] = r.loc[sel, "respondent_id"].map(vals).to_numpy()
    d = workplace_determinants(r, units, min_count=1)
    o = d[d["level"] == "overall"].set_index("determinant")
    assert (o.loc["det_time", "rank"], o.loc["det_resources", "rank"]) == (3, 4)


def test_a_barrier_cut_off_must_lie_below_the_midpoint(t, units) -> None:
    with pytest.raises(InvalidProcessSettingError, match="barrier_max=3"):
        workplace_determinants(t["responses"], units, barrier_max=3)
    # barrier_max = 1: only "strongly disagree" is a barrier; facilitator = 5.
    d = workplace_determinants(t["responses"], units, barrier_max=1, min_count=1)
    o = d[d["level"] == "overall"].set_index("determinant")
    assert o.loc["det_feedback", "share_barrier"] == 0.25
    assert o.loc["det_colleagues", "share_facilitator"] == 0.75


def test_answer_tables_hide_small_cells_and_small_part_counts(t, units) -> None:
    d = workplace_determinants(t["responses"], units)
    assert d["suppressed"].all()
    assert d[["mean", "share_barrier", "rank"]].isna().all().all()
    # With a threshold of 3, the overall row shows (n = 4) but a part-count of 1 or 2 is a
    # count of persons in disguise and is blanked: endorsement's single facilitator.
    d = workplace_determinants(t["responses"], units, min_count=3)
    e = row(d, "overall", "all", determinant="det_endorsement")
    assert e["mean"] == 2.5
    assert e["share_barrier"] == 0.75
    assert math.isnan(e["share_facilitator"])
    assert e["suppressed"]


def test_no_answers_is_a_named_error(t, units) -> None:
    empty = t["responses"].iloc[:0]
    for f in (satisfaction, extra_guidance, workplace_determinants):
        with pytest.raises(NoProcessDataError):
            f(empty, units)


# --- the study-sized simulation reproduces what was planted ------------------------------


@pytest.fixture(scope="module")
def study():
    return simulate_study(seed=2023)


def test_dose_received_reproduces_the_planted_attendance(study) -> None:
    t = study.tables
    d = dose_received(t["supervisors"], t["training_groups"], t["attendance"])
    o = d[d["level"] == "overall"].set_index("meetings_attended")
    n = len(t["supervisors"])
    planted = study.truth["planted"]["attendance_shares"]
    # The simulator assigns exactly round-to-whole counts (largest remainder) of the
    # published 1/0/7/18/73 % (Schaap et al. 2023), so each share is within 1/n of it.
    counts = dict(zip([1, 2, 3, 4, 5], exact_counts(ATTENDED_P, n), strict=True))
    for k in range(1, 6):
        if 0 < counts[k] < 10:
            assert o.loc[k, "suppressed"]
            assert np.isnan(o.loc[k, "share"])
        else:
            assert abs(o.loc[k, "share"] - planted[str(k)]) <= 1 / n
    assert o.loc[0, "supervisors"] == 0


def test_satisfaction_reproduces_the_planted_distribution(study) -> None:
    t = study.tables
    u = supervisor_units(t["supervisors"], t["training_groups"], t["organisations"])
    s = satisfaction(t["responses"], u)
    o = s[s["level"] == "overall"].set_index("aspect")
    inv = t["invitations"]
    n = int(
        ((inv["role"] == "supervisor") & (inv["wave"] == "T1") & inv["completed_at"].notna()).sum()
    )
    planted = study.truth["planted"]["satisfaction_shares"]
    assert set(o.index) == set(planted)
    for aspect, shares in planted.items():
        p = np.array([shares[str(k)] for k in range(1, 6)])
        # Exact counts among the n T1 completers, then m answers skipped at random: the
        # share of 4-5 moves by at most m / (n - m) and the mean by 4 m / (n - m).
        c = exact_counts(p, n)
        m = n - int(o.loc[aspect, "n"])
        bound = m / (n - m) + 1e-12
        assert abs(o.loc[aspect, "share_satisfied"] - (c[3] + c[4]) / n) <= bound, aspect
        assert abs(o.loc[aspect, "mean"] - (np.arange(1, 6) @ c) / n) <= 4 * bound, aspect
        # and the planted mean itself (4.4, 4.7, 4.3) up to whole-count rounding
        assert abs(o.loc[aspect, "mean"] - np.arange(1, 6) @ p) <= 4 * bound + 2 / n, aspect
    assert o.loc["sat_trainers", "mean"] > o.loc["sat_general", "mean"]


def test_the_determinants_feedback_and_endorsement_come_out_lowest(study) -> None:
    t = study.tables
    u = supervisor_units(t["supervisors"], t["training_groups"], t["organisations"])
    d = workplace_determinants(t["responses"], u)
    o = d[d["level"] == "overall"]
    lowest = set(o.loc[o["rank"] <= 2, "determinant"])
    assert lowest == {"det_feedback", "det_endorsement"}


# --- the steps in the pipeline ----------------------------------------------------------------


def test_the_pipeline_saves_the_process_tables_and_says_what_it_left_out(t, tmp_path: Path) -> None:
    from conftest import TINY_META
    from mentorwijs.evaluation.pipeline import evaluate_package
    from mentorwijs.evaluation.result import EvaluationResult

    package = read_package(write_package(tmp_path / "p", t, meta=TINY_META))
    result = evaluate_package(
        package,
        created_at="2026-01-01T00:00:00Z",
        settings={"imputations": 0, "cost_benefit_draws": 0, "trained_min_meetings": 4},
    )
    for name in (
        "process_reach",
        "process_delivery",
        "process_dose_received",
        "process_satisfaction",
        "process_extra_time",
        "process_determinants",
        "practice_factors",
    ):
        assert name in result.tables, name
    skipped = result.diagnostics["skipped"]
    assert skipped["interviews: codes, co-occurrence, passages, coder agreement"] == (
        "the package has no coded interview segments"
    )
    assert (
        "sv_outcomes"
        in skipped["process and effect: dose, mode and determinants as moderators of change"]
    )
    assert result.metadata["settings"]["trained_min_meetings"] == 4
    # Fewer than 10 persons everywhere: the figures are blanked, the delivery log is not.
    assert result.tables["process_reach"]["suppressed"].all()
    assert row(result.tables["process_delivery"], "overall", "all").fidelity == pytest.approx(
        42 / 54
    )
    back = EvaluationResult.load(result.save(tmp_path / "r"))
    for name in ("process_delivery", "process_determinants", "practice_factors"):
        pd.testing.assert_frame_equal(back.tables[name], result.tables[name], check_dtype=False)


def test_a_package_without_process_answers_leaves_the_step_out_with_its_reason(
    tiny_package: Path,
) -> None:
    from mentorwijs.evaluation.pipeline import evaluate_package

    result = evaluate_package(
        read_package(tiny_package),
        created_at="2026-01-01T00:00:00Z",
        settings={"imputations": 0, "cost_benefit_draws": 0},
    )
    reason = result.diagnostics["skipped"][
        "process: satisfaction, extra guidance time, workplace determinants"
    ]
    assert "no supervisor answered" in reason
    assert "process_reach" in result.tables
    assert "process_satisfaction" not in result.tables
