"""Import of a REDCap data dictionary: every supported field type, the branching-logic forms,
the exact report of what was not taken over, broken files, and the export round trip."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest

from mentorwijs.protocol import load_protocol
from mentorwijs.protocol.branching import from_redcap, to_redcap
from mentorwijs.protocol.conditions import And, Comparison, Not, Or, evaluate, parse
from mentorwijs.protocol.errors import InvalidInstrumentFileError
from mentorwijs.protocol.redcap import COLUMNS, export_dictionary, import_dictionary

DATA = Path(__file__).parent / "data" / "instruments"
DICTIONARY = DATA / "redcap_dictionary.csv"


@pytest.fixture(scope="module")
def imported():
    return import_dictionary(DICTIONARY, name="redcap_dictionary.csv")


def test_the_test_dictionary_has_redcaps_18_columns():
    header = next(csv.reader(DICTIONARY.open(encoding="utf-8")))
    assert tuple(header) == COLUMNS
    assert len(COLUMNS) == 18


# Every field of tests/data/instruments/redcap_dictionary.csv and what it became (the
# item's fields apart from code and text, defaults left out).
EXPECTED_ITEMS = [
    ("intake", "org_size_section", {"type": "note", "required": False}),
    ("intake", "org_size", {"answer_scale": "org_size"}),
    ("intake", "sector", {"answer_scale": "sector", "required": False}),
    (
        "intake",
        "gov_level",
        {"answer_scale": "gov_level", "required": False, "show_if": "sector = 3"},
    ),
    ("intake", "support", {"answer_scale": "support", "multiple": True, "required": False}),
    ("intake", "guided_before", {"answer_scale": "yesno"}),
    ("intake", "read_intro", {"answer_scale": "truefalse", "required": False}),
    (
        "intake",
        "years_guiding",
        {"type": "integer", "minimum": 0.0, "maximum": 50.0, "show_if": "guided_before = 1"},
    ),
    (
        "intake",
        "hours_week",
        {
            "type": "number",
            "minimum": 0.0,
            "maximum": 40.0,
            "required": False,
            "show_if": "guided_before = 1 and years_guiding > 0",
        },
    ),
    ("intake", "fte", {"type": "number", "required": False}),
    ("intake", "start_date", {"type": "date", "required": False}),
    (
        "intake",
        "why_no_date",
        {"type": "text", "required": False, "show_if": "not start_date != ''"},
    ),
    ("intake", "work_email", {"type": "text", "validation": "email", "required": False}),
    ("intake", "office_phone", {"type": "text", "validation": "phone", "required": False}),
    ("intake", "zip", {"type": "text", "required": False}),
    ("intake", "day_start", {"type": "text", "required": False}),
    (
        "intake",
        "other_support",
        {"type": "long_text", "required": False, "show_if": "support = 3 or not support = 2"},
    ),
    ("intake", "coach_only", {"type": "long_text", "required": False}),
    ("follow_up", "intro_follow", {"type": "note", "required": False}),
    (
        "follow_up",
        "confidence",
        {
            "type": "integer",
            "minimum": 0.0,
            "maximum": 100.0,
            "anchors": [
                {"nl": "Onzeker", "en": "Onzeker"},
                {"nl": "Gaat wel", "en": "Gaat wel"},
                {"nl": "Zeker", "en": "Zeker"},
            ],
        },
    ),
    ("follow_up", "sat_coach", {"answer_scale": "sat_coach", "required": False}),
    ("follow_up", "sat_subsidy", {"answer_scale": "sat_coach", "required": False}),
    ("follow_up", "still_employed", {"answer_scale": "yesno"}),
    (
        "follow_up",
        "reason_left",
        {"type": "long_text", "required": False, "show_if": "not still_employed = 1"},
    ),
    (
        "follow_up",
        "left_date",
        {"type": "date", "required": False, "show_if": "still_employed = 0 and reason_left != ''"},
    ),
    ("follow_up", "months_since", {"type": "integer", "required": False}),
    ("follow_up", "next_step", {"answer_scale": "next_step", "required": False}),
    ("follow_up", "event_q", {"answer_scale": "yesno", "required": False}),
    ("follow_up", "remarks", {"type": "long_text", "required": False}),
]


def test_every_field_maps_as_documented(imported):
    got = [
        (
            code,
            it.code,
            {
                k: v
                for k, v in it.model_dump(mode="json", exclude_defaults=True).items()
                if k not in ("code", "text")
            },
        )
        for code, ins in imported.protocol.instruments.items()
        for it in ins.items
    ]
    assert got == EXPECTED_ITEMS


def test_labels_and_options_are_taken_over(imported):
    p = imported.protocol
    ins = p.instruments["intake"]
    assert ins.item("org_size").text.nl == "Hoeveel medewerkers heeft uw organisatie?"
    assert ins.item("org_size_section").text.nl == "Over uw organisatie"
    assert p.instruments["follow_up"].item("intro_follow").text.nl == (
        "Deze vragen gaan over de afgelopen drie maanden."
    )
    assert [(o.value, o.label.nl) for o in p.answer_scales["sector"].options] == [
        (1, "Zorg"),
        (2, "Industrie"),
        (3, "Overheid"),
    ]
    assert [(o.value, o.label.nl, o.pictogram) for o in p.answer_scales["yesno"].options] == [
        (0, "Nee", "no"),
        (1, "Ja", "yes"),
    ]
    assert [(o.value, o.label.en) for o in p.answer_scales["truefalse"].options] == [
        (0, "False"),
        (1, "True"),
    ]
    # Identical option lists share one scale; the two yes/no items share "yesno".
    assert set(p.answer_scales) == {
        "org_size", "sector", "gov_level", "support", "yesno", "truefalse", "sat_coach",
        "next_step",
    }  # fmt: skip
    assert p.instruments["intake"].waves == ("T0", "T1", "T2", "T3")
    assert p.version == "imported"


EXPECTED_REPORT = [
    "intake.record_id (row 1): [note] the first field is REDCap's record identifier, not a "
    "question; left out",
    "intake.org_size (row 2): [note] the section header is imported as the note "
    "org_size_section before the field",
    "intake.sector (row 3): [changed] the codes are not whole numbers and are stored as "
    "zorg → 1, ind → 2, over → 3",
    "intake.hours_week (row 9): [changed] the field note 'Gemiddeld over de laatste maand' is "
    "not kept (items have no hint text)",
    "intake.fte (row 10): [note] the validation number_1dp is imported as a number (any decimals)",
    "intake.start_date (row 11): [changed] the minimum '2000-01-01' is not kept",
    "intake.phone (row 14): [not imported] marked as identifying (Identifier? = y): names and "
    "contact details live in the registry, apart from answers",
    "intake.zip (row 16): [changed] the validation zipcode is not supported; the answer is "
    "free text",
    "intake.day_start (row 17): [changed] the validation time is not supported; the answer is "
    "free text",
    "intake.coach_only (row 19): [changed] the branching logic \"[support] = '1'\" is left "
    "out: the checkbox support is used without an option; write [support(code)] = '1'; the "
    "item is always shown",
    "follow_up.intro_follow (row 20): [changed] HTML markup in the label is removed",
    "follow_up.confidence (row 21): [note] 'show slider number' is layout and is not kept",
    "follow_up.sat_coach (row 22): [note] part of matrix 'sat_matrix': imported as a separate item",
    "follow_up.sat_coach (row 22): [changed] the condition is left out because it refers to "
    "support, which is not an earlier question of this instrument; the item is always shown",
    "follow_up.sat_subsidy (row 23): [note] part of matrix 'sat_matrix': imported as a "
    "separate item",
    "follow_up.total_score (row 24): [not imported] a calculated field holds no answer; "
    "compute it in the analysis",
    "follow_up.contract (row 25): [not imported] file uploads are not part of questionnaires "
    "here (no personal documents with answers)",
    "follow_up.signature (row 26): [not imported] a signature field is not supported",
    "follow_up.region_sql (row 27): [not imported] a dynamic SQL field depends on the REDCap "
    "server",
    'follow_up.months_since (row 31): [changed] the branching logic "datediff([left_date], '
    "'today', 'M') > 3\" is left out: 'datediff' is not a supported form ([field] op 'value', "
    "and, or, parentheses); the item is always shown",
    "follow_up.next_step (row 32): [changed] the condition is left out because it refers to "
    "remarks, which is not an earlier question of this instrument; the item is always shown",
    'follow_up.event_q (row 33): [changed] the branching logic "[event_1_arm_1]'
    "[still_employed] = '1'\" is left out: it names a REDCap event ([event][field]); here the "
    "waves are not part of a condition; the item is always shown",
    "follow_up.remarks (row 34): [note] the custom alignment 'RH' is layout and is not kept",
    "follow_up.remarks (row 34): [note] the question number '3' is layout and is not kept",
    "follow_up.remarks (row 34): [changed] the field annotation '@HIDDEN-SURVEY' is not kept",
    "file: [note] REDCap labels have one language: the Dutch and English texts are both the "
    "label; translate them in the protocol file",
]


def test_the_report_names_every_field_not_taken_over_exactly(imported):
    assert imported.report("en") == EXPECTED_REPORT
    assert [m.field for m in imported.not_imported] == [
        "phone", "total_score", "contract", "signature", "region_sql",
    ]  # fmt: skip


def test_the_report_speaks_dutch(imported):
    nl = imported.report("nl")
    assert nl[2] == (
        "intake.sector (rij 3): [aangepast] de codes zijn geen gehele getallen en worden "
        "opgeslagen als zorg → 1, ind → 2, over → 3"
    )
    assert nl[6] == (
        "intake.phone (rij 14): [niet overgenomen] gemarkeerd als identificerend (Identifier? "
        "= y): namen en contactgegevens staan in het register, los van de antwoorden"
    )


def test_every_row_is_accounted_for(imported):
    """Each field of the file is imported or named in the report (nothing silently dropped)."""
    rows = list(csv.DictReader(DICTIONARY.open(encoding="utf-8")))
    imported_codes = {it.code for ins in imported.protocol.instruments.values() for it in ins.items}
    reported = {m.field for m in imported.messages if m.severity == "error"} | {"record_id"}
    for row in rows:
        name = row["Variable / Field Name"]
        assert (name in imported_codes) != (name in reported), name


def test_the_imported_conditions_keep_redcaps_meaning(imported):
    ins = imported.protocol.instruments["follow_up"]
    # REDCap: [still_employed] <> '1' is true when still_employed is blank.
    assert ins.is_shown("reason_left", {})
    assert ins.is_shown("reason_left", {"still_employed": 0})
    assert not ins.is_shown("reason_left", {"still_employed": 1})
    intake = imported.protocol.instruments["intake"]
    # [support(3)] = '1' or [support(2)] = '0'
    assert intake.is_shown("other_support", {"support": "3"})
    assert not intake.is_shown("other_support", {"support": "1;2"})
    assert intake.is_shown("other_support", {})  # nothing ticked: option 2 is '0'
    assert intake.is_shown("why_no_date", {"start_date": None})
    assert not intake.is_shown("why_no_date", {"start_date": "2020-05-01"})


@pytest.mark.parametrize(
    ("logic", "expected"),
    [
        ("[a] = '1'", Comparison("a", "=", 1.0)),
        ('[a] = "ja"', Comparison("a", "=", "ja")),
        ("[a] = 2", Comparison("a", "=", 2.0)),
        ("[a] <> '1'", Not(Comparison("a", "=", 1.0))),
        ("[a] != '1'", Not(Comparison("a", "=", 1.0))),
        ("[a] <> ''", Comparison("a", "!=", "")),
        ("[a] = ''", Not(Comparison("a", "!=", ""))),
        ("[a] >= 18", Comparison("a", ">=", 18.0)),
        ("[c(2)] = '1'", Comparison("c", "=", 2.0)),
        ("[c(2)] = '0'", Not(Comparison("c", "=", 2.0))),
        ("[c(2)] <> '1'", Not(Comparison("c", "=", 2.0))),
        (
            "[a] = '1' AND ([b] > 3 or [c(1)] = '1')",
            And(
                (
                    Comparison("a", "=", 1.0),
                    Or((Comparison("b", ">", 3.0), Comparison("c", "=", 1.0))),
                )
            ),
        ),
    ],
)
def test_redcap_branching_forms(logic, expected):
    assert from_redcap(logic, known={"a", "b", "c"}, checkboxes={"c"}) == expected


@pytest.mark.parametrize(
    ("logic", "reason"),
    [
        ("[a] = '1' + 2", "the part '+ 2' is not a supported form"),
        ("sum([a], [b]) > 2", "'sum' is not a supported form"),
        ("[user-role-name] = 'x'", "the part '[user-role-name] = '' is not a supported form"),
        ("[zz] = '1'", "it refers to zz, which is not a field of the dictionary"),
        ("[c] = '1'", "the checkbox c is used without an option"),
        ("[c(2)] = 'yes'", "is not a supported checkbox form"),
        ("[a(2)] = '1'", "[a(2)] is written like a checkbox, but a is not one"),
        ("[a] > ''", "[a] > '' compares with a blank"),
        ("[a] = '1' and", "the end is not a supported form"),
        ("", "the branching logic is empty"),
    ],
)
def test_unsupported_branching_says_why(logic, reason):
    from mentorwijs.protocol.branching import UnsupportedLogicError

    with pytest.raises(UnsupportedLogicError) as exc:
        from_redcap(logic, known={"a", "b", "c"}, checkboxes={"c"})
    assert reason in exc.value.en
    assert exc.value.nl


ANSWERS = [None, 0, 1, 2, "x"]


@pytest.mark.parametrize(
    "expr",
    [
        "a = 1",
        "a != 1",
        "a != ''",
        "not a != ''",
        "a >= 1",
        "not a < 1",
        "not a = 'x'",
        "not (a = 1 or b > 0)",
        "not (a = 1 and not b = 2)",
        "a = 1 or b = 2 and not a = 2",
        "m = 2 and not m = 1",
    ],
)
def test_export_then_import_of_a_condition_keeps_its_meaning(expr):
    """Truth table over answers of a, b and the multi-select m: the condition written as
    REDCap branching logic and read back holds exactly when the original holds."""
    cond = parse(expr)
    back = from_redcap(to_redcap(cond, multiple={"m"}), known={"a", "b", "m"}, checkboxes={"m"})
    for a, b, m in itertools.product(ANSWERS, ANSWERS, [None, "1", "2", "1;2"]):
        answers = {"a": a, "b": b, "m": m}
        assert evaluate(back, answers, multiple=["m"]) == evaluate(cond, answers, multiple=["m"]), (
            expr, to_redcap(cond, multiple={"m"}), answers,
        )  # fmt: skip


def test_the_shipped_protocol_survives_export_and_import():
    p = load_protocol()
    text = export_dictionary(p)
    back = import_dictionary(text.encode("utf-8"), name="export.csv")
    assert back.protocol == p
    assert [m.field for m in back.messages] == ["record_id"]  # only the record identifier
    # English labels: the same protocol again.
    back_en = import_dictionary(export_dictionary(p, lang="en").encode(), name="export.csv")
    assert back_en.protocol == p


def test_the_export_is_a_plain_redcap_dictionary():
    text = export_dictionary(load_protocol())
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert all(len(r) == 18 for r in rows)
    by_name = {r[0]: r for r in rows[1:]}
    assert rows[1][:5] == ["record_id", "sv_outcomes", "", "text", "Recordnummer"]
    kn1 = by_name["kn1"]
    assert kn1[3] == "radio"
    assert (
        kn1[5]
        == "1, Helemaal oneens | 2, Oneens | 3, Niet eens, niet oneens | 4, Eens | 5, Helemaal eens"
    )
    assert kn1[12] == "y"
    assert by_name["extra_hours"][3:5] == ["text", "Hoeveel uur per week extra?"]
    assert by_name["extra_hours"][7:10] == ["number", "0", "40"]
    assert by_name["extra_hours"][11] == "[extra_time] = '1'"
    assert by_name["meetings_attended"][7:10] == ["integer", "0", "5"]
    assert by_name["remarks"][3] == "notes"
    assert by_name["remarks"][12] == ""
    assert by_name["intro"][3] == "descriptive"
    assert by_name["extra_time"][5] == "0, Nee | 1, Ja"


def test_without_the_annotation_the_export_still_imports_to_the_same_questions():
    """A researcher who edits the dictionary in REDCap may lose the annotation column: the
    questions, types, options, required flags and conditions still come back."""
    p = load_protocol()
    rows = list(csv.reader(io.StringIO(export_dictionary(p))))
    buf = io.StringIO()
    csv.writer(buf).writerows([r[:17] for r in rows])
    back = import_dictionary(buf.getvalue().encode(), name="plain.csv").protocol
    assert list(back.instruments) == list(p.instruments)
    for code, ins in p.instruments.items():
        got = back.instruments[code]
        assert [i.code for i in got.items] == [i.code for i in ins.items]
        for a, b in zip(ins.items, got.items, strict=True):
            assert (a.type, a.multiple, a.required, a.show_if, a.minimum, a.maximum) == (
                b.type, b.multiple, b.required, b.show_if, b.minimum, b.maximum
            ), a.code  # fmt: skip
            assert a.text.nl == b.text.nl == b.text.en
            if a.answer_scale:
                assert [(o.value, o.label.nl) for o in p.answer_scales[a.answer_scale].options] == [
                    (o.value, o.label.nl) for o in back.answer_scales[b.answer_scale].options
                ]
    # The five-point agreement scale is one shared scale, as in the protocol.
    assert len({i.answer_scale for i in back.instruments["sv_outcomes"].items}) == 1


def test_items_with_the_same_code_in_two_instruments_are_renamed_and_come_back():
    p = load_protocol()
    data = p.model_dump(mode="json")
    data["instruments"]["sv_process"]["items"].append(
        {
            "code": "kn1",
            "text": {"nl": "Nog eens", "en": "Again"},
            "type": "text",
            "required": False,
        }
    )
    data["instruments"]["sv_process"]["items"].append(
        {
            "code": "after",
            "text": {"nl": "Na", "en": "After"},
            "type": "text",
            "show_if": "kn1 != ''",
        }
    )
    twice = type(p).model_validate(data)
    text = export_dictionary(twice)
    assert "\nsv_process_kn1,sv_process," in text
    assert "[sv_process_kn1] <> ''" in text
    assert import_dictionary(text.encode(), name="x.csv").protocol == twice


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary", "this is not a CSV text file"),
        (
            b"name,age\nAnna,34\n",
            "the columns variable / field name, form name, field type, field label are missing",
        ),
        (",".join(COLUMNS).encode() + b"\n", "the dictionary has a header but no fields"),
    ],
)
def test_a_broken_file_gives_a_clear_message(content, reason):
    with pytest.raises(InvalidInstrumentFileError) as exc:
        import_dictionary(content, name="broken.csv")
    assert reason in str(exc.value)
    assert str(exc.value).startswith("broken.csv cannot be imported: ")
    assert exc.value.message_nl.startswith("broken.csv kan niet worden ingelezen: ")


def test_a_missing_file_gives_a_clear_message(tmp_path):
    with pytest.raises(InvalidInstrumentFileError, match="it cannot be read"):
        import_dictionary(tmp_path / "nope.csv")


def test_the_api_column_names_and_semicolons_are_read_too():
    text = (
        "field_name;form_name;field_type;field_label;select_choices_or_calculations;required_field\n"
        "record_id;f;text;ID;;\n"
        "q1;f;radio;Vraag;1, A | 2, B;y\n"
    )
    p = import_dictionary(text.encode("utf-8-sig"), name="api.csv").protocol  # with a BOM
    assert p.instruments["f"].item("q1").answer_scale == "q1"
    assert p.instruments["f"].item("q1").required


def test_a_duplicate_field_name_is_reported_and_the_first_kept():
    text = ",".join(COLUMNS) + "\nrecord_id,f,,text,ID\nq1,f,,text,Een\nq1,f,,notes,Twee\n"
    r = import_dictionary(text.encode(), name="dup.csv")
    assert r.protocol.instruments["f"].item("q1").type == "text"
    assert len(r.protocol.instruments["f"].items) == 1
    assert r.report("en")[1] == (
        "f.q1 (row 3): [not imported] the name q1 is used twice in this instrument; only the "
        "first is imported"
    )


def test_an_instrument_without_importable_fields_is_left_out_with_a_message():
    text = ",".join(COLUMNS) + "\nrecord_id,f,,text,ID\nq1,f,,text,Een\ntotal,g,,calc,Som,[q1]*2\n"
    r = import_dictionary(text.encode(), name="calc.csv")
    assert list(r.protocol.instruments) == ["f"]
    report = r.report("en")
    assert report[1] == (
        "g.total (row 3): [not imported] a calculated field holds no answer; compute it in the "
        "analysis"
    )
    assert report[-1] == (
        "g: [changed] no field of this instrument could be imported; the instrument is left out"
    )
