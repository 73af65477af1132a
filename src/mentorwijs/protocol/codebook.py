"""The interview codebook: codes with definitions in a hierarchy, and the shipped MIDI set.

A :class:`Codebook` is an immutable, checked tuple of :class:`Code` in pre-order (every
parent before its children, siblings in their own order). The shipped deductive codebook
(``codebook.yaml``: the 29 MIDI determinants in four groups) is read by
:func:`load_codebook`; researchers add inductive codes in the site, which keeps them in its
database and builds a :class:`Codebook` from them to check and to exchange
(:mod:`mentorwijs.protocol.refiqda`).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from mentorwijs.protocol.errors import CodebookError

Origin = Literal["deductive", "inductive"]
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
GUID = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$"
)
COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
#: Namespace of the guids derived from a shipped code's key (uuid5 of "mentorwijs:code:KEY").
GUID_NAMESPACE = uuid.NAMESPACE_URL
NAME_MAX = 120


def guid_for_key(key: str) -> str:
    """The REFI-QDA guid of a shipped code: uuid5 of its key, upper case.

    Examples
    --------
    >>> guid_for_key("midi-knowledge") == guid_for_key("midi-knowledge")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, f"mentorwijs:code:{key}")).upper()


def new_guid() -> str:
    """A random guid for a new code, upper case (as ATLAS.ti and MAXQDA write them)."""
    return str(uuid.uuid4()).upper()


