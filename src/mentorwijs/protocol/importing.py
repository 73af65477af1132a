"""What the instrument importers share: the per-field report and the builder that turns
imported fields into a protocol that validates.

The readers (:mod:`mentorwijs.protocol.redcap`, :mod:`mentorwijs.protocol.xlsform`) decide
what a field means; the builder deduplicates answer scales, checks each item and each
condition against the protocol's rules, and records every loss as a message. Nothing is
dropped without a message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from mentorwijs.protocol import conditions
from mentorwijs.protocol.conditions import Condition
from mentorwijs.protocol.errors import InvalidInstrumentFileError
from mentorwijs.protocol.models import Item, Protocol, Role, load_protocol

#: ``error``: the field was not imported; ``warning``: imported, but something of it was lost
#: or changed; ``info``: imported as described.
Severity = Literal["error", "warning", "info"]
SEVERITY_NL = {"error": "niet overgenomen", "warning": "aangepast", "info": "let op"}
SEVERITY_EN = {"error": "not imported", "warning": "changed", "info": "note"}


@dataclass(frozen=True)
class ImportMessage:
    """One finding of an import, about one field (or the whole file when ``field`` is "")."""

    severity: Severity
    instrument: str
    field: str
    row: int | None
    message: str
    message_nl: str

    def where(self, lang: str = "nl") -> str:
        """Where the finding is: ``instrument.field`` and the row of the file."""
        name = ".".join(p for p in (self.instrument, self.field) if p) or (
            "file" if lang == "en" else "bestand"
        )
        if self.row is None:
            return name
        return f"{name} ({'row' if lang == 'en' else 'rij'} {self.row})"

    def text(self, lang: str = "nl") -> str:
        """One line: where, severity, what happened."""
        sev = (SEVERITY_EN if lang == "en" else SEVERITY_NL)[self.severity]
        what = self.message if lang == "en" else self.message_nl
        return f"{self.where(lang)}: [{sev}] {what}"


@dataclass(frozen=True)
class ImportResult:
    """The imported protocol and the report of every field that was not taken over as is."""

    protocol: Protocol
    messages: tuple[ImportMessage, ...]

    @property
    def not_imported(self) -> list[ImportMessage]:
        """The messages of fields that were left out (severity ``error``)."""
        return [m for m in self.messages if m.severity == "error"]

    def report(self, lang: str = "nl") -> list[str]:
        """The report as lines, in file order."""
        return [m.text(lang) for m in self.messages]


@dataclass
class _Form:
    label: dict[str, str]
    role: Role
    waves: list[str]
    items: list[dict[str, Any]] = field(default_factory=list)
    scales: list[dict[str, Any]] = field(default_factory=list)
    multiple: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)


class ProtocolBuilder:
    """Collects imported instruments, items and answer scales into a protocol.

    Parameters
    ----------
    source
        The file name, for messages.
    base
        The protocol whose waves, invitation policy and consent texts the result takes over;
        the shipped one when ``None``.
    role, waves
        The role and waves of imported instruments that do not say (default: supervisor, all
        of its waves in ``base``).
    version
        The version of the result (default: ``"imported"``).
    """

    def __init__(
        self,
        *,
        source: str,
        base: Protocol | None = None,
        role: Role = "supervisor",
        waves: Sequence[str] | None = None,
        version: str | None = None,
    ) -> None:
        self.source = source
        self.base = base or load_protocol()
        self.role: Role = role
        self.waves = list(waves) if waves is not None else self.base.waves_for(role)
        unknown = [w for w in self.waves if w not in self.base.waves_for(role)]
        if unknown or not self.waves:
            known = ", ".join(self.base.waves_for(role))
            raise InvalidInstrumentFileError(
                source,
                f"the waves {unknown or '(none)'} are not waves of the protocol for "
                f"{role}: choose from {known}",
                f"de metingen {unknown or '(geen)'} zijn geen metingen van het protocol voor "
                f"{role}: kies uit {known}",
            )
        self.version = version or "imported"
        self.messages: list[ImportMessage] = []
        self.forms: dict[str, _Form] = {}
        self.scales: dict[str, dict[str, Any]] = {}
        self._scale_keys: dict[str, str] = {}

    # ------------------------------------------------------------------ messages

    def note(
        self,
        severity: Severity,
        instrument: str,
        field_name: str,
        row: int | None,
        en: str,
        nl: str,
    ) -> None:
        """Record a finding about one field."""
        self.messages.append(ImportMessage(severity, instrument, field_name, row, en, nl))

    # ------------------------------------------------------------------ parts

    def form(
        self,
        code: str,
        *,
        label: dict[str, str] | None = None,
        role: Role | None = None,
        waves: Sequence[str] | None = None,
    ) -> str:
        """Make sure instrument ``code`` exists; return its code."""
        if code not in self.forms:
            nice = code.replace("_", " ").strip().capitalize() or code
            self.forms[code] = _Form(
                label=label or {"nl": nice, "en": nice},
                role=role or self.role,
                waves=list(waves) if waves else list(self.waves),
            )
        return code

    def set_scales(self, instrument: str, scales: list[dict[str, Any]]) -> None:
        """Scales of an instrument (carried by a Mentorwijs export)."""
        self.forms[instrument].scales = scales

    def answer_scale(self, options: list[dict[str, Any]], name_hint: str) -> str:
        """The name of the answer scale with exactly these options, made when new.

        Identical option lists (values, labels, easy labels, pictograms) share one scale.
        """
        key = json.dumps(options, sort_keys=True, ensure_ascii=False)
        if key in self._scale_keys:
            return self._scale_keys[key]
        name, n = name_hint, 1
        while name in self.scales:
            n += 1
            name = f"{name_hint}_{n}"
        self.scales[name] = {"options": options}
        self._scale_keys[key] = name
        return name

    def has_code(self, instrument: str, code: str) -> bool:
        """Whether instrument ``instrument`` has an item ``code`` already."""
        form = self.forms.get(instrument)
        return form is not None and any(it["code"] == code for it in form.items)

    def add_item(
        self,
        instrument: str,
        item: dict[str, Any],
        *,
        row: int | None,
        condition: Condition | None = None,
    ) -> bool:
        """Add an item after checking it; report and leave it out when it does not validate.

        A ``condition`` that refers to an item that is not earlier in the same instrument (or
        compares a multi-select item other than with ``=``) is dropped with a warning: the
        item is then always shown.
        """
        form = self.forms[instrument]
        code = item["code"]
        if any(it["code"] == code for it in form.items):
            self.note(
                "error",
                instrument,
                code,
                row,
                f"the name {code} is used twice in this instrument; only the first is imported",
                f"de naam {code} komt twee keer voor in deze vragenlijst; alleen de eerste is "
                "overgenomen",
            )
            return False
        if condition is not None:
            problem = self._condition_problem(form, condition)
            if problem is None:
                item = {**item, "show_if": conditions.to_text(condition)}
            else:
                self.note(
                    "warning",
                    instrument,
                    code,
                    row,
                    f"the condition is left out because {problem[0]}; the item is always shown",
                    f"de voorwaarde is weggelaten omdat {problem[1]}; het item wordt altijd "
                    "getoond",
                )
        try:
            checked = Item.model_validate(item)
        except ValidationError as exc:
            reason = "; ".join(e["msg"] for e in exc.errors())
            self.note(
                "error",
                instrument,
                code,
                row,
                f"not a valid item: {reason}",
                f"geen geldig item: {reason}",
            )
            return False
        form.items.append(checked.model_dump(mode="json", exclude_defaults=True))
        if checked.multiple:
            form.multiple.add(code)
        if checked.has_answer:
            form.answered.add(code)
        return True

    def _condition_problem(self, form: _Form, cond: Condition) -> tuple[str, str] | None:
        for cmp in conditions.comparisons(cond):
            if cmp.code not in form.answered:
                return (
                    f"it refers to {cmp.code}, which is not an earlier question of this instrument",
                    f"ze verwijst naar {cmp.code}, dat geen eerdere vraag van deze vragenlijst is",
                )
            if cmp.code in form.multiple and cmp.op != "=":
                return (
                    f"it compares the multi-select {cmp.code} with {cmp.op}",
                    f"ze de meerkeuzevraag {cmp.code} vergelijkt met {cmp.op}",
                )
        return None

    # ------------------------------------------------------------------ result

    def build(self) -> ImportResult:
        """The protocol (validated) and the messages."""
        instruments: dict[str, Any] = {}
        for code, form in self.forms.items():
            if not form.items:
                self.note(
                    "warning",
                    code,
                    "",
                    None,
                    "no field of this instrument could be imported; the instrument is left out",
                    "geen enkel veld van deze vragenlijst kon worden overgenomen; de vragenlijst "
                    "is weggelaten",
                )
                continue
            codes = {it["code"] for it in form.items}
            scales = []
            for sc in form.scales:
                missing = [c for c in sc["items"] if c not in codes]
                if missing:
                    self.note(
                        "warning",
                        code,
                        "",
                        None,
                        f"the scale {sc['code']} is left out: its items {missing} were not "
                        "imported",
                        f"de schaal {sc['code']} is weggelaten: de items {missing} zijn niet "
                        "overgenomen",
                    )
                else:
                    scales.append(sc)
            instruments[code] = {
                "label": form.label,
                "role": form.role,
                "waves": form.waves,
                "items": form.items,
                "scales": scales,
            }
        used = {it.get("answer_scale") for ins in instruments.values() for it in ins["items"]}
        data = {
            "version": self.version,
            "waves": {k: v.model_dump(mode="json") for k, v in self.base.waves.items()},
            "answer_scales": {k: v for k, v in self.scales.items() if k in used},
            "instruments": instruments,
            "invitations": self.base.invitations.model_dump(mode="json"),
            "consent": {k: v.model_dump(mode="json") for k, v in self.base.consent.items()},
        }
        try:
            protocol = Protocol.model_validate(data)
        except ValidationError as exc:
            reason = "; ".join(e["msg"] for e in exc.errors()[:3])
            raise InvalidInstrumentFileError(
                self.source,
                f"the imported instruments do not form a valid protocol: {reason}",
                f"de overgenomen vragenlijsten vormen geen geldig protocol: {reason}",
            ) from exc
        return ImportResult(protocol=protocol, messages=tuple(self.messages))


def numeric_value(text: str) -> float | str:
    """A condition value: a number when the text reads as one (``'1'`` → 1.0)."""
    try:
        return float(text)
    except ValueError:
        return text
