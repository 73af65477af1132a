"""Write a protocol as a REDCap data dictionary (CSV).

REDCap holds one language per label and knows nothing of waves, roles, scales, easy-read
texts or pictograms. Those travel as JSON after ``@MENTORWIJS=`` in the Field Annotation, which
REDCap keeps and ignores, so that :func:`mentorwijs.protocol.redcap.import_dictionary` gives
the same protocol back.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mentorwijs.protocol import conditions
from mentorwijs.protocol.branching import renamed, to_redcap
from mentorwijs.protocol.models import Instrument, Item, Protocol

#: The 18 columns of a REDCap data dictionary, as REDCap's CSV download writes them.
COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
MARKER = "@MENTORWIJS="
RECORD_ID = "record_id"


def _number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _kind(item: Item, protocol: Protocol, lang: str, blob: dict[str, Any]) -> dict[str, str]:
    """Field Type, Choices, Validation, Min and Max of an item."""
    if item.answer_scale is not None:
        scale = protocol.answer_scales[item.answer_scale]
        blob["scale"] = item.answer_scale
        blob["options"] = [
            o.model_dump(mode="json", exclude_defaults=True, exclude={"label"})
            | {"label": o.label.model_dump()}
            for o in scale.options
        ]
        return {
            "type": "checkbox" if item.multiple else "radio",
            "choices": " | ".join(f"{o.value}, {o.label.get(lang)}" for o in scale.options),
        }
    out = {"min": _number(item.minimum), "max": _number(item.maximum)}
    if item.type == "integer" and item.anchors:
        blob["anchors_nl"] = [a.nl for a in item.anchors]
        blob["anchors_en"] = [a.en for a in item.anchors]
        return out | {
            "type": "slider",
            "choices": " | ".join(a.get(lang) for a in item.anchors),
        }
    if item.type in ("integer", "number"):
        return out | {"type": "text", "validation": item.type}
    if item.type == "date":
        return {"type": "text", "validation": "date_ymd"}
    if item.type == "long_text":
        return {"type": "notes"}
    if item.type == "note":
        return {"type": "descriptive"}
    if item.validation == "postcode":  # REDCap has no Dutch postcode check
        blob["validation"] = "postcode"
        return {"type": "text"}
    return {"type": "text", "validation": item.validation or ""}


def _rows(
    code: str, ins: Instrument, protocol: Protocol, lang: str, used: set[str]
) -> list[list[str]]:
    names: dict[str, str] = {}
    for it in ins.items:
        name = it.code if it.code not in used else f"{code}_{it.code}"
        while name in used:
            name += "_"
        used.add(name)
        names[it.code] = name
    multiple = {names[it.code] for it in ins.items if it.multiple}
    rows = []
    for i, it in enumerate(ins.items):
        blob: dict[str, Any] = {"lang": lang, "text": it.text.model_dump()}
        if names[it.code] != it.code:
            blob["code"] = it.code
        if it.easy is not None:
            blob["easy"] = it.easy.model_dump()
        if it.reverse:
            blob["reverse"] = True
        if i == 0:
            blob["instrument"] = {
                "label": ins.label.model_dump(),
                "role": ins.role,
                "waves": list(ins.waves),
                "scales": [sc.model_dump(mode="json") for sc in ins.scales],
            }
        kind = _kind(it, protocol, lang, blob)
        logic = ""
        if it.show_if is not None:
            logic = to_redcap(renamed(conditions.parse(it.show_if), names), multiple=multiple)
        rows.append(
            [
                names[it.code],
                code,
                "",
                kind["type"],
                it.text.get(lang),
                kind.get("choices", ""),
                "",
                kind.get("validation", ""),
                kind.get("min", ""),
                kind.get("max", ""),
                "",
                logic,
                "y" if it.required and it.has_answer else "",
                "",
                "",
                "",
                "",
                MARKER + json.dumps(blob, ensure_ascii=False, separators=(",", ":")),
            ]
        )
    return rows


def export_dictionary(protocol: Protocol, *, lang: str = "nl") -> str:
    """The protocol as a REDCap data dictionary.

    Parameters
    ----------
    protocol
        The protocol to export.
    lang
        The language of the labels (``"nl"`` or ``"en"``); the other travels in the
        annotation.

    Returns
    -------
    str
        CSV text with REDCap's 18 columns. The first field is ``record_id`` (REDCap's record
        identifier, on the first instrument); every item follows, one row each, instrument
        by instrument. An item whose code is already used by an earlier instrument is named
        ``<instrument>_<code>``.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    used = {RECORD_ID}
    first = next(iter(protocol.instruments), "record")
    record_label = "Record ID" if lang == "en" else "Recordnummer"
    version = MARKER + json.dumps({"version": protocol.version}, ensure_ascii=False)
    writer.writerow([RECORD_ID, first, "", "text", record_label] + [""] * 12 + [version])
    for code, ins in protocol.instruments.items():
        writer.writerows(_rows(code, ins, protocol, lang, used))
    return buf.getvalue()
