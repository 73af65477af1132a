"""Coded interviews: one coding per interview, regions, code frequencies, co-occurrence,
retrieval with effect subgroups, the ranked facilitators and barriers, the codebook and the
simulated interviews. Expected values by hand, or from the simulator's planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.errors import InvalidSegmentsError, NoProcessDataError
from mentorwijs.evaluation.process_findings import practice_factors, segment_directions
from mentorwijs.evaluation.qualitative import (
    code_cooccurrence,
    code_frequencies,
    effect_subgroups,
    main_coding,
    passages,
    respondent_modifiers,
    retrieve_passages,
    tidy_segments,
    with_regions,
)
from mentorwijs.protocol.codebook import load_codebook
from mentorwijs.simulation import simulate_study
from process_data import process_tables


def seg(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (interview, respondent, role, region, wave, code, start, end[, coder])."""
    out = []
    for n, r in enumerate(rows, start=1):
        iid, rid, role, region, wave, code, s, e, *coder = r
        out.append(
            {
                "interview_id": iid,
                "segment_no": n,
                "respondent_id": rid,
                "role": role,
                "code": code,
                "start": s,
                "end": e,
                "text": f"passage {n}",
                "wave": wave,
                "coder": coder[0] if coder else None,
                "region_id": region,
            }
        )
    return pd.DataFrame(out)


#: I1: supervisor S1 (R10, T1): a twice, b. I2: supervisor S4 (R11, T1): a.
#: I3: employee E03 (R10, T2): b. I4: trainer TR2 (no region, T1): a, c.
FOUR = seg(
    [
        ("I1", "S1", "supervisor", "R10", "T1", "a", 0, 10),
        ("I1", "S1", "supervisor", "R10", "T1", "a", 20, 30),
        ("I1", "S1", "supervisor", "R10", "T1", "b", 20, 30),
        ("I2", "S4", "supervisor", "R11", "T1", "a", 0, 10),
        ("I3", "E03", "employee", "R10", "T2", "b", 0, 10),
        ("I4", "TR2", "trainer", None, "T1", "a", 0, 10),
        ("I4", "TR2", "trainer", None, "T1", "c", 5, 15),
    ]
)


def freq(table: pd.DataFrame, level: str, unit: str, code: str) -> pd.Series:
    r = table[(table["level"] == level) & (table["unit"] == unit) & (table["code"] == code)]
    assert len(r) == 1
    return r.iloc[0]


def test_code_frequencies_by_hand() -> None:
    f = code_frequencies(FOUR, min_interviews=1)
    a = freq(f, "overall", "all", "a")
    assert (a.segments, a.interviews, a.interviews_in_unit, a.share_interviews) == (4, 3, 4, 0.75)
    assert freq(f, "overall", "all", "c").share_interviews == 0.25
    sup_a = freq(f, "role", "supervisor", "a")
    assert (sup_a.segments, sup_a.interviews, sup_a.share_interviews) == (3, 2, 1.0)
    assert freq(f, "role", "supervisor", "c").segments == 0
    r10_b = freq(f, "region", "R10", "b")  # I1 and I3
    assert (r10_b.segments, r10_b.interviews, r10_b.share_interviews) == (2, 2, 1.0)
    assert freq(f, "region", "unknown", "c").interviews == 1  # the trainer
    t1_b = freq(f, "wave", "T1", "b")  # I1, I2, I4
    assert (t1_b.interviews, t1_b.interviews_in_unit) == (1, 3)
    assert list(f.loc[f["level"] == "role", "unit"].unique()) == [
        "trainer",
        "supervisor",
        "employee",
    ]


def test_units_with_few_interviews_are_blanked() -> None:
    f = code_frequencies(FOUR, min_interviews=2)
    emp = f[(f["level"] == "role") & (f["unit"] == "employee")]
    assert emp["suppressed"].all()
    assert emp["segments"].isna().all()
    assert not f[(f["level"] == "role") & (f["unit"] == "supervisor")]["suppressed"].any()


