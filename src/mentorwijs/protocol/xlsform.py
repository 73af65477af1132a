"""Import an XLSForm (.xlsx) as a protocol.

The ``survey`` sheet holds the questions, the ``choices`` sheet the options of select
questions, the optional ``settings`` sheet ``form_id``, ``form_title`` and
``default_language``. Each top-level group becomes an instrument; questions outside a group
form an instrument named after ``form_id`` (or the file). Labels are read from
``label::Dutch (nl)`` and ``label::English (en)`` (or plain ``label``). The mapping, and what
is not supported, is in docs/protocol.md; every field not taken over exactly is reported.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mentorwijs.protocol.branching import UnsupportedLogicError, from_xlsform, renamed
from mentorwijs.protocol.errors import InvalidInstrumentFileError
from mentorwijs.protocol.importing import ImportResult, ProtocolBuilder, numeric_value
from mentorwijs.protocol.models import Protocol, Role

_OPEN = {"integer": "integer", "decimal": "number", "text": "text", "date": "date", "note": "note"}
_METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "background-audio", "caseid",
}  # fmt: skip
_USED = {"type", "name", "label", "required", "relevant", "constraint", "appearance"}
_TRUE = {"yes", "true", "true()", "1", "y"}
_FALSE = {"no", "false", "false()", "0", "n"}
_BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")
_LANG = re.compile(r"\((\w+)\)\s*$")
_NL = {"nl", "dutch", "nederlands"}
_EN = {"en", "english", "engels"}


def _language(column: str) -> str | None:
    """``nl``/``en`` for a ``label::…`` column, ``""`` for plain ``label``, else None."""
    if column == "label":
        return ""
    if not column.startswith("label::"):
        return None
    lang = column[7:].strip().lower()
    m = _LANG.search(lang)
    code = m.group(1) if m else lang
    return "nl" if code in _NL else "en" if code in _EN else None


def _sheet(wb: Any, name: str) -> list[tuple[int, dict[str, str]]] | None:
    sheet = next((wb[s] for s in wb.sheetnames if s.strip().lower() == name), None)
    if sheet is None:
        return None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    out = []
    for n, row in enumerate(rows[1:], start=1):
        cells = {
            header[i]: str(v).strip()
            for i, v in enumerate(row)
            if i < len(header) and header[i] and v is not None and str(v).strip()
        }
        if cells:
            out.append((n, cells))
    return out


def _text(row: dict[str, str], default_lang: str) -> tuple[dict[str, str], bool]:
    """The label as a text pair, and whether it had both languages."""
    found: dict[str, str] = {}
    for col, value in row.items():
        lang = _language(col)
        if lang == "":
            found.setdefault(default_lang or "nl", value)
        elif lang:
            found[lang] = value
    nl = found.get("nl") or found.get("en") or ""
    en = found.get("en") or nl
    return {"nl": nl, "en": en}, "nl" in found and "en" in found


def _open_workbook(raw: bytes, label: str) -> Any:
    import openpyxl

    if not raw.strip():
        raise InvalidInstrumentFileError(label, "the file is empty", "het bestand is leeg")
    try:
        return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInstrumentFileError(
            label,
            "this is not an Excel workbook (.xlsx); save the XLSForm as .xlsx",
            "dit is geen Excel-werkmap (.xlsx); sla het XLSForm op als .xlsx",
        ) from exc


class _Choices:
    """The choice lists, with choice names → stored values (recoded when not integers)."""

    def __init__(self, rows: list[tuple[int, dict[str, str]]], default_lang: str) -> None:
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.values: dict[str, dict[str, int]] = {}
        self.recoded: set[str] = set()
        raw: dict[str, list[tuple[str, dict[str, str]]]] = {}
        for _, row in rows:
            list_name = row.get("list_name") or row.get("list name")
            if list_name and row.get("name"):
                raw.setdefault(list_name, []).append((row["name"], _text(row, default_lang)[0]))
        for name, options in raw.items():
            ints = all(re.fullmatch(r"-?\d+", c) for c, _ in options)
            values = (
                {c: int(c) for c, _ in options}
                if ints
                else {c: i for i, (c, _) in enumerate(options, start=1)}
            )
            if not ints:
                self.recoded.add(name)
            self.values[name] = values
            self.lists[name] = [{"value": values[c], "label": t} for c, t in options]


def _code(name: str) -> str:
    code = re.sub(r"[^a-z0-9_]", "_", name.lower())
    return code if re.match(r"^[a-z]", code) else f"q_{code}"


def import_xlsform(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    base: Protocol | None = None,
    role: Role = "supervisor",
    waves: Sequence[str] | None = None,
    version: str | None = None,
) -> ImportResult:
    """Read an XLSForm workbook and map it to a protocol.

    Parameters are those of :func:`mentorwijs.protocol.redcap.import_dictionary`.

    Returns
    -------
    ImportResult
        ``.protocol`` (validated) and ``.messages`` (one per field not taken over exactly).

    Raises
    ------
    InvalidInstrumentFileError
        The file is empty, not a workbook, or has no ``survey`` sheet with ``type`` and
        ``name`` columns.
    """
    label = name or (str(source) if not isinstance(source, bytes) else "form.xlsx")
    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise InvalidInstrumentFileError(
            label, f"it cannot be read ({exc.strerror})", f"het is niet te lezen ({exc.strerror})"
        ) from exc
    wb = _open_workbook(raw, label)
    survey = _sheet(wb, "survey")
    if not survey or not any("type" in r and "name" in r for _, r in survey):
        raise InvalidInstrumentFileError(
            label,
            "there is no 'survey' sheet with the columns type, name and label: this is not an "
            "XLSForm",
            "er is geen blad 'survey' met de kolommen type, name en label: dit is geen XLSForm",
        )
    settings = dict((_sheet(wb, "settings") or [(0, {})])[0][1])
    default_lang = _language("label::" + settings.get("default_language", "")) or ""
    choices = _Choices(_sheet(wb, "choices") or [], default_lang)
    builder = ProtocolBuilder(
        source=label, base=base, role=role, waves=waves, version=version or settings.get("version")
    )
    _Walk(builder, choices, settings, default_lang, Path(label).stem).run(survey)
    return builder.build()


class _Walk:
    def __init__(
        self,
        builder: ProtocolBuilder,
        choices: _Choices,
        settings: dict[str, str],
        default_lang: str,
        stem: str,
    ) -> None:
        self.b = builder
        self.choices = choices
        self.default_lang = default_lang
        self.top = _code(settings.get("form_id") or stem)
        title = settings.get("form_title")
        self.top_label = {"nl": title, "en": title} if title else None
        self.codes: dict[str, str] = {}  # form name -> item code
        self.lists: dict[str, str] = {}  # form name -> choice list
        self.multiple: set[str] = set()
        self.one_language = False

    def run(self, survey: list[tuple[int, dict[str, str]]]) -> None:
        for _, row in survey:
            parts = row.get("type", "").lower().split()
            if row.get("name"):
                self.codes[row["name"]] = _code(row["name"])
                if parts and parts[0] in ("select_one", "select_multiple") and len(parts) > 1:
                    self.lists[row["name"]] = parts[1]
                    if parts[0] == "select_multiple":
                        self.multiple.add(row["name"])
        stack: list[tuple[str, str]] = []  # (kind, name) of open groups and repeats
        current, current_label = self.top, self.top_label
        for n, row in survey:
            kind = row.get("type", "").strip().lower()
            name = row.get("name", "")
            base = kind.replace("_", " ")
            if base in ("begin group", "begin repeat"):
                if base == "begin repeat" or any(k == "repeat" for k, _ in stack):
                    self.b.note(
                        "error", current, name, n,
                        "repeats are not supported (one answer per item)",
                        "herhalingen worden niet ondersteund (één antwoord per "
                        "item)",
                    )  # fmt: skip
                elif not stack:
                    current = _code(name or f"group_{n}")
                    current_label = _text(row, self.default_lang)[0]
                else:
                    self.b.note(
                        "info", current, name, n,
                        "a group inside a group: its questions join the outer instrument",
                        "een groep in een groep: de vragen horen bij de buitenste vragenlijst",
                    )  # fmt: skip
                if row.get("relevant"):
                    self.b.note(
                        "warning", current, name, n,
                        f"the group's condition {row['relevant']!r} is not kept",
                        f"de voorwaarde {row['relevant']!r} van de groep is niet bewaard",
                    )  # fmt: skip
                stack.append(("repeat" if "repeat" in base else "group", name))
                continue
            if base in ("end group", "end repeat"):
                if stack:
                    stack.pop()
                if not stack:
                    current, current_label = self.top, self.top_label
                continue
            if any(k == "repeat" for k, _ in stack):
                self.b.note(
                    "error", current, name, n,
                    "the question is inside a repeat",
                    "de vraag staat in een herhaling",
                )  # fmt: skip
                continue
            self.question(n, row, kind, current, current_label)
        if self.one_language:
            self.b.note(
                "info", "", "", None,
                "some labels have one language: that text is used for Dutch and English",
                "sommige labels hebben één taal: die tekst geldt voor Nederlands en Engels",
            )  # fmt: skip

    def question(
        self, n: int, row: dict[str, str], kind: str, form: str, label: dict[str, str] | None
    ) -> None:
        name = row.get("name", "")
        parts = kind.split()
        head = parts[0] if parts else ""
        if not name:
            self.b.note(
                "error", form, "", n, "the row has no name", "de rij heeft geen naam"
            )  # fmt: skip
            return
        if (
            head in _METADATA
            or head == "calculate"
            or (head not in _OPEN and head not in ("select_one", "select_multiple"))
        ):
            en, nl = (
                ("metadata is not a question", "metagegevens zijn geen vraag")
                if head in _METADATA
                else ("a calculation holds no answer; compute it in the analysis",
                      "een berekening bevat geen antwoord; bereken het in de analyse")
                if head == "calculate"
                else (f"the type {kind!r} is not supported",
                      f"het type {kind!r} wordt niet ondersteund")
            )  # fmt: skip
            self.b.note("error", form, name, n, en, nl)
            return
        code = _code(name)
        if code != name:
            self.b.note(
                "info", form, name, n, f"the name {name} becomes {code}",
                f"de naam {name} wordt {code}",
            )  # fmt: skip
        text, both = _text(row, self.default_lang)
        self.one_language = self.one_language or not both
        item: dict[str, Any] = {
            "code": code,
            "text": text,
            "required": row.get("required", "").lower() in _TRUE,
        }
        if row.get("required") and row["required"].lower() not in _TRUE | {
            "no",
            "false",
            "false()",
            "0",
            "n",
        }:
            self.b.note(
                "warning", form, name, n,
                f"the required expression {row['required']!r} is not kept; the item is optional",
                f"de verplicht-expressie {row['required']!r} is niet bewaard; het item is "
                "niet verplicht",
            )  # fmt: skip
        if head in ("select_one", "select_multiple"):
            if not self.select(item, parts, row, form, name, n):
                return
        else:
            item["type"] = _OPEN[head]
            if head == "text" and "multiline" in row.get("appearance", "").lower():
                item["type"] = "long_text"
            if head == "note":
                item["required"] = False
            self.constraint(item, row, form, name, n)
        self.leftovers(row, form, name, n)
        self.b.form(form, label=label)
        cond = self.relevant(row, form, name, n)
        self.b.add_item(form, item, row=n, condition=cond)

    def select(
        self,
        item: dict[str, Any],
        parts: list[str],
        row: dict[str, str],
        form: str,
        name: str,
        n: int,
    ) -> bool:
        list_name = parts[1] if len(parts) > 1 else ""
        if list_name not in self.choices.lists:
            self.b.note(
                "error", form, name, n,
                f"the choice list {list_name!r} is not on the choices sheet",
                f"de keuzelijst {list_name!r} staat niet op het blad choices",
            )  # fmt: skip
            return False
        if len(parts) > 2:
            self.b.note(
                "warning", form, name, n, f"{' '.join(parts[2:])!r} is not kept",
                f"{' '.join(parts[2:])!r} is niet bewaard",
            )  # fmt: skip
        if list_name in self.choices.recoded:
            mapping = ", ".join(f"{c} → {v}" for c, v in self.choices.values[list_name].items())
            self.b.note(
                "warning", form, name, n,
                f"the choice names are not whole numbers and are stored as {mapping}",
                f"de keuzenamen zijn geen gehele getallen en worden opgeslagen als {mapping}",
            )  # fmt: skip
        item["answer_scale"] = self.b.answer_scale(self.choices.lists[list_name], _code(list_name))
        if parts[0] == "select_multiple":
            item["multiple"] = True
        return True

    def constraint(
        self, item: dict[str, Any], row: dict[str, str], form: str, name: str, n: int
    ) -> None:
        expr = row.get("constraint", "")
        if not expr:
            return
        bounds: dict[str, float] = {}
        ok = item["type"] in ("integer", "number")
        for part in re.split(r"\s+and\s+", expr) if ok else []:
            m = _BOUND.match(part.strip())
            if m is None:
                ok = False
                break
            op, v = m.group(1), float(m.group(2))
            if op in (">", "<") and item["type"] == "integer":
                v, op = (v + 1, ">=") if op == ">" else (v - 1, "<=")
            if op in (">", "<"):
                ok = False
                break
            bounds["minimum" if op == ">=" else "maximum"] = v
        if ok:
            item.update(bounds)
        else:
            self.b.note(
                "warning", form, name, n, f"the constraint {expr!r} is not kept",
                f"de beperking {expr!r} is niet bewaard",
            )  # fmt: skip

    def leftovers(self, row: dict[str, str], form: str, name: str, n: int) -> None:
        for col, value in row.items():
            if col in _USED or _language(col) is not None:
                continue
            self.b.note(
                "warning", form, name, n, f"the column {col} ({value!r}) is not kept",
                f"de kolom {col} ({value!r}) is niet bewaard",
            )  # fmt: skip
        appearance = row.get("appearance", "")
        if appearance and not (row["type"].lower() == "text" and "multiline" in appearance):
            self.b.note(
                "info", form, name, n, f"the appearance {appearance!r} is layout and not kept",
                f"de weergave {appearance!r} is opmaak en wordt niet bewaard",
            )  # fmt: skip

    def relevant(self, row: dict[str, str], form: str, name: str, n: int) -> Any:
        expr = row.get("relevant", "")
        if not expr:
            return None

        def code_of(field: str, raw: str) -> float | str | None:
            if self.lists.get(field) in self.choices.values:
                value = self.choices.values[self.lists[field]].get(raw)
                return None if value is None else float(value)
            return numeric_value(raw)

        try:
            cond = from_xlsform(expr, known=self.codes, multiple=self.multiple, code_of=code_of)
        except UnsupportedLogicError as exc:
            self.b.note(
                "warning", form, name, n,
                f"the condition {expr!r} is left out: {exc.en}; the item is always shown",
                f"de voorwaarde {expr!r} is weggelaten: {exc.nl}; het item wordt altijd getoond",
            )  # fmt: skip
            return None
        return renamed(cond, self.codes)
