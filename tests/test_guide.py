"""The practice guide and the employees' easy-read version: built from the result by rules.

The rules are checked on copies of the simulated study's result with hand-made process
tables (the columns the process evaluation documents in docs/evaluation.md), so each test
sees a rule speak when its finding is there and stay silent when it is not.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import docx
import pandas as pd
import pytest

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports import render_report
from mentorwijs.reports.document import Pictogram, build_easyread, build_guide
from mentorwijs.reports.sections import guide


def factors_table(rows: list[tuple[str, int, str, str | None, float | None, int]]) -> pd.DataFrame:
    """practice_factors rows: (kind, rank, code, item, share_answers, interviews_kind)."""
    return pd.DataFrame(
        [
            {
                "kind": kind,
                "rank": rank,
                "determinant": code,
                "label_nl": code.removeprefix("midi-").replace("-", " "),
                "label_en": code.removeprefix("midi-").replace("-", " "),
                "item": item,
                "direction_code": kind,
                "share_answers": share,
                "interviews": 18,
                "interviews_kind": k,
                "score": 0.5,
                "suppressed": False,
            }
            for kind, rank, code, item, share, k in rows
        ]
    )


def with_tables(result: EvaluationResult, **tables: pd.DataFrame) -> EvaluationResult:
    return EvaluationResult(
        tables={**result.tables, **tables}, diagnostics=result.diagnostics, metadata=result.metadata
    )


FACTORS = factors_table(
    [
        ("barrier", 1, "midi-performance-feedback", "det_feedback", 0.32, 12),
        ("barrier", 2, "midi-formal-ratification", "det_endorsement", 0.33, 11),
        ("barrier", 3, "midi-time-available", "det_time", 0.24, 8),
        ("facilitator", 1, "midi-compatibility", None, None, 12),
        ("facilitator", 2, "midi-social-support", "det_colleagues", 0.57, 11),
        ("facilitator", 3, "midi-coordinator", None, None, 10),
    ]
)
EXTRA_TIME = pd.DataFrame(
    [{"level": "overall", "unit": "all", "wave": "T1", "n": 94, "n_extra": 28,
      "share_extra": 0.2979, "n_hours": 27, "mean_hours": 6.04, "sd_hours": 3.2,
      "median_hours": 6.0, "suppressed": False}]
)  # fmt: skip


def test_a_tip_appears_only_when_its_finding_is_in_the_result(result: EvaluationResult) -> None:
    rich = with_tables(result, practice_factors=FACTORS, process_extra_time=EXTRA_TIME)
    assert guide._tip_endorsement(rich, "nl") == (
        "Vraag vooraf de directie om de begeleiding formeel te steunen, bijvoorbeeld in een "
        "korte afspraak op papier. Steun van de directie staat op plaats 2 van wat hindert."
    )
    assert guide._tip_feedback(rich, "en").endswith("ranks 1 among what hinders.")
    assert guide._tip_mix(rich, "en").endswith("Social support ranks 2 among what helps.")
    assert guide._tip_coach(rich, "en").endswith("ranks 3 among what helps.")
    assert guide._tip_time(rich, "en") == (
        "Discuss with the employer how much time guidance takes: 30% of the supervisors spend "
        "more time on it after the training, 6.0 hours a week on average."
    )
    # the same barriers ranked lower: no tip
    low = FACTORS.assign(rank=FACTORS["rank"] + 3)
    lower = with_tables(result, practice_factors=low)
    assert guide._tip_endorsement(lower, "nl") is None
    assert guide._tip_feedback(lower, "nl") is None
    bare = EvaluationResult(
        tables={k: v for k, v in result.tables.items() if k != "process_extra_time"},
        metadata=result.metadata,
    )
    assert guide._tip_time(bare, "nl") is None  # no process table, no tip
    sections = {s.title: s for s in build_guide(rich, "en").sections}
    tips = sections["Tips for your work"]
    headings = [b.text for b in tips.blocks if hasattr(b, "text") and not hasattr(b, "items")]
    assert headings == ["Recruiting employers", "Running the groups", "Following up supervisors"]


def test_the_knowledge_tips_follow_the_change_over_the_waves(result: EvaluationResult) -> None:
    change = result.tables["supervisor_change"]
    knowledge = change[change["scale"] == "knowledge"]
    first, last = knowledge.iloc[0], knowledge.iloc[-1]
    text = guide._tip_refresh(result, "en")
    if last["estimate"] < first["estimate"]:
        assert text == (
            f"Offer a refresher session after a few months: the gain in knowledge was smaller "
            f"at {last['wave']} than right after the training ({last['estimate']:.2f} against "
            f"{first['estimate']:.2f} points)."
        )
    else:
        assert text is None
    lasting = result.tables["supervisor_change"].copy()
    lasting.loc[lasting["scale"] == "knowledge", "estimate"] = [0.4, 0.5, 0.6]
    assert guide._tip_refresh(with_tables(result, supervisor_change=lasting), "en") is None


def test_what_works_says_larger_only_for_a_clear_subgroup_difference(
    result: EvaluationResult,
) -> None:
    subgroups = pd.DataFrame(
        [
            ("social_assistance_before", True, "larger", 0.167, 0.0037),
            ("social_assistance_before", False, "smaller", -0.228, 0.0037),
            ("delivery_mode", "in_person", "larger", 0.106, 0.75),
            ("delivery_mode", "online", "smaller", 0.062, 0.75),
        ],
        columns=["modifier", "subgroup", "effect", "estimate", "p_equal"],
    )
    [section] = guide.when(with_tables(result, interview_subgroups=subgroups), "nl")
    items = section.blocks[1].items
    assert items[0] == (
        "Het effect op werk was groter bij medewerkers die in het jaar ervoor bijstand of WW "
        "hadden (17 meer op de 100 met werk) dan bij medewerkers zonder bijstand of WW in het "
        "jaar ervoor (23 minder op de 100 met werk)."
    )
    assert items[1] == "Geen duidelijk verschil naar: vorm van de training."


def test_the_easy_read_version_has_a_pictogram_for_every_point(
    result: EvaluationResult, tmp_path: Path
) -> None:
    rich = with_tables(result, practice_factors=FACTORS)
    doc = build_easyread(rich, "nl")
    pictograms = [b for s in doc.sections for b in s.blocks if isinstance(b, Pictogram)]
    assert all(isinstance(b, Pictogram) for s in doc.sections for b in s.blocks)
    names = {p.name for p in pictograms}
    assert {"training", "group", "knowledge", "work", "talk", "hinder", "thanks"} <= names
    texts = [p.text for p in pictograms]
    assert "Dit helpt het meest: de training past bij het echte werk." in texts
    assert "Dit maakt het moeilijk: niemand in het bedrijf vraagt hoe de begeleiding gaat." in texts
    flow = result.tables["flow_supervisors"].iloc[0]
    employees = result.tables["flow_employees"].iloc[0]
    assert (
        f"{int(flow['invited'])} leidinggevenden deden mee. Samen helpen zij "
        f"{int(employees['invited'])} medewerkers."
    ) in texts
    html, pdf, word = render_report(
        rich, tmp_path, lang="nl", formats=["html", "pdf", "docx"], product="easyread"
    )
    assert html.name == "uitkomsten-makkelijk-lezen.html"
    page = html.read_text(encoding="utf-8")
    assert page.count('<div class="picto"><svg aria-hidden="true"') == len(pictograms)
    assert 'class="easyread"' in page
    document = docx.Document(word)
    assert len(document.inline_shapes) == len(pictograms)
    assert all(s._inline.docPr.get("descr") for s in document.inline_shapes)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_every_pictogram_is_a_drawing_with_a_title() -> None:
    folder = resources.files("mentorwijs.reports").joinpath("pictograms")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".svg"))
    assert len(names) >= 12
    ns = "{http://www.w3.org/2000/svg}"
    for name in names:
        root = ET.fromstring(folder.joinpath(name).read_text(encoding="utf-8"))
        assert root.tag == f"{ns}svg", name
        assert root.get("viewBox") == "0 0 64 64", name
        assert (root.findtext(f"{ns}title") or "").strip(), name


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_guide_has_its_sections_and_quotes_in_every_format(
    result: EvaluationResult, tmp_path: Path, lang: str
) -> None:
    passages = pd.DataFrame(
        [
            ("midi-performance-feedback", "I1", 1, "S-7", "supervisor",
             "Niemand in mijn organisatie vraagt hoe de begeleiding gaat."),
            ("barrier", "I1", 1, "S-7", "supervisor",
             "Niemand in mijn organisatie vraagt hoe de begeleiding gaat."),
            ("midi-compatibility", "I2", 4, "T-2", "trainer",
             "De voorbeelden kwamen zo uit onze eigen werkvloer, dat werkte."),
            ("facilitator", "I2", 4, "T-2", "trainer",
             "De voorbeelden kwamen zo uit onze eigen werkvloer, dat werkte."),
        ],
        columns=["code", "interview_id", "segment_no", "respondent_id", "role", "text"],
    )  # fmt: skip
    rich = with_tables(result, practice_factors=FACTORS, interview_passages=passages)
    html, pdf, word = render_report(
        rich, tmp_path, lang=lang, formats=["html", "pdf", "docx"], product="guide"
    )
    assert html.stem == ("praktijkgids" if lang == "nl" else "practice-guide")
    page = html.read_text(encoding="utf-8")
    assert 'aria-labelledby="toc"' in page  # a table of contents
    assert page.count("<blockquote>") == 2
    who = "leidinggevende A" if lang == "nl" else "supervisor A"
    assert f"<footer>— {who}</footer>" in page
    assert "S-7" not in page
    assert "T-2" not in page
    document = docx.Document(word)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == (
        ["Over deze gids", "Wat levert de training op?", "Wat werkt, en wanneer?",
         "Wat helpt en wat hindert?", "Tips voor uw werk", "Over deze cijfers"]
        if lang == "nl"
        else ["About this guide", "What does the training achieve?", "What works, and when?",
              "What helps and what hinders?", "Tips for your work", "About these figures"]
    )  # fmt: skip
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 6
    ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(ids) == 2  # each ranked list restarts at 1
    assert sum(1 for p in document.paragraphs if p.style.name == "Quote") == 4  # text + source
    assert pdf.read_bytes().startswith(b"%PDF")
