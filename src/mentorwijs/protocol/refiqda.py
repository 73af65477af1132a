"""The codebook as a REFI-QDA codebook file (.qdc), to move between QDA programs.

REFI-QDA's Codebook Exchange standard (the Rotterdam Exchange Format Initiative, schema
``Codebook.xsd``, namespace ``urn:QDA-XML:codebook:1.0``) is read and written by ATLAS.ti,
MAXQDA, NVivo, QualCoder and others. A code is a ``<Code guid name isCodable color>`` with an
optional ``<Description>`` and its child codes nested inside it.

The standard holds one name and one description per code; we write them in one language
(Dutch by default) and, on reading, put them into that language's fields. A code is matched
to a code of the ``known`` codebook by its guid, so it keeps its key, origin, protocol item
and the other language; a new code gets a key made from its name. ``<Sets>`` (code groups
outside the hierarchy) are not part of our codebook: they are ignored on reading.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Literal

from mentorwijs.protocol.codebook import (
    COLOR,
    GUID,
    Code,
    Codebook,
    codebook_from_codes,
    key_from_name,
)
from mentorwijs.protocol.errors import CodebookError

NAMESPACE = "urn:QDA-XML:codebook:1.0"
SCHEMA_LOCATION = "urn:QDA-XML:codebook:1.0 Codebook.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MAX_BYTES = 2 * 1024 * 1024
Lang = Literal["nl", "en"]


def _element(code: Code, codebook: Codebook, lang: Lang) -> ET.Element:
    attrs = {
        "guid": code.guid,
        "name": code.name(lang),
        "isCodable": "true" if code.codable else "false",
    }
    if code.color:
        attrs["color"] = code.color
    el = ET.Element(f"{{{NAMESPACE}}}Code", attrs)
    definition = code.definition(lang)
    if definition:
        ET.SubElement(el, f"{{{NAMESPACE}}}Description").text = definition
    for child in codebook.children(code.key):
        el.append(_element(child, codebook, lang))
    return el


def codebook_to_qdc(codebook: Codebook, *, lang: Lang = "nl", origin: str = "Mentorwijs") -> bytes:
    """Write the codebook as a REFI-QDA .qdc document (UTF-8 XML).

    Parameters
    ----------
    codebook
        The codes to write; it must hold at least one code (the schema requires one).
    lang
        Language of the names and descriptions written ("nl" or "en"; a code without an
        English name or definition is written with its Dutch one).
    origin
        The ``origin`` attribute: the program that wrote the file.

    Returns
    -------
    bytes
        The document. The same codebook gives the same bytes.

    Raises
    ------
    CodebookError
        The codebook is empty.
    """
    if not len(codebook):
        raise CodebookError(
            "the codebook has no codes to export", "het codeboek heeft geen codes om te exporteren"
        )
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        f"{{{NAMESPACE}}}CodeBook", {"origin": origin, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION}
    )
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    for code in codebook.children(None):
        codes.append(_element(code, codebook, lang))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _bad(en: str, nl: str) -> CodebookError:
    return CodebookError(
        f"this is not a readable REFI-QDA codebook (.qdc): {en}",
        f"dit is geen leesbaar REFI-QDA-codeboek (.qdc): {nl}",
    )


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _bool(value: str | None, name: str) -> bool:
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise _bad(
        f"code {name!r} needs isCodable true or false", f"code {name!r} mist isCodable true/false"
    )


def codebook_from_qdc(data: bytes, *, lang: Lang = "nl", known: Codebook | None = None) -> Codebook:
    """Read a REFI-QDA .qdc document into a codebook.

    Parameters
    ----------
    data
        The file's bytes (at most 2 MB).
    lang
        Language the names and descriptions in the file are taken to be in.
    known
        The codebook the file is imported into: a code with the guid of one of its codes
        keeps that code's key, origin, protocol item and the other language's texts.

    Returns
    -------
    Codebook
        The codes of the file only, in the file's order and hierarchy.

    Raises
    ------
    CodebookError
        The file is too big, not XML, not a REFI-QDA codebook, or a code lacks a valid guid
        or name, or two codes share a guid or name. The message says which, in Dutch and
        English.
    """
    if len(data) > MAX_BYTES:
        raise _bad("the file is larger than 2 MB", "het bestand is groter dan 2 MB")
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise _bad(
            "document type declarations (DOCTYPE) are not accepted",
            "een documenttypedeclaratie (DOCTYPE) wordt niet aanvaard",
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _bad(f"the XML cannot be read ({exc})", f"de XML is niet te lezen ({exc})") from exc
    ns, name = _local(root.tag)
    if name != "CodeBook" or ns not in (NAMESPACE, ""):
        raise _bad(
            f"the root element is {name!r}, not CodeBook in {NAMESPACE}",
            f"het hoofdelement is {name!r}, niet CodeBook in {NAMESPACE}",
        )
    holder = next((el for el in root if _local(el.tag)[1] == "Codes"), None)
    if holder is None:
        raise _bad("it has no <Codes> element", "het heeft geen element <Codes>")
    by_guid = known.by_guid() if known is not None else {}
    taken = {c.key for c in known.codes} if known is not None else set()
    codes: list[Code] = []

    def read(el: ET.Element, parent: str | None) -> None:
        name = el.get("name")
        guid = el.get("guid") or ""
        if not name or not name.strip():
            raise _bad("a code has no name", "een code heeft geen naam")
        if not GUID.match(guid):
            raise _bad(f"code {name!r} has no valid guid", f"code {name!r} heeft geen geldige guid")
        color = el.get("color")
        if color is not None and not COLOR.match(color):
            raise _bad(
                f"code {name!r} has colour {color!r}, not #RRGGBB",
                f"code {name!r} heeft kleur {color!r}, niet #RRGGBB",
            )
        description = ""
        for child in el:
            if _local(child.tag)[1] == "Description":
                description = (child.text or "").strip()
        guid_key = guid.strip("{}").upper()
        old = by_guid.get(guid_key)
        texts: dict[str, str]
        if old is not None:
            key = old.key
            texts = {
                "name_nl": old.name_nl,
                "name_en": old.name_en,
                "definition_nl": old.definition_nl,
                "definition_en": old.definition_en,
            }
        else:
            key = key_from_name(name, taken)
            texts = {"name_nl": name, "name_en": "", "definition_nl": description}
            texts["definition_en"] = ""
        texts[f"name_{lang}"] = name.strip()
        texts[f"definition_{lang}"] = description
        taken.add(key)
        codes.append(
            Code(
                key=key,
                guid=old.guid if old is not None else guid_key,
                parent=parent,
                codable=_bool(el.get("isCodable"), name),
                color=color,
                origin=old.origin if old is not None else "inductive",
                item=old.item if old is not None else None,
                **texts,
            )
        )
        for child in el:
            if _local(child.tag)[1] == "Code":
                read(child, key)

    for el in holder:
        if _local(el.tag)[1] == "Code":
            read(el, None)
    if not codes:
        raise _bad("it holds no codes", "het bevat geen codes")
    return codebook_from_codes(codes)