def test_cooccurrence_by_hand() -> None:
    rows = [
        ("I1", "S1", "supervisor", None, None, "X", 0, 10),
        ("I1", "S1", "supervisor", None, None, "Y", 0, 10),
        ("I1", "S1", "supervisor", None, None, "Z", 5, 15),
        ("I1", "S1", "supervisor", None, None, "X", 30, 40),
        ("I1", "S1", "supervisor", None, None, "W", 40, 50),  # touches X, no overlap
        ("I2", "S2", "supervisor", None, None, "X", 0, 5),
        ("I2", "S2", "supervisor", None, None, "Y", 10, 20),
    ]
    c = code_cooccurrence(seg(rows)).set_index(["code_a", "code_b"])
    assert c.loc[("X", "Y")].tolist() == [1, 1, 2]  # pairs, interviews, interviews with both
    assert c.loc[("X", "Z")].tolist() == [1, 1, 1]
    assert c.loc[("Y", "Z")].tolist() == [1, 1, 1]
    assert ("W", "X") not in c.index
    assert len(c) == 3


def test_one_coding_per_interview_is_the_main_coders() -> None:
    rows = [
        ("I1", "S1", "supervisor", None, None, "a", 0, 5, "C1"),
        ("I1", "S1", "supervisor", None, None, "b", 0, 5, "C2"),
        ("I2", "S2", "supervisor", None, None, "a", 0, 5, "C1"),
        ("I3", "S3", "supervisor", None, None, "c", 0, 5, "C2"),
    ]
    # C1 and C2 coded two interviews each: the tie goes to C1, so I1 keeps C1's coding;
    # I3 only has C2's.
    m = main_coding(seg(rows))
    assert sorted(zip(m["interview_id"], m["coder"], strict=True)) == [
        ("I1", "C1"),
        ("I2", "C1"),
        ("I3", "C2"),
    ]


def test_regions_come_from_the_registry_where_not_given() -> None:
    # The site's rule: a supervisor's employer's region, an employee's supervisor's
    # employer's, a trainer's training provider's.
    t = process_tables()
    rows = [
        ("I1", "S6", "supervisor", None, None, "a", 0, 5),  # employer E2: R11
        ("I2", "E03", "employee", None, None, "a", 0, 5),  # supervisor S3 at E1: R10
        ("I3", "TR2", "trainer", None, None, "a", 0, 5),  # provider P1: R10
        ("I4", "S4", "supervisor", "R10", None, "a", 0, 5),  # given: kept
        ("I5", "CO1", "coordinator", "R11", None, "a", 0, 5),  # given
        ("I6", "CO2", "coordinator", None, None, "a", 0, 5),  # cannot be derived
    ]
    s = with_regions(
        seg(rows), supervisors=t["supervisors"], employees=t["employees"],
        trainers=t["trainers"], organisations=t["organisations"],
    )  # fmt: skip
    assert s["region_id"].tolist() == ["R11", "R10", "R10", "R10", "R11", None]


def test_bad_segments_are_named_errors() -> None:
    with pytest.raises(InvalidSegmentsError, match="lack column"):
        tidy_segments(FOUR.drop(columns="code"))
    with pytest.raises(InvalidSegmentsError, match="end before they start"):
        tidy_segments(FOUR.assign(start=FOUR["end"] + 1))


SUBGROUPS = pd.DataFrame(
    {
        "modifier": [
            "caseload_under_10",
            "caseload_under_10",
            "employer_size",
            "employer_size",
            "employer_size",
            "sheltered",
            "sheltered",
        ],
        "subgroup": ["False", "True", "large", "medium", "small", "False", "True"],
        "estimate": [0.02, 0.09, -0.01, 0.03, 0.12, 0.05, np.nan],
        "suppressed": [False, False, False, True, False, False, True],
    }
)
TESTS = pd.DataFrame(
    {"modifier": ["caseload_under_10", "employer_size", "sheltered"], "p_val": [0.04, 0.3, 0.9]}
)


