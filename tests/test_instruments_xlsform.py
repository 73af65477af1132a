"""Import of an XLSForm (.xlsx, built here with openpyxl): every supported type, groups as
instruments, relevant expressions, recoded choice names, the exact report, broken files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from mentorwijs.protocol.errors import InvalidInstrumentFileError
from mentorwijs.protocol.xlsform import import_xlsform

HEADER = ("type", "name", "label::Dutch (nl)", "label::English (en)", "required", "relevant",
          "constraint", "appearance", "hint", "calculation")  # fmt: skip
SURVEY = [
    ("start", "started"),
    ("begin group", "background", "Achtergrond", "Background"),
    ("integer", "age", "Hoe oud bent u?", "How old are you?", "yes", None, ". >= 16 and . <= 70"),
    ("decimal", "hours", "Hoeveel uur werkt u per week?", "How many hours do you work a week?",
     "no", None, ". >= 0 and . <= 60"),
    ("select_one yesno", "has_coach", "Heeft u een jobcoach?", "Do you have a job coach?", "yes"),
    ("text", "coach_name", "Hoe heet uw jobcoach?", "What is your job coach's name?", None,
     "${has_coach} = 'yes'"),
    ("select_multiple help", "help", "Waarmee helpt uw leidinggevende?",
     "What does your supervisor help with?"),
    ("text", "help_other", "Waarmee nog meer?", "What else?", None, "selected(${help}, 'other')",
     None, "multiline"),
    ("date", "start_date", "Wanneer begon u hier?", "When did you start here?"),
    ("note", "thanks", "Dank u wel. Nu over uw werk.", "Thank you. Now about your work."),
    ("calculate", "double_age", None, None, None, None, None, None, None, "${age} * 2"),
    ("end group",),
    ("begin_group", "work", "Werk", "Work"),
    ("select_one agree", "like_work", "Ik vind mijn werk leuk.", "I like my work.", "yes", None,
     None, "likert"),
    ("text", "why_not", "Waarom niet?", "Why not?", None,
     "${like_work} < 3 and ${like_work} != ''"),
    ("select_one agree", "like_colleagues", "Mijn collega's zijn aardig.",
     "My colleagues are kind.", None, "not(${has_coach} = 'no')"),
    ("integer", "grade", "Welk cijfer geeft u uw werk?", "What mark do you give your work?", None,
     "${like_work} >= 4 or selected(${like_work}, '5')", ". > 0 and . <= 10"),
    ("integer", "n_help", "Hoeveel soorten hulp?", "How many kinds of help?", None,
     "count-selected(${help}) > 1"),
    ("geopoint", "location", "Waar werkt u?", "Where do you work?"),
    ("begin repeat", "jobs", "Banen", "Jobs"),
    ("text", "job_name", "Naam van de baan", "Name of the job"),
    ("end repeat",),
    ("end group",),
    ("text", "Remarks-Top", "Opmerkingen", None, None, None, None, None, "Mag leeg blijven"),
    ("select_one colours", "colour", "Welke kleur?", "Which colour?"),
    ("decimal", "weight", "Gewicht", "Weight", None, None, ". > 0"),
    ("select_one yesno", "wants_call", "Mogen we u bellen?", "May we call you?", None,
     "${has_coach} = 'yes' and not(${like_work} = '1')"),
]  # fmt: skip
AGREE = [(1, "Helemaal niet waar", "Not true at all"), (2, "Niet waar", "Not true"),
         (3, "Een beetje waar", "A bit true"), (4, "Waar", "True"),
         (5, "Helemaal waar", "Completely true")]  # fmt: skip
CHOICES = [
    ("list_name", "name", "label::Dutch (nl)", "label::English (en)"),
    ("yesno", "yes", "Ja", "Yes"),
    ("yesno", "no", "Nee", "No"),
    ("help", "planning", "Planning", "Planning"),
    ("help", "contact", "Contact met collega's", "Contact with colleagues"),
    ("help", "other", "Anders", "Other"),
    *[("agree", str(v), nl, en) for v, nl, en in AGREE],
]
SETTINGS = [
    ("form_title", "form_id", "default_language", "version"),
    ("Vragenlijst werknemers", "werknemers", "Dutch (nl)", "2026.1"),
]


def build_xlsform(path: Path, sheets: dict[str, list[tuple]] | None = None) -> Path:
    """Write an XLSForm workbook with openpyxl (the test form unless ``sheets`` is given)."""
    sheets = sheets or {"survey": [HEADER, *SURVEY], "choices": CHOICES, "settings": SETTINGS}
    wb = openpyxl.Workbook()
    for i, (title, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet(title)
        ws.title = title
        for r in rows:
            ws.append(list(r))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    return build_xlsform(tmp_path_factory.mktemp("xlsform") / "werknemers.xlsx")


@pytest.fixture(scope="module")
def imported(form):
    return import_xlsform(form, name="werknemers.xlsx")


EXPECTED_ITEMS = [
    ("background", "age", {"type": "integer", "minimum": 16.0, "maximum": 70.0}),
    ("background", "hours", {"type": "number", "minimum": 0.0, "maximum": 60.0, "required": False}),
    ("background", "has_coach", {"answer_scale": "yesno"}),
    ("background", "coach_name", {"type": "text", "required": False, "show_if": "has_coach = 1"}),
    ("background", "help", {"answer_scale": "help", "multiple": True, "required": False}),
    ("background", "help_other", {"type": "long_text", "required": False, "show_if": "help = 3"}),
    ("background", "start_date", {"type": "date", "required": False}),
    ("background", "thanks", {"type": "note", "required": False}),
    ("work", "like_work", {"answer_scale": "agree"}),
    ("work", "why_not", {"type": "text", "required": False,
                         "show_if": "like_work < 3 and like_work != ''"}),
    ("work", "like_colleagues", {"answer_scale": "agree", "required": False}),
    ("work", "grade", {"type": "integer", "minimum": 1.0, "maximum": 10.0, "required": False,
                       "show_if": "like_work >= 4 or like_work = 5"}),
    ("work", "n_help", {"type": "integer", "required": False}),
    ("werknemers", "remarks_top", {"type": "text", "required": False}),
    ("werknemers", "weight", {"type": "number", "required": False}),
    ("werknemers", "wants_call", {"answer_scale": "yesno", "required": False}),
]  # fmt: skip


def test_every_question_maps_as_documented(imported):
    got = [
        (code, it.code, {k: v for k, v in it.model_dump(mode="json", exclude_defaults=True).items()
                         if k not in ("code", "text")})
        for code, ins in imported.protocol.instruments.items()
        for it in ins.items
    ]  # fmt: skip
    assert got == EXPECTED_ITEMS


def test_groups_become_instruments_with_both_languages(imported):
    p = imported.protocol
    assert list(p.instruments) == ["background", "work", "werknemers"]
    assert p.instruments["background"].label.model_dump() == {
        "nl": "Achtergrond",
        "en": "Background",
    }
    assert p.instruments["werknemers"].label.nl == "Vragenlijst werknemers"
    age = p.instruments["background"].item("age")
    assert (age.text.nl, age.text.en) == ("Hoe oud bent u?", "How old are you?")
    remarks = p.instruments["werknemers"].item("remarks_top")
    assert (remarks.text.nl, remarks.text.en) == ("Opmerkingen", "Opmerkingen")
    assert p.version == "2026.1"
    assert [(o.value, o.label.nl, o.label.en) for o in p.answer_scales["yesno"].options] == [
        (1, "Ja", "Yes"),
        (2, "Nee", "No"),
    ]
    assert [(o.value, o.label.en) for o in p.answer_scales["agree"].options] == [
        (v, en) for v, _, en in AGREE
    ]


def test_relevant_expressions_keep_odks_meaning(imported):
    work = imported.protocol.instruments["werknemers"]
    # ${has_coach} = 'yes' is on another instrument (background): reported and dropped.
    assert work.is_shown("wants_call", {})
    bg = imported.protocol.instruments["background"]
    assert bg.is_shown("coach_name", {"has_coach": 1})
    assert not bg.is_shown("coach_name", {"has_coach": 2})
    assert bg.is_shown("help_other", {"help": "1;3"})
    assert not bg.is_shown("help_other", {"help": "1;2"})
    w = imported.protocol.instruments["work"]
    assert w.is_shown("why_not", {"like_work": 2})
    assert not w.is_shown("why_not", {"like_work": None})


EXPECTED_REPORT = [
    "werknemers.started (row 1): [not imported] metadata is not a question",
    "background.has_coach (row 5): [changed] the choice names are not whole numbers and are "
    "stored as yes → 1, no → 2",
    "background.help (row 7): [changed] the choice names are not whole numbers and are stored "
    "as planning → 1, contact → 2, other → 3",
    "background.double_age (row 11): [not imported] a calculation holds no answer; compute it "
    "in the analysis",
    "work.like_work (row 14): [note] the appearance 'likert' is layout and not kept",
    "work.like_colleagues (row 16): [changed] the condition is left out because it refers to "
    "has_coach, which is not an earlier question of this instrument; the item is always shown",
    "work.n_help (row 18): [changed] the condition 'count-selected(${help}) > 1' is left out: "
    "'count-selected' is not a supported form ([field] op 'value', and, or, parentheses); the "
    "item is always shown",
    "work.location (row 19): [not imported] the type 'geopoint' is not supported",
    "work.jobs (row 20): [not imported] repeats are not supported (one answer per item)",
    "work.job_name (row 21): [not imported] the question is inside a repeat",
    "werknemers.Remarks-Top (row 24): [note] the name Remarks-Top becomes remarks_top",
    "werknemers.Remarks-Top (row 24): [changed] the column hint ('Mag leeg blijven') is not kept",
    "werknemers.colour (row 25): [not imported] the choice list 'colours' is not on the choices "
    "sheet",
    "werknemers.weight (row 26): [changed] the constraint '. > 0' is not kept",
    "werknemers.wants_call (row 27): [changed] the choice names are not whole numbers and are "
    "stored as yes → 1, no → 2",
    "werknemers.wants_call (row 27): [changed] the condition is left out because it refers to "
    "has_coach, which is not an earlier question of this instrument; the item is always shown",
    "file: [note] some labels have one language: that text is used for Dutch and English",
]


def test_the_report_names_every_field_not_taken_over_exactly(imported):
    assert imported.report("en") == EXPECTED_REPORT
    assert [m.field for m in imported.not_imported] == [
        "started", "double_age", "location", "jobs", "job_name", "colour",
    ]  # fmt: skip
    assert imported.report("nl")[-1] == (
        "bestand: [let op] sommige labels hebben één taal: die tekst geldt voor Nederlands en "
        "Engels"
    )


def test_plain_label_columns_and_the_form_id_from_the_file_name(tmp_path):
    path = build_xlsform(
        tmp_path / "kort formulier.xlsx",
        {
            "survey": [
                ("type", "name", "label"),
                ("integer", "n", "Aantal"),
                ("text", "t", "Tekst"),
            ],
            "choices": [("list name", "name", "label")],
        },
    )
    p = import_xlsform(path).protocol
    assert list(p.instruments) == ["kort_formulier"]
    assert [i.type for i in p.instruments["kort_formulier"].items] == ["integer", "text"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"type,name,label\ninteger,n,Aantal\n", "this is not an Excel workbook (.xlsx)"),
        (b"PK\x03\x04 not really a zip", "this is not an Excel workbook (.xlsx)"),
    ],
)
def test_a_broken_file_gives_a_clear_message(content, reason):
    with pytest.raises(InvalidInstrumentFileError) as exc:
        import_xlsform(content, name="broken.xlsx")
    assert reason in str(exc.value)
    assert exc.value.message_nl.startswith("broken.xlsx kan niet worden ingelezen: ")


def test_a_workbook_without_a_survey_sheet_is_not_an_xlsform(tmp_path):
    path = build_xlsform(tmp_path / "w.xlsx", {"Blad1": [("naam", "leeftijd"), ("Anna", 34)]})
    with pytest.raises(InvalidInstrumentFileError, match="there is no 'survey' sheet"):
        import_xlsform(path)


def test_the_command_imports_an_xlsform(form, tmp_path):
    from click.testing import CliRunner

    from mentorwijs.cli import main
    from mentorwijs.protocol import load_protocol

    result = CliRunner().invoke(
        main, ["--lang", "en", "instruments", "import", str(form), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "16 items in 3 instruments written to" in result.output
    assert "Report (17 message(s), 6 field(s) not imported):" in result.output
    assert load_protocol(tmp_path / "protocol.yaml").instruments["work"].item("grade").maximum == 10
