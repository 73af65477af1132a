"""The study protocol: the shipped YAML validates, every new field has its rules, and
older protocol files (without the new fields) still load."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from mentorwijs.protocol import (
    AnswerOption,
    ConsentText,
    InvitationPolicy,
    Item,
    Protocol,
    load_protocol,
)
from mentorwijs.protocol.conditions import parse
from mentorwijs.protocol.errors import (
    InvalidConditionError,
    InvalidProtocolError,
    ProtocolError,
)
from mentorwijs.protocol.models import protocol_from_yaml, protocol_to_yaml

SHIPPED = Path(__file__).parents[1] / "src/mentorwijs/protocol/mentorwijs.yaml"


def shipped_data() -> dict[str, Any]:
    return yaml.safe_load(SHIPPED.read_text("utf-8"))


def minimal(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A small protocol with one supervisor instrument holding ``items``."""
    return {
        "version": "test",
        "waves": {
            "T0": {
                "label": {"nl": "Start", "en": "Start"},
                "roles": ["supervisor"],
                "anchor": "meeting_1",
            }
        },
        "answer_scales": {
            "yesno": {
                "options": [
                    {"value": 0, "label": {"nl": "Nee", "en": "No"}},
                    {"value": 1, "label": {"nl": "Ja", "en": "Yes"}},
                ]
            },
            "pick3": {
                "options": [
                    {"value": v, "label": {"nl": f"k{v}", "en": f"c{v}"}} for v in (1, 2, 3)
                ]
            },
        },
        "instruments": {
            "ins": {
                "label": {"nl": "I", "en": "I"},
                "role": "supervisor",
                "waves": ["T0"],
                "items": items,
            }
        },
        **extra,
    }


T = {"nl": "Vraag", "en": "Question"}


