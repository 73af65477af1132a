"""One REDCap data-dictionary row → one protocol item (or a message why not)."""

from __future__ import annotations

import re
from typing import Any

from mentorwijs.protocol.importing import ProtocolBuilder, numeric_value

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HTML = re.compile(r"<[^>]+>")
_INT = re.compile(r"^-?\d+$")
_NUMBER_VALIDATIONS = re.compile(r"^number(_\ddp)?(_comma_decimal)?$")
_DATE_VALIDATIONS = ("date_ymd", "date_dmy", "date_mdy")
CHOICE_TYPES = ("radio", "dropdown", "checkbox", "yesno", "truefalse")
YESNO = [
    {"value": 0, "label": {"nl": "Nee", "en": "No"}, "pictogram": "no"},
    {"value": 1, "label": {"nl": "Ja", "en": "Yes"}, "pictogram": "yes"},
]
TRUEFALSE = [
    {"value": 0, "label": {"nl": "Onwaar", "en": "False"}},
    {"value": 1, "label": {"nl": "Waar", "en": "True"}},
]
_NOT_MAPPED = {
    "calc": (
        "a calculated field holds no answer; compute it in the analysis",
        "een berekend veld bevat geen antwoord; bereken het in de analyse",
    ),
    "file": (
        "file uploads are not part of questionnaires here (no personal documents with answers)",
        "bestanden uploaden hoort hier niet bij vragenlijsten (geen persoonlijke documenten bij "
        "antwoorden)",
    ),
    "sql": (
        "a dynamic SQL field depends on the REDCap server",
        "een dynamisch SQL-veld hangt af van de REDCap-server",
    ),
}


def _text(blob: dict[str, Any], key: str, label: str) -> dict[str, str]:
    """A text pair: the label in the export's language, the other language from ``blob``."""
    lang = blob.get("lang", "nl")
    pair = dict(blob.get(key) or {"nl": label, "en": label})
    pair[lang if lang in ("nl", "en") else "nl"] = label
    return {"nl": pair.get("nl", label), "en": pair.get("en", label)}


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