def test_effect_subgroups_by_hand() -> None:
    e = effect_subgroups(SUBGROUPS, TESTS)
    # caseload: True 0.09 larger, False 0.02 smaller; size: small larger, large smaller
    # (medium is suppressed); sheltered has one shown subgroup: left out.
    got = set(zip(e["modifier"], e["subgroup"], e["effect"], strict=True))
    assert got == {
        ("caseload_under_10", "True", "larger"),
        ("caseload_under_10", "False", "smaller"),
        ("employer_size", "small", "larger"),
        ("employer_size", "large", "smaller"),
    }
    assert e.loc[e["modifier"] == "caseload_under_10", "p_equal"].tolist() == [0.04, 0.04]


def test_respondent_modifiers_and_retrieval_by_effect_subgroup() -> None:
    t = process_tables()
    mods = respondent_modifiers(
        supervisors=t["supervisors"],
        organisations=t["organisations"],
        employees=t["employees"],
        register_persons=t["register_persons"],
    )
    m = {
        (r, k): v
        for r, k, v in mods[["respondent_id", "modifier", "subgroup"]].itertuples(index=False)
    }
    # S1 guides 2 (< 10) at E1 (small, retail); S3 guides 12; S4 at E2 (large, public).
    assert (m[("S1", "caseload_under_10")], m[("S3", "caseload_under_10")]) == ("True", "False")
    assert (m[("S1", "employer_size")], m[("S4", "public_sector")]) == ("small", "True")
    # E01 is register person P001: temporary contract, small retail employer.
    assert (m[("E01", "temporary_contract")], m[("E01", "employer_size")]) == ("True", "small")
    assert m[("E03", "caseload_under_10")] == "False"  # via S3
    assert ("E03", "temporary_contract") not in m  # not linked to the register
    only = respondent_modifiers(
        supervisors=t["supervisors"], organisations=t["organisations"],
        employees=t["employees"], register_persons=t["register_persons"],
        respondents={"S1", "E03"},
    )  # fmt: skip
    assert set(only["respondent_id"]) == {"S1", "S3", "E03"}  # S3 guides E03
    both = mods[mods["respondent_id"].isin(["S1", "S3", "E03"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(only.reset_index(drop=True), both)
    table = passages(FOUR, modifiers=mods, subgroups=effect_subgroups(SUBGROUPS, TESTS))
    s1 = table[table["respondent_id"] == "S1"].iloc[0]
    assert s1["larger_effect_in"] == "caseload_under_10=True; employer_size=small"
    s4 = table[table["respondent_id"] == "S4"].iloc[0]
    assert s4["smaller_effect_in"] == "employer_size=large"
    assert s4["larger_effect_in"] == "caseload_under_10=True"
    # Retrieval: code a by supervisors in a subgroup with the larger effect of employer size.
    got = retrieve_passages(table, code="a", effect="larger", modifier="employer_size")
    assert got["respondent_id"].tolist() == ["S1", "S1"]
    assert len(retrieve_passages(table, code="a", role="supervisor", region="R11")) == 1
    assert len(retrieve_passages(table, code=["b", "c"])) == 3
    assert set(retrieve_passages(table, effect="smaller")["respondent_id"]) == {"S4", "E03"}
    with pytest.raises(InvalidSegmentsError, match="larger"):
        retrieve_passages(table, effect="bigger")


def test_practice_factors_by_hand() -> None:
    t = process_tables()
    rows = [
        # I1 segment 1: feedback and formal ratification, as barriers; segment 2: feedback
        # without a direction (a mention only).
        ("I1", "S1", "supervisor", None, None, "midi-performance-feedback", 0, 5),
        ("I1", "S1", "supervisor", None, None, "midi-formal-ratification", 0, 5),
        ("I1", "S1", "supervisor", None, None, "barrier", 0, 5),
        ("I1", "S1", "supervisor", None, None, "midi-performance-feedback", 10, 15),
        ("I2", "S4", "supervisor", None, None, "midi-performance-feedback", 0, 5),
        ("I2", "S4", "supervisor", None, None, "barrier", 0, 5),
        ("I3", "E03", "employee", None, None, "midi-knowledge", 0, 5),
        ("I3", "E03", "employee", None, None, "barrier", 0, 5),
        ("I4", "TR2", "trainer", None, None, "midi-social-support", 0, 5),
        ("I4", "TR2", "trainer", None, None, "facilitator", 0, 5),
        ("I4", "TR2", "trainer", None, None, "samen-eten", 0, 5),
    ]
    segments = seg(rows)
    # The rows of one segment share its number.
    segments["segment_no"] = [1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1]
    p = practice_factors(t["responses"], segments, min_count=1)
    b = p[p["kind"] == "barrier"].set_index("determinant")
    # Barriers (share scoring <= 2; share of the 4 interviews coding it with barrier):
    # feedback (3/4 + 2/4) / 2 = .625; formal ratification (3/4 + 1/4) / 2 = .5;
    # knowledge 1/4 (interviews only); time, resources and social support 0, tied, by lower
    # mean: resources (3), time (4), social support (colleagues, 4.75).
    assert b["rank"].to_dict() == {
        "midi-performance-feedback": 1, "midi-formal-ratification": 2, "midi-knowledge": 3,
        "midi-material-resources": 4, "midi-time-available": 5, "midi-social-support": 6,
    }  # fmt: skip
    fb = b.loc["midi-performance-feedback"]
    assert fb[["share_answers", "share_interviews", "score"]].tolist() == [0.75, 0.5, 0.625]
    assert (fb["interviews_mentioned"], fb["passages"], fb["item"]) == (2, 2, "det_feedback")
    assert b.loc["midi-knowledge", "evidence"] == "interviews"
    assert fb["evidence"] == "questionnaire and interviews"
    assert b.loc["midi-time-available", "evidence"] == "questionnaire"
    f = p[p["kind"] == "facilitator"].set_index("determinant")
    # Facilitators (share scoring >= 4): time .75 (questionnaire only); social support
    # (4/4 + 1/4) / 2 = .625; formal ratification 1/4; feedback and resources 0, by higher
    # mean: resources (3) before feedback (2).
    assert f["rank"].to_dict() == {
        "midi-time-available": 1, "midi-social-support": 2, "midi-formal-ratification": 3,
        "midi-material-resources": 4, "midi-performance-feedback": 5,
    }  # fmt: skip
    assert f.loc["midi-social-support", "direction_code"] == "facilitator"
    assert f.loc["midi-social-support", "label_nl"] == "Sociale steun"
    assert f.loc["midi-social-support", "group"] == "midi-user"


def test_without_direction_codes_interviews_count_as_mentions_only() -> None:
    t = process_tables()
    rows = [("I1", "S1", "supervisor", None, None, "midi-performance-feedback", 0, 5)]
    with pytest.warns(UserWarning, match="direction code"):
        p = practice_factors(t["responses"], seg(rows), min_count=1)
    b = p[p["kind"] == "barrier"].set_index("determinant")
    assert b.loc["midi-performance-feedback", "share_mentioned"] == 1.0
    assert np.isnan(b.loc["midi-performance-feedback", "share_interviews"])
    assert b.loc["midi-performance-feedback", "score"] == 0.75  # the questionnaire alone
    assert set(b["evidence"]) == {"questionnaire"}


def test_practice_factors_hide_small_counts_but_keep_the_order() -> None:
    t = process_tables()
    p = practice_factors(t["responses"], None)
    b = p[p["kind"] == "barrier"]
    assert b["determinant"].tolist()[:2] == [
        "midi-performance-feedback",
        "midi-formal-ratification",
    ]
    assert b[["n_answers", "mean", "share_answers", "score"]].isna().all().all()
    assert b["suppressed"].all()
    with pytest.raises(NoProcessDataError):
        practice_factors(t["responses"].iloc[:0], None)


# --- simulated interviews -------------------------------------------------------------------


@pytest.fixture(scope="module")
def study():
    return simulate_study(seed=2023)


def test_the_simulated_interviews_reproduce_the_planted_mentions(study) -> None:
    truth = study.truth["planted"]["interviews"]
    s = study.tables["interview_segments"]
    assert s["interview_id"].nunique() == truth["interviews"] == 18
    assert s.groupby("role")["interview_id"].nunique().to_dict() == truth["interviews_per_role"]
    main = main_coding(s)
    assert set(main["coder"]) == {"coder-1"}
    d = main.merge(segment_directions(main), on=["interview_id", "segment_no"])
    for kind, shares in truth["mention_share"].items():
        for det, planted in shares.items():
            found = d.loc[(d["code"] == det) & d[kind], "interview_id"].nunique() / 18
            assert found == pytest.approx(planted), (kind, det)
    # The offsets point into one transcript: a passage's text is as long as its range.
    assert ((s["end"] - s["start"]) == s["text"].str.len()).all()
    # Every code is a shipped one (MIDI determinants and the direction codes) but the
    # inductive meal code.
    book = load_codebook()
    others = set(s["code"]) - {c.key for c in book.codes}
    assert others <= {"samen-eten"}


def test_the_simulated_study_ranks_feedback_and_ratification_as_top_barriers(study) -> None:
    t = study.tables
    p = practice_factors(t["responses"], main_coding(t["interview_segments"]))
    top = p[(p["kind"] == "barrier") & (p["rank"] <= 2)]["determinant"]
    assert set(top) == {"midi-performance-feedback", "midi-formal-ratification"}


def test_the_second_coder_agrees_as_planted(study) -> None:
    from mentorwijs.evaluation.qualitative_agreement import coder_agreement

    s = study.tables["interview_segments"]
    assert s["coder"].nunique() == 2
    out = coder_agreement(s).set_index(["unit", "code"])
    assert (out["interviews"] == study.truth["planted"]["interviews"]["double_coded"]).all()
    # 85 % of passages get the same codes, so agreement is high but not perfect.
    for unit in ("character", "passage"):
        k = out.loc[(unit, "all codes"), "kappa"]
        assert 0.6 < k < 0.98, (unit, k)
    # The second coder sometimes leaves out an opening sentence, which only the character
    # units count.
    assert out.loc[("passage", "all codes"), "kappa"] > out.loc[("character", "all codes"), "kappa"]


@pytest.mark.slow
def test_the_pipeline_on_a_simulated_study_makes_every_process_table(result) -> None:
    # ``result`` (conftest): a simulated study evaluated with the default steps.
    names = [
        "process_reach", "process_delivery", "process_dose_received", "process_satisfaction",
        "process_extra_time", "process_determinants", "process_effect_supervisors",
        "process_effect_employment", "process_modification_tests", "interview_codes",
        "interview_cooccurrence", "interview_passages", "interview_subgroups",
        "coder_agreement", "practice_factors",
    ]  # fmt: skip
    missing = [n for n in names if n not in result.tables]
    assert not missing, (missing, result.diagnostics["skipped"])
    pe = result.tables["process_effect_employment"]
    assert {"dose_full", "delivery_mode"} <= set(pe["moderator"])
    # The process moderators leave the study's own subgroup table as it was.
    assert not set(pe["moderator"]) & set(result.tables["effect_modification"]["modifier"])
    p = result.tables["interview_passages"]
    assert (p["larger_effect_in"].fillna("") != "").any()
    pf = result.tables["practice_factors"]
    top = pf[(pf["kind"] == "barrier") & (pf["rank"] <= 2)]["determinant"]
    assert set(top) == {"midi-performance-feedback", "midi-formal-ratification"}