def item(code: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("text", T)
    if "type" not in kw and "answer_scale" not in kw:
        kw["answer_scale"] = "yesno"
    return {"code": code, **kw}


# ---------------------------------------------------------------- the shipped protocol


def test_it_loads_the_shipped_protocol_with_defaults_for_invitations():
    p = load_protocol()
    assert p.invitations == InvitationPolicy(
        reminder_after_days=7, reminder_every_days=7, max_reminders=2, expires_after_days=42
    )
    assert set(p.consent) == {"questionnaire", "register", "interview", "sharing"}


def test_every_supervisor_and_employee_item_has_easy_read_wording_in_both_languages():
    p = load_protocol()
    for code, ins in p.instruments.items():
        for it in ins.items:
            assert it.easy is not None, f"{code}.{it.code}"
            assert it.easy.nl.strip(), f"{code}.{it.code}"
            assert it.easy.en.strip(), f"{code}.{it.code}"
            # Easy-read: short sentences (at most 15 words each).
            for sentence in it.easy.nl.replace("?", ".").split("."):
                assert len(sentence.split()) <= 15, f"{code}.{it.code}: {sentence}"


def test_pictograms_are_smileys_for_the_five_point_scales_and_no_yes_for_yesno():
    scales = load_protocol().answer_scales
    for name in ("agree5", "satisfied5"):
        assert [o.pictogram for o in scales[name].options] == [
            "smiley_1",
            "smiley_2",
            "smiley_3",
            "smiley_4",
            "smiley_5",
        ]
        assert all(o.easy is not None for o in scales[name].options)
    assert [(o.value, o.pictogram) for o in scales["yesno"].options] == [(0, "no"), (1, "yes")]
    assert scales["agree5"].options[0].easy_label("nl") == "Helemaal niet waar"
    assert scales["yesno"].options[1].easy_label("en") == "Yes"  # falls back to the label


def test_employees_answer_at_t0_and_t2():
    p = load_protocol()
    assert p.waves_for("employee") == ["T0", "T2"]
    assert p.instruments["em_questionnaire"].waves == ("T0", "T2")
    assert p.waves_for("supervisor") == ["T0", "T1", "T2", "T3"]


def test_consent_texts_are_versioned_and_say_what_gdpr_asks_in_every_language():
    for purpose, c in load_protocol().consent.items():
        assert c.version
        for text in (c.text.nl, c.text.en, c.easy.nl, c.easy.en):
            assert "{contact}" in text, purpose
        nl, en = c.text.nl.lower(), c.text.en.lower()
        assert "vrijwillig" in nl, purpose
        assert "voluntary" in en, purpose
        assert "gevolgen" in nl, purpose
        assert "consequences" in en, purpose
        assert "autoriteit persoonsgegevens" in nl
        assert "data protection authority" in en
        assert "uitkering" in c.easy.nl, purpose
        assert "benefit" in c.easy.en, purpose
        assert "stoppen" in c.easy.nl, purpose
        assert "stop" in c.easy.en, purpose
    q = load_protocol().consent["questionnaire"]
    assert "pseudoniem" in q.text.nl
    assert "pseudonym" in q.text.en
    assert "tien jaar" in q.text.nl
    assert "ten years" in q.text.en
    rendered = q.render("en", easy=True, contact="Dr A. Onderzoeker, 030-1234567")
    assert "{contact}" not in rendered
    assert "Dr A. Onderzoeker" in rendered
    assert rendered.startswith("We ask you questions about your work.")


def test_consent_needs_version_text_and_easy_text():
    text = {"nl": "a", "en": "b"}
    with pytest.raises(ValidationError):
        ConsentText.model_validate({"version": "", "text": text, "easy": text})
    with pytest.raises(ValidationError):
        ConsentText.model_validate({"version": "1", "text": text})
    with pytest.raises(ValidationError, match="consent"):
        Protocol.model_validate(
            minimal(
                [item("a")], consent={"marketing": {"version": "1", "text": text, "easy": text}}
            )
        )


def test_a_protocol_written_before_the_new_fields_still_loads():
    data = shipped_data()
    for key in ("invitations", "consent"):
        del data[key]
    for scale in data["answer_scales"].values():
        for o in scale["options"]:
            o.pop("easy", None)
            o.pop("pictogram", None)
    for ins in data["instruments"].values():
        ins["items"] = [
            {k: v for k, v in it.items() if k != "easy"}
            for it in ins["items"]
            if it.get("type") not in ("note", "long_text")
        ]
    p = Protocol.model_validate(data)
    assert p.invitations == InvitationPolicy()
    assert p.consent == {}
    assert p.instruments["sv_outcomes"].item("kn1").easy_text("nl") == (
        "Ik weet welke beperkingen veel voorkomen bij medewerkers met een arbeidsbeperking."
    )


def test_yaml_round_trip_gives_an_equal_protocol():
    p = load_protocol()
    assert protocol_from_yaml(protocol_to_yaml(p)) == p


def test_a_broken_protocol_file_gives_a_named_error_in_both_languages(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("version: [", encoding="utf-8")
    with pytest.raises(InvalidProtocolError) as exc:
        load_protocol(bad)
    assert "not YAML" in str(exc.value)
    assert "geen YAML" in exc.value.message_nl
    bad.write_text(yaml.safe_dump(minimal([item("a", answer_scale="nope")])), encoding="utf-8")
    with pytest.raises(InvalidProtocolError, match="unknown answer scale nope"):
        load_protocol(bad)
    with pytest.raises(InvalidProtocolError, match="cannot be read"):
        load_protocol(tmp_path / "missing.yaml")


# ---------------------------------------------------------------- new item fields


def test_item_types_long_text_date_and_note():
    p = Protocol.model_validate(
        minimal(
            [
                item("intro", type="note"),
                item("remarks", type="long_text", required=False),
                item("started", type="date"),
                item("mail", type="text", validation="email"),
            ]
        )
    )
    ins = p.instruments["ins"]
    assert not ins.item("intro").has_answer
    assert not ins.item("intro").required
    assert ins.item("remarks").has_answer
    for code in ("intro", "remarks", "started", "mail"):
        assert p.item_range("ins", code) is None
        assert not ins.item(code).numeric


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (item("n", type="note", required=True), "a note has no answer"),
        (item("d", type="date", validation="email"), "validation applies to type text only"),
        (item("t", type="text", validation="iban"), "literal_error"),
        (item("t", type="text", minimum=1), "minimum and maximum need type integer or number"),
        (item("m", type="text", multiple=True), "multiple needs an answer_scale"),
        (item("m", answer_scale="pick3", multiple=True, reverse=True), "cannot be reverse"),
        (item("t", type="long_text", reverse=True), "only closed or numeric items"),
        (item("t", type="paragraph"), "literal_error"),
        (item("t", answer_scale="yesno", type="text"), "exactly one of answer_scale or type"),
    ],
)
def test_item_rules(bad, message):
    with pytest.raises(ValidationError) as exc:
        Protocol.model_validate(minimal([bad]))
    assert message in str(exc.value) or message in str(exc.value.errors())


def test_anchors_label_a_numeric_range():
    it = Item.model_validate(
        item(
            "c", type="integer", minimum=0, maximum=100, anchors=[T, {"nl": "Veel", "en": "A lot"}]
        )
    )
    assert [a.en for a in it.anchors] == ["Question", "A lot"]
    with pytest.raises(ValidationError, match="anchors need type integer or number"):
        Item.model_validate(item("c", type="text", anchors=[T]))