class FieldMapper:
    """Maps dictionary rows to item dictionaries, reporting through ``builder``."""

    def __init__(self, builder: ProtocolBuilder) -> None:
        self.b = builder
        self.codes: dict[str, dict[str, int]] = {}  # field -> {code as written: value}
        self.choices: dict[str, list[tuple[str, str]]] = {}
        self.forms_seen: set[str] = set()

    # -------------------------------------------------------------- choices

    def prepare(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        """Read every field's options first, so branching logic can use their values."""
        for _, r in rows:
            t, name = r["field_type"].lower(), r["field_name"].lower()
            if t == "yesno" or t == "truefalse":
                self.codes[name] = {"0": 0, "1": 1}
            elif t in ("radio", "dropdown", "checkbox"):
                pairs = []
                for part in r["choices"].split("|"):
                    code, sep, label = part.partition(",")
                    if part.strip():
                        pairs.append((code.strip(), label.strip() if sep else ""))
                self.choices[name] = pairs
                if pairs and all(_INT.match(c) for c, _ in pairs):
                    self.codes[name] = {c: int(c) for c, _ in pairs}
                else:
                    self.codes[name] = {c: i for i, (c, _) in enumerate(pairs, start=1)}

    def code_of(self, field: str, code: str) -> float | str | None:
        """The stored value of option ``code`` of ``field`` (None: no such option)."""
        if field in self.codes:
            value = self.codes[field].get(code.strip())
            return None if value is None else float(value)
        return numeric_value(code)

    def _options(
        self, name: str, form: str, n: int, blob: dict[str, Any]
    ) -> list[dict[str, Any]] | None:
        pairs = self.choices.get(name, [])
        if not pairs:
            self.b.note(
                "error",
                form,
                name,
                n,
                "the field has no choices",
                "het veld heeft geen keuzes",
            )
            return None
        bad = [c for c, label in pairs if not label]
        if bad:
            self.b.note(
                "error",
                form,
                name,
                n,
                f"the choice {bad[0]!r} is not written as 'code, label'",
                f"de keuze {bad[0]!r} staat niet als 'code, label'",
            )
            return None
        codes = self.codes[name]
        if len(set(codes.values())) != len(pairs) or len(codes) != len(pairs):
            self.b.note(
                "error",
                form,
                name,
                n,
                "two choices have the same code",
                "twee keuzes hebben dezelfde code",
            )
            return None
        if any(str(v) != c for c, v in codes.items()):
            mapping = ", ".join(f"{c} → {v}" for c, v in codes.items())
            self.b.note(
                "warning",
                form,
                name,
                n,
                f"the codes are not whole numbers and are stored as {mapping}",
                f"de codes zijn geen gehele getallen en worden opgeslagen als {mapping}",
            )
        extra = {str(o.get("value")): o for o in blob.get("options", [])}
        lang = "en" if blob.get("lang") == "en" else "nl"
        out = []
        for c, label in pairs:
            value = codes[c]
            more = extra.get(str(value), {})
            pair = dict(more.get("label") or {"nl": label, "en": label})
            pair[lang] = label
            option: dict[str, Any] = {
                "value": value,
                "label": {"nl": pair.get("nl", label), "en": pair.get("en", label)},
            }
            for key in ("easy", "pictogram"):
                if more.get(key):
                    option[key] = more[key]
            out.append(option)
        return out

    # -------------------------------------------------------------- one row

    def _instrument(self, form: str, blob: dict[str, Any], n: int, name: str) -> None:
        meta = blob.get("instrument") or {}
        role = meta.get("role") if meta.get("role") in ("supervisor", "employee") else None
        waves = meta.get("waves") or None
        if waves is not None:
            allowed = self.b.base.waves_for(role or self.b.role)
            if not all(w in allowed for w in waves):
                self.b.note(
                    "warning",
                    form,
                    name,
                    n,
                    f"the waves {waves} do not fit this protocol; the instrument gets "
                    f"{self.b.waves}",
                    f"de metingen {waves} passen niet bij dit protocol; de vragenlijst krijgt "
                    f"{self.b.waves}",
                )
                waves, role = None, None
        self.b.form(form, label=meta.get("label"), role=role, waves=waves)
        if meta.get("scales"):
            self.b.set_scales(form, meta["scales"])

    def _layout_notes(self, r: dict[str, str], form: str, name: str, n: int) -> None:
        for key, en, nl in (
            ("alignment", "custom alignment", "eigen uitlijning"),
            ("question_number", "question number", "vraagnummer"),
            ("matrix_ranking", "matrix ranking", "matrixrangschikking"),
        ):
            if r.get(key):
                self.b.note(
                    "info",
                    form,
                    name,
                    n,
                    f"the {en} {r[key]!r} is layout and is not kept",
                    f"de {nl} {r[key]!r} is opmaak en wordt niet bewaard",
                )
        if r.get("matrix_group"):
            self.b.note(
                "info",
                form,
                name,
                n,
                f"part of matrix {r['matrix_group']!r}: imported as a separate item",
                f"onderdeel van matrix {r['matrix_group']!r}: overgenomen als los item",
            )
        if r.get("field_note"):
            self.b.note(
                "warning",
                form,
                name,
                n,
                f"the field note {r['field_note']!r} is not kept (items have no hint text)",
                f"de veldnotitie {r['field_note']!r} is niet bewaard (items hebben geen hulptekst)",
            )
        if r.get("annotation"):
            self.b.note(
                "warning",
                form,
                name,
                n,
                f"the field annotation {r['annotation']!r} is not kept",
                f"de veldannotatie {r['annotation']!r} is niet bewaard",
            )

    def item(
        self, n: int, r: dict[str, str], blob: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, str]:
        """The item of row ``n`` (None when it cannot be imported) and its instrument."""
        form, name = r["form_name"].strip(), r["field_name"].strip()
        if not form or not name:
            self.b.note(
                "error",
                form,
                name,
                n,
                "the row has no field name or form name",
                "de rij heeft geen veldnaam of formuliernaam",
            )
            return None, form
        code = str(blob.get("code") or name.lower())
        if not _NAME.match(code):
            self.b.note(
                "error",
                form,
                name,
                n,
                "the field name must start with a letter and hold only a-z, 0-9 and _",
                "de veldnaam moet met een letter beginnen en mag alleen a-z, 0-9 en _ bevatten",
            )
            return None, form
        if form not in self.forms_seen:
            self.forms_seen.add(form)
            self._instrument(form, blob, n, name)
        t = r["field_type"].strip().lower()
        if r.get("identifier", "").lower() in ("y", "yes", "1"):
            self.b.note(
                "error",
                form,
                name,
                n,
                "marked as identifying (Identifier? = y): names and contact details live in "
                "the registry, apart from answers",
                "gemarkeerd als identificerend (Identifier? = y): namen en contactgegevens "
                "staan in het register, los van de antwoorden",
            )
            return None, form
        if t in _NOT_MAPPED or (t not in CHOICE_TYPES and t not in _OPEN_TYPES):
            en, nl = _NOT_MAPPED.get(
                t,
                (
                    f"the field type {t!r} is not supported",
                    f"het veldtype {t!r} wordt niet ondersteund",
                ),
            )
            if t == "file" and r.get("validation", "").lower() == "signature":
                en, nl = (
                    "a signature field is not supported",
                    "een handtekeningveld wordt niet ondersteund",
                )
            self.b.note("error", form, name, n, en, nl)
            return None, form
        label = _HTML.sub("", r["field_label"]).strip()
        if label != r["field_label"].strip():
            self.b.note(
                "warning",
                form,
                name,
                n,
                "HTML markup in the label is removed",
                "HTML-opmaak in het label is verwijderd",
            )
        self._section(r, form, name, n, blob)
        self._layout_notes(r, form, name, n)
        item: dict[str, Any] = {
            "code": code,
            "text": _text(blob, "text", label),
            "required": r.get("required", "").lower() in ("y", "yes", "1"),
        }
        for key in ("easy", "reverse"):
            if blob.get(key):
                item[key] = blob[key]
        kind = self._choice(t, name, form, n, blob) if t in CHOICE_TYPES else None
        if t in CHOICE_TYPES:
            if kind is None:
                return None, form
            item.update(kind)
            for key in ("validation", "min", "max"):
                if r.get(key):
                    self.b.note(
                        "info",
                        form,
                        name,
                        n,
                        f"the setting {r[key]!r} does not apply to choices and is not kept",
                        f"de instelling {r[key]!r} geldt niet voor keuzes en is niet bewaard",
                    )
        else:
            item.update(_OPEN_TYPES[t](self, r, form, name, n, blob))
        if item.get("type") == "note":
            item["required"] = False
        return item, form

    def _section(
        self, r: dict[str, str], form: str, name: str, n: int, blob: dict[str, Any]
    ) -> None:
        header = _HTML.sub("", r.get("section_header", "")).strip()
        if not header:
            return
        code = f"{name.lower()}_section"
        while self.b.has_code(form, code):
            code += "_"
        self.b.add_item(
            form,
            {"code": code, "type": "note", "text": _text(blob, "section", header)},
            row=n,
        )
        self.b.note(
            "info",
            form,
            name,
            n,
            f"the section header is imported as the note {code} before the field",
            f"de sectiekop is overgenomen als de notitie {code} voor het veld",
        )

    def _choice(
        self, t: str, name: str, form: str, n: int, blob: dict[str, Any]
    ) -> dict[str, Any] | None:
        if t in ("yesno", "truefalse"):
            options = YESNO if t == "yesno" else TRUEFALSE
            return {"answer_scale": self.b.answer_scale(options, t)}
        opts = self._options(name.lower(), form, n, blob)
        if opts is None:
            return None
        scale = self.b.answer_scale(opts, str(blob.get("scale") or name.lower()))
        return {"answer_scale": scale, **({"multiple": True} if t == "checkbox" else {})}

    # -------------------------------------------------------------- open types

    def _range(
        self, r: dict[str, str], form: str, name: str, n: int, keep: bool
    ) -> dict[str, float]:
        out: dict[str, float] = {}
        for key, word, word_nl in (("min", "minimum", "minimum"), ("max", "maximum", "maximum")):
            raw = r.get(key, "")
            if not raw:
                continue
            value = _number(raw) if keep else None
            if value is None:
                self.b.note(
                    "warning",
                    form,
                    name,
                    n,
                    f"the {word} {raw!r} is not kept",
                    f"het {word_nl} {raw!r} is niet bewaard",
                )
            else:
                out["minimum" if key == "min" else "maximum"] = value
        return out

    def _text_field(
        self, r: dict[str, str], form: str, name: str, n: int, blob: dict[str, Any]
    ) -> dict[str, Any]:
        v = r.get("validation", "").strip().lower()
        if v == "integer":
            return {"type": "integer", **self._range(r, form, name, n, True)}
        if _NUMBER_VALIDATIONS.match(v):
            if v != "number":
                self.b.note(
                    "info",
                    form,
                    name,
                    n,
                    f"the validation {v} is imported as a number (any decimals)",
                    f"de validatie {v} is overgenomen als getal (willekeurige decimalen)",
                )
            return {"type": "number", **self._range(r, form, name, n, True)}
        out: dict[str, Any] = {"type": "date" if v in _DATE_VALIDATIONS else "text"}
        if v in ("email", "phone"):
            out["validation"] = v
        elif v == "" and blob.get("validation") == "postcode":
            out["validation"] = "postcode"
        elif v and v not in _DATE_VALIDATIONS:
            self.b.note(
                "warning",
                form,
                name,
                n,
                f"the validation {v} is not supported; the answer is free text",
                f"de validatie {v} wordt niet ondersteund; het antwoord is vrije tekst",
            )
        out.update(self._range(r, form, name, n, False))
        return out

    def _notes(
        self, r: dict[str, str], form: str, name: str, n: int, blob: dict[str, Any]
    ) -> dict[str, Any]:
        return {"type": "long_text"}

    def _descriptive(
        self, r: dict[str, str], form: str, name: str, n: int, blob: dict[str, Any]
    ) -> dict[str, Any]:
        return {"type": "note"}

    def _slider(
        self, r: dict[str, str], form: str, name: str, n: int, blob: dict[str, Any]
    ) -> dict[str, Any]:
        rng = self._range(r, form, name, n, True)
        labels = [p.strip() for p in r.get("choices", "").split("|") if p.strip()]
        en = blob.get("anchors_en") or labels
        lang = blob.get("lang", "nl")
        anchors = [
            {"nl": lab, "en": en[i] if i < len(en) else lab}
            if lang != "en"
            else {"nl": (blob.get("anchors_nl") or labels)[i], "en": lab}
            for i, lab in enumerate(labels)
        ]
        if r.get("validation"):
            self.b.note(
                "info",
                form,
                name,
                n,
                "'show slider number' is layout and is not kept",
                "'toon schuifnummer' is opmaak en wordt niet bewaard",
            )
        return {
            "type": "integer",
            "minimum": rng.get("minimum", 0.0),
            "maximum": rng.get("maximum", 100.0),
            **({"anchors": anchors} if anchors else {}),
        }


_OPEN_TYPES = {
    "text": FieldMapper._text_field,
    "notes": FieldMapper._notes,
    "descriptive": FieldMapper._descriptive,
    "slider": FieldMapper._slider,
}
