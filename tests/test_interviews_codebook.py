"""The interview codebook: the shipped MIDI set and the REFI-QDA .qdc exchange.

A .qdc written by the system must validate against the official REFI-QDA ``Codebook.xsd``
(shipped in ``tests/data/refi-qda/``, source in its README) and reading it back must give the
same codebook. No database: this is the protocol layer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from mentorwijs.protocol.codebook import (
    Code,
    codebook_from_codes,
    guid_for_key,
    key_from_name,
    load_codebook,
    new_guid,
    with_code,
)
from mentorwijs.protocol.errors import CodebookError
from mentorwijs.protocol.models import load_protocol
from mentorwijs.protocol.refiqda import NAMESPACE, codebook_from_qdc, codebook_to_qdc

REFI = Path(__file__).parent / "data" / "refi-qda"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFI / "Codebook.xsd")))


def _valid(schema: etree.XMLSchema, data: bytes) -> None:
    doc = etree.fromstring(data)
    assert schema.validate(doc), [str(e) for e in schema.error_log]


def test_the_shipped_codebook_has_the_29_midi_determinants_in_four_groups() -> None:
    book = load_codebook()
    groups = book.children(None)
    assert [g.key for g in groups] == [
        "midi-innovation",
        "midi-user",
        "midi-organisation",
        "midi-sociopolitical",
        "valence",
    ]
    # Fleuren et al. 2014: 7 determinants of the innovation, 11 of the user, 10 of the
    # organisation and 1 of the socio-political context (29 in all); then the direction.
    assert [len(book.children(g.key)) for g in groups] == [7, 11, 10, 1, 2]
    assert [c.key for c in book.children("valence")] == ["facilitator", "barrier"]
    assert all(not g.codable for g in groups)
    assert all(c.codable and c.origin == "deductive" for c in book.codes if c.parent)
    assert all(c.definition_nl and c.definition_en and c.name_en for c in book.codes)


def test_shipped_codes_point_at_existing_questionnaire_items() -> None:
    items = {it.code for it in load_protocol().instruments["sv_determinants"].items}
    linked = {c.item: c.key for c in load_codebook().codes if c.item}
    assert set(linked) <= items
    assert linked["det_feedback"] == "midi-performance-feedback"
    assert linked["det_endorsement"] == "midi-formal-ratification"


def test_shipped_guids_are_derived_from_keys_and_stable() -> None:
    book = load_codebook()
    assert book["midi-knowledge"].guid == guid_for_key("midi-knowledge")
    assert len({c.guid for c in book.codes}) == len(book)


def test_the_written_qdc_validates_against_the_refi_qda_schema(schema: etree.XMLSchema) -> None:
    book = load_codebook()
    for lang in ("nl", "en"):
        data = codebook_to_qdc(book, lang=lang)
        _valid(schema, data)
        root = etree.fromstring(data)
        assert root.tag == f"{{{NAMESPACE}}}CodeBook"
        # 5 groups at the top, 29 determinants and 2 directions nested inside them.
        assert len(root.findall(f"{{{NAMESPACE}}}Codes/{{{NAMESPACE}}}Code")) == 5
        assert len(root.findall(f".//{{{NAMESPACE}}}Code")) == 36


def test_reading_the_qdc_back_gives_the_same_codebook(schema: etree.XMLSchema) -> None:
    book = load_codebook()
    extra = Code(
        key="steun-van-hr", guid=new_guid(), name_nl="Steun van HR", name_en="Support from HR",
        definition_nl="De afdeling personeelszaken helpt <bij> aanpassingen & regelingen.",
        definition_en="", parent="midi-organisation", color="#a84c00",
    )  # fmt: skip
    sub = Code(key="hr-budget", guid=new_guid(), name_nl="Budget van HR", parent="steun-van-hr")
    book = with_code(with_code(book, extra), sub)
    data = codebook_to_qdc(book, lang="nl")
    _valid(schema, data)
    assert codebook_from_qdc(data, lang="nl", known=book) == book
    # Without knowing our codebook, another program sees the same names, definitions,
    # guids, colours and hierarchy; only the keys are made from the names.
    foreign = codebook_from_qdc(data, lang="nl")
    strip = [(c.guid, c.name_nl, c.definition_nl, c.codable, c.color) for c in book.codes]
    assert [
        (c.guid, c.name_nl, c.definition_nl, c.codable, c.color) for c in foreign.codes
    ] == strip
    names = {c.key: c.name_nl for c in foreign.codes}
    budget = next(c for c in foreign.codes if c.name_nl == "Budget van HR")
    assert names[budget.parent] == "Steun van HR"
    assert names[foreign[budget.parent].parent] == "Kenmerken van de organisatie"


def test_the_english_export_reads_back_into_the_english_fields() -> None:
    book = load_codebook()
    data = codebook_to_qdc(book, lang="en")
    assert b'name="Time available"' in data
    assert codebook_from_qdc(data, lang="en", known=book) == book


def test_writing_the_same_codebook_twice_gives_the_same_bytes() -> None:
    assert codebook_to_qdc(load_codebook()) == codebook_to_qdc(load_codebook())


def test_a_codebook_from_another_program_is_read_with_its_sets_ignored(
    schema: etree.XMLSchema,
) -> None:
    data = (REFI / "other-program.qdc").read_bytes()
    _valid(schema, data)
    book = codebook_from_qdc(data, lang="nl")
    assert [c.name_nl for c in book.codes] == ["Begeleiding", "Feedback geven", "Werkdruk"]
    assert book.codes[1].parent == book.codes[0].key
    assert book.codes[1].definition_nl == "De leidinggevende bespreekt hoe het werk gaat."
    assert book.codes[0].guid == "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"  # braces dropped
    assert book.codes[2].color is None


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not xml at all", "XML"),
        (b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"/>', "CodeBook"),
        (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "no codes"),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x" '
            b'isCodable="true" guid="nope"/></Codes></CodeBook>',
            "guid",
        ),
        (
            b'<!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
            b"<Codes/></CodeBook>",
            "DOCTYPE",
        ),
    ],
)
def test_a_broken_qdc_is_refused_with_a_message_in_both_languages(
    data: bytes, fragment: str
) -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_qdc(data)
    assert fragment in str(caught.value)
    assert caught.value.message_nl.startswith("dit is geen leesbaar REFI-QDA-codeboek")


def test_two_codes_with_one_name_or_a_missing_parent_are_refused() -> None:
    a = Code(key="a", guid=new_guid(), name_nl="Tijd")
    with pytest.raises(CodebookError, match="same name"):
        codebook_from_codes([a, Code(key="b", guid=new_guid(), name_nl="tijd")])
    with pytest.raises(CodebookError, match="does not exist"):
        codebook_from_codes([a, Code(key="c", guid=new_guid(), name_nl="C", parent="x")])
    cycle = [replace(a, parent="d"), Code(key="d", guid=new_guid(), name_nl="D", parent="a")]
    with pytest.raises(CodebookError, match="cycle"):
        codebook_from_codes(cycle)


def test_keys_from_names_are_ascii_and_unique() -> None:
    assert key_from_name("Coördinatie & overleg") == "coordinatie-overleg"
    assert key_from_name("Tijd", taken={"tijd", "tijd-2"}) == "tijd-3"