def test_multi_select_answers_are_text_and_cannot_be_scored():
    p = Protocol.model_validate(minimal([item("m", answer_scale="pick3", multiple=True)]))
    assert p.item_range("ins", "m") is None
    assert not p.instruments["ins"].item("m").numeric
    data = minimal([item("m", answer_scale="pick3", multiple=True)])
    data["instruments"]["ins"]["scales"] = [
        {"code": "s", "label": T, "items": ["m"], "min_items": 1}
    ]
    with pytest.raises(ValidationError, match="needs an answer scale with one answer"):
        Protocol.model_validate(data)


def test_answer_options_take_an_easy_label_and_a_pictogram_name():
    o = AnswerOption.model_validate(
        {"value": 1, "label": T, "easy": {"nl": "Ja", "en": "Yes"}, "pictogram": "smiley_5"}
    )
    assert o.easy_label("nl") == "Ja"
    with pytest.raises(ValidationError, match="pattern"):
        AnswerOption.model_validate({"value": 1, "label": T, "pictogram": "../etc/passwd"})
    with pytest.raises(ValidationError, match="duplicate values"):
        Protocol.model_validate(
            {
                **minimal([item("a")]),
                "answer_scales": {
                    "yesno": {"options": [{"value": 1, "label": T}, {"value": 1, "label": T}]}
                },
            }
        )


def test_item_easy_text_falls_back_to_the_ordinary_text():
    it = Item.model_validate(item("a"))
    assert it.easy_text("en") == "Question"
    it = Item.model_validate(item("a", easy={"nl": "Kort.", "en": "Short."}))
    assert it.easy_text("en") == "Short."


def test_invitation_policy_rules():
    assert InvitationPolicy().max_reminders == 2
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        InvitationPolicy(reminder_after_days=0)
    with pytest.raises(ValidationError, match="falls on or after expiry"):
        InvitationPolicy(
            reminder_after_days=7, reminder_every_days=7, max_reminders=3, expires_after_days=21
        )
    assert InvitationPolicy(max_reminders=0, expires_after_days=3).expires_after_days == 3
    with pytest.raises(ValidationError, match="extra"):
        Protocol.model_validate(minimal([item("a")], invitations={"reminders": 2}))


# ---------------------------------------------------------------- show_if in the protocol


def test_show_if_must_parse():
    with pytest.raises(ValidationError, match="cannot be read"):
        Protocol.model_validate(minimal([item("a"), item("b", show_if="a == 1")]))


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([item("b", show_if="a = 1"), item("a")], "refers to a, which is later in"),
        ([item("a"), item("b", show_if="zz = 1")], "refers to zz, which is not in"),
        ([item("b", show_if="b = 1")], "refers to b, which is later in"),
        ([item("n", type="note"), item("b", show_if="n = 1")], "refers to the note n"),
        (
            [item("m", answer_scale="pick3", multiple=True), item("b", show_if="m != 2")],
            r"takes only '=' \(chosen\)",
        ),
        (
            [item("m", answer_scale="pick3", multiple=True), item("b", show_if="m > 2")],
            r"takes only '=' \(chosen\)",
        ),
    ],
)
def test_show_if_refers_only_to_earlier_answered_items(items, message):
    with pytest.raises(ValidationError, match=message):
        Protocol.model_validate(minimal(items))


def test_is_shown_follows_show_if_with_multi_select_answers_as_stored_text():
    p = Protocol.model_validate(
        minimal(
            [
                item("m", answer_scale="pick3", multiple=True),
                item("a", show_if="m = '2'"),
                item("b", show_if="not m = 2 and a = 1"),
            ]
        )
    )
    ins = p.instruments["ins"]
    assert ins.is_shown("m", {})
    assert ins.is_shown("a", {"m": "1;2"})
    assert not ins.is_shown("a", {"m": "1;3"})
    assert not ins.is_shown("a", {"m": "12"})  # 12 is not 2
    assert ins.is_shown("a", {"m": {2}})
    assert ins.is_shown("b", {"m": "3", "a": 1})
    assert not ins.is_shown("b", {"m": "2;3", "a": 1})
    assert not ins.is_shown("b", {"m": "3"})  # a unanswered


def test_the_condition_error_is_a_protocol_error_with_dutch_and_english():
    with pytest.raises(InvalidConditionError) as exc:
        parse("a =")
    assert isinstance(exc.value, ProtocolError)
    assert "expected a number or a quoted text after 'a =', found the end" in exc.value.message
    assert "verwachtte een getal of een tekst" in exc.value.message_nl
    with pytest.raises(ValidationError, match="expected a number or a quoted text"):
        Item.model_validate(item("b", show_if="a ="))


def test_shipped_protocol_data_is_not_changed_by_validation():
    data = shipped_data()
    before = copy.deepcopy(data)
    Protocol.model_validate(data)
    assert data == before