def key_from_name(name: str, taken: Iterable[str] = ()) -> str:
    """A key for a new code: its name in lower case ASCII with hyphens, unique in ``taken``.

    Examples
    --------
    >>> key_from_name("Steun van HR", taken={"steun-van-hr"})
    'steun-van-hr-2'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:56] or "code"
    used = set(taken)
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    return key


@dataclass(frozen=True)
class Code:
    """One code of the codebook.

    Attributes
    ----------
    key
        Stable identifier (lower case, digits and hyphens); what the study data package's
        ``interview_segments.code`` holds. It does not change when the code is renamed.
    name_nl, name_en
        The name in Dutch (required) and English (empty: the Dutch name is shown).
    definition_nl, definition_en
        When to apply the code, in Dutch and English (may be empty).
    parent
        Key of the parent code, or None for a top-level code.
    guid
        The REFI-QDA guid (upper-case UUID) that identifies the code in .qdc files.
    codable
        False for a group that only holds other codes.
    color
        ``#RRGGBB`` or None.
    origin
        "deductive" (shipped, from theory) or "inductive" (added by a researcher).
    item
        The questionnaire item of the protocol that measures the same determinant, if any.
    """

    key: str
    name_nl: str
    guid: str
    name_en: str = ""
    definition_nl: str = ""
    definition_en: str = ""
    parent: str | None = None
    codable: bool = True
    color: str | None = None
    origin: Origin = "inductive"
    item: str | None = None

    def name(self, lang: str = "nl") -> str:
        """The name in ``lang``; the Dutch one when there is no English name."""
        return self.name_en if lang == "en" and self.name_en else self.name_nl

    def definition(self, lang: str = "nl") -> str:
        """The definition in ``lang``; the Dutch one when there is no English one."""
        return self.definition_en if lang == "en" and self.definition_en else self.definition_nl


@dataclass(frozen=True)
class Codebook:
    """Checked codes in pre-order; build one with :func:`codebook_from_codes`."""

    codes: tuple[Code, ...]
    _by_key: Mapping[str, Code] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, key: str) -> Code:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self.codes)

    def children(self, key: str | None) -> list[Code]:
        """The codes directly under ``key`` (None: the top-level codes), in order."""
        return [c for c in self.codes if c.parent == key]

    def depth(self, key: str) -> int:
        """0 for a top-level code, 1 for its children, and so on."""
        depth, code = 0, self._by_key[key]
        while code.parent is not None:
            depth, code = depth + 1, self._by_key[code.parent]
        return depth

    def by_guid(self) -> dict[str, Code]:
        """Codes by their guid in upper case."""
        return {c.guid.upper(): c for c in self.codes}


def _problem(en: str, nl: str) -> CodebookError:
    return CodebookError(en, nl)


def _check_code(code: Code) -> None:
    if not KEY.match(code.key):
        raise _problem(
            f"code key {code.key!r} may hold only lower-case letters, digits and hyphens",
            f"codesleutel {code.key!r} mag alleen kleine letters, cijfers en streepjes bevatten",
        )
    name = code.name_nl.strip()
    if not name or len(name) > NAME_MAX or len(code.name_en) > NAME_MAX:
        raise _problem(
            f"code {code.key}: a name of 1 to {NAME_MAX} characters is required",
            f"code {code.key}: een naam van 1 tot {NAME_MAX} tekens is verplicht",
        )
    if not GUID.match(code.guid):
        raise _problem(
            f"code {code.key}: {code.guid!r} is not a guid",
            f"code {code.key}: {code.guid!r} is geen guid",
        )
    if code.color is not None and not COLOR.match(code.color):
        raise _problem(
            f"code {code.key}: colour {code.color!r} is not of the form #RRGGBB",
            f"code {code.key}: kleur {code.color!r} heeft niet de vorm #RRGGBB",
        )


def codebook_from_codes(codes: Iterable[Code]) -> Codebook:
    """Check codes and put them in pre-order (parents first, siblings in the given order).

    Parameters
    ----------
    codes
        The codes, in any order of parents and children; siblings keep their relative order.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        A key, guid or name (Dutch, case-insensitive) occurs twice, a parent does not exist,
        the hierarchy has a cycle, or a key, name, guid or colour is malformed.
    """
    items = list(codes)
    by_key: dict[str, Code] = {}
    names: dict[str, str] = {}
    guids: dict[str, str] = {}
    for code in items:
        _check_code(code)
        if code.key in by_key:
            raise _problem(
                f"code key {code.key} occurs twice", f"codesleutel {code.key} komt twee keer voor"
            )
        folded = code.name_nl.strip().casefold()
        if folded in names:
            raise _problem(
                f"codes {names[folded]} and {code.key} have the same name {code.name_nl!r}",
                f"codes {names[folded]} en {code.key} hebben dezelfde naam {code.name_nl!r}",
            )
        guid = code.guid.strip("{}").upper()
        if guid in guids:
            raise _problem(
                f"codes {guids[guid]} and {code.key} have the same guid",
                f"codes {guids[guid]} en {code.key} hebben dezelfde guid",
            )
        by_key[code.key], names[folded], guids[guid] = code, code.key, code.key
    for code in items:
        if code.parent is not None and code.parent not in by_key:
            raise _problem(
                f"code {code.key}: parent {code.parent} does not exist",
                f"code {code.key}: bovenliggende code {code.parent} bestaat niet",
            )
    ordered: list[Code] = []

    def visit(parent: str | None) -> None:
        for code in items:
            if code.parent == parent:
                ordered.append(code)
                visit(code.key)

    visit(None)
    if len(ordered) != len(items):
        stuck = sorted({c.key for c in items} - {c.key for c in ordered})
        raise _problem(
            f"codes {', '.join(stuck)} are their own ancestors (a cycle in the hierarchy)",
            f"codes {', '.join(stuck)} zijn hun eigen voorouder (een kring in de hiërarchie)",
        )
    return Codebook(codes=tuple(ordered), _by_key=by_key)


def with_code(codebook: Codebook, code: Code) -> Codebook:
    """A new codebook with ``code`` added or (same key) replaced; checked again."""
    codes = [code if c.key == code.key else c for c in codebook.codes]
    if code.key not in codebook:
        codes.append(code)
    return codebook_from_codes(codes)


def _text(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("nl"), str):
        raise _problem(f"shipped codebook: {what} needs nl and en", f"codeboek: {what} mist nl/en")
    return {"nl": value["nl"], "en": str(value.get("en", ""))}


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """The shipped deductive codebook: the 29 MIDI determinants in four groups.

    Returns
    -------
    Codebook
        Codes with ``origin="deductive"`` and guids derived from their keys
        (:func:`guid_for_key`), so every installation exports the same guids.

    References
    ----------
    Fleuren MAH, Paulussen TGWM, Van Dommelen P, Van Buuren S. Towards a measurement
    instrument for determinants of innovations. Int J Qual Health Care 2014;26(5):501-510.
    """
    raw = yaml.safe_load(
        resources.files("mentorwijs.protocol").joinpath("codebook.yaml").read_text("utf-8")
    )
    codes = []
    colors: dict[str, str | None] = {}
    for entry in raw["codes"]:
        key = str(entry["key"])
        name = _text(entry.get("name"), f"{key} name")
        definition = _text(entry.get("definition"), f"{key} definition")
        parent = entry.get("parent")
        color = entry.get("color") or colors.get(parent or "")
        colors[key] = color
        codes.append(
            Code(
                key=key,
                name_nl=name["nl"],
                name_en=name["en"],
                definition_nl=definition["nl"],
                definition_en=definition["en"],
                parent=parent,
                guid=guid_for_key(key),
                codable=bool(entry.get("codable", True)),
                color=color,
                origin="deductive",
                item=entry.get("item"),
            )
        )
    return codebook_from_codes(codes)


def codebook_version() -> str:
    """Version of the shipped codebook file."""
    raw = yaml.safe_load(
        resources.files("mentorwijs.protocol").joinpath("codebook.yaml").read_text("utf-8")
    )
    return str(raw["version"])


__all__ = [
    "Code",
    "Codebook",
    "codebook_from_codes",
    "codebook_version",
    "guid_for_key",
    "key_from_name",
    "load_codebook",
    "new_guid",
    "with_code",
]
