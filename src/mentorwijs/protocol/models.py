"""Pydantic models of the study protocol and the loader of the shipped YAML."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mentorwijs.protocol import conditions
from mentorwijs.protocol.errors import InvalidProtocolError

Role = Literal["supervisor", "employee"]
ItemType = Literal["integer", "number", "text", "long_text", "date", "note"]
Validation = Literal["email", "phone", "postcode"]
ConsentPurpose = Literal["questionnaire", "register", "interview", "sharing"]
#: Item types whose answer is a number (the responses table's ``value`` column); the others
#: go in its ``text`` column (a date as YYYY-MM-DD), and a note has no answer at all.
NUMERIC_TYPES = ("integer", "number")


class Text(BaseModel):
    """A text in Dutch (the default) and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    nl: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("nl" or "en"), Dutch for anything else."""
        return self.en if lang == "en" else self.nl


class Wave(BaseModel):
    """A measurement moment, timed relative to a meeting of the training."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Text
    roles: tuple[Role, ...]
    anchor: Literal["meeting_1", "meeting_5"]
    offset_days: int = 0
    offset_months: int = 0


class AnswerOption(BaseModel):
    """One answer of a closed item: the stored value, its label, and for easy-read answering
    an optional simpler label and the name of a pictogram (``<name>.svg`` in the web layer)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    value: int
    label: Text
    easy: Text | None = None
    pictogram: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")

    def easy_label(self, lang: str) -> str:
        """The easy-read label in ``lang``, the ordinary label where there is none."""
        return (self.easy or self.label).get(lang)


class AnswerScale(BaseModel):
    """The ordered answer options of closed items; values are unique."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    options: tuple[AnswerOption, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_values(self) -> AnswerScale:
        if len(set(self.values)) != len(self.options):
            raise ValueError(f"answer scale has duplicate values {list(self.values)}")
        return self

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)


class Item(BaseModel):
    """One question, or (``type: note``) a text shown without an answer.

    Either ``answer_scale`` (closed; with ``multiple`` a multi-select) or ``type`` (open)
    describes the answers. ``easy`` is the easy-read wording (short sentences, one idea).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    easy: Text | None = None
    answer_scale: str | None = None
    multiple: bool = False
    type: ItemType | None = None
    validation: Validation | None = None
    minimum: float | None = None
    maximum: float | None = None
    anchors: tuple[Text, ...] = ()
    reverse: bool = False
    required: bool = True
    show_if: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _notes_are_not_required(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("type") == "note" and "required" not in data:
            return {**data, "required": False}
        return data

    @model_validator(mode="after")
    def _one_answer_kind(self) -> Item:
        if (self.answer_scale is None) == (self.type is None):
            raise ValueError(f"item {self.code}: give exactly one of answer_scale or type")
        if self.multiple and self.answer_scale is None:
            raise ValueError(f"item {self.code}: multiple needs an answer_scale")
        if self.multiple and self.reverse:
            raise ValueError(f"item {self.code}: a multi-select item cannot be reverse-coded")
        if self.validation is not None and self.type != "text":
            raise ValueError(f"item {self.code}: validation applies to type text only")
        if (self.minimum is not None or self.maximum is not None) and (
            self.type not in NUMERIC_TYPES
        ):
            raise ValueError(f"item {self.code}: minimum and maximum need type integer or number")
        if self.anchors and self.type not in NUMERIC_TYPES:
            raise ValueError(f"item {self.code}: anchors need type integer or number")
        if self.type == "note" and (self.required or self.reverse):
            raise ValueError(f"item {self.code}: a note has no answer (not required, not reverse)")
        if self.reverse and self.answer_scale is None and self.type not in NUMERIC_TYPES:
            raise ValueError(f"item {self.code}: only closed or numeric items can be reversed")
        if self.show_if is not None:
            conditions.parse(self.show_if)  # InvalidConditionError (a ValueError) when bad
        return self

    @property
    def has_answer(self) -> bool:
        """False for a note, which only shows a text."""
        return self.type != "note"

    @property
    def numeric(self) -> bool:
        """Whether the answer is stored as a number (the responses table's ``value``)."""
        return (self.answer_scale is not None and not self.multiple) or (self.type in NUMERIC_TYPES)

    def easy_text(self, lang: str) -> str:
        """The easy-read wording in ``lang``, the ordinary wording where there is none."""
        return (self.easy or self.text).get(lang)


class Scale(BaseModel):
    """A scale score: the mean of its items (reverse-coded where marked on the item)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    label: Text
    items: tuple[str, ...]
    min_items: int


class Instrument(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Text
    role: Role
    waves: tuple[str, ...]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...] = ()

    def item(self, code: str) -> Item:
        """Return the item with ``code``; KeyError if absent."""
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(code)

    def is_shown(self, code: str, answers: Mapping[str, object]) -> bool:
        """Whether item ``code`` is shown, given the answers so far (its ``show_if``).

        Multi-select answers may be given as the stored ``"1;3"`` text or a collection.
        """
        it = self.item(code)
        if it.show_if is None:
            return True
        multiple = [i.code for i in self.items if i.multiple]
        return conditions.evaluate(it.show_if, answers, multiple=multiple)


class InvitationPolicy(BaseModel):
    """When invitations are reminded and when a link expires (days after the invitation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    reminder_after_days: int = Field(default=7, ge=1)
    reminder_every_days: int = Field(default=7, ge=1)
    max_reminders: int = Field(default=2, ge=0)
    expires_after_days: int = Field(default=42, ge=1)

    @model_validator(mode="after")
    def _reminders_before_expiry(self) -> InvitationPolicy:
        if self.max_reminders > 0:
            last = self.reminder_after_days + (self.max_reminders - 1) * self.reminder_every_days
            if last >= self.expires_after_days:
                raise ValueError(
                    f"invitations: the last reminder (day {last}) falls on or after expiry "
                    f"(day {self.expires_after_days})"
                )
        return self


class ConsentText(BaseModel):
    """A versioned consent text for one purpose, ordinary and easy-read, Dutch and English.

    The texts hold ``{contact}`` where the web layer puts the study's contact details.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: str = Field(min_length=1)
    text: Text
    easy: Text

    def render(self, lang: str, *, contact: str, easy: bool = False) -> str:
        """The text in ``lang`` (easy-read when ``easy``) with ``{contact}`` filled in."""
        return (self.easy if easy else self.text).get(lang).replace("{contact}", contact)


class Protocol(BaseModel):
    """The whole protocol: waves, answer scales and instruments, cross-checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: str
    waves: dict[str, Wave]
    answer_scales: dict[str, AnswerScale]
    instruments: dict[str, Instrument]
    invitations: InvitationPolicy = InvitationPolicy()
    consent: dict[ConsentPurpose, ConsentText] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> Protocol:
        for code, ins in self.instruments.items():
            for w in ins.waves:
                if w not in self.waves:
                    raise ValueError(f"instrument {code}: unknown wave {w}")
                if ins.role not in self.waves[w].roles:
                    raise ValueError(f"instrument {code}: wave {w} is not for role {ins.role}")
            item_codes = {it.code for it in ins.items}
            if len(item_codes) != len(ins.items):
                raise ValueError(f"instrument {code}: duplicate item codes")
            for it in ins.items:
                if it.answer_scale is not None and it.answer_scale not in self.answer_scales:
                    raise ValueError(
                        f"item {code}.{it.code}: unknown answer scale {it.answer_scale}"
                    )
            _check_conditions(code, ins)
            for sc in ins.scales:
                missing = set(sc.items) - item_codes
                if missing:
                    raise ValueError(f"scale {code}.{sc.code}: unknown items {sorted(missing)}")
                if not 1 <= sc.min_items <= len(sc.items):
                    raise ValueError(f"scale {code}.{sc.code}: min_items out of range")
                for c in sc.items:
                    if ins.item(c).answer_scale is None or ins.item(c).multiple:
                        raise ValueError(
                            f"scale {code}.{sc.code}: item {c} needs an answer scale with one "
                            "answer (not multiple)"
                        )
        return self

    def waves_for(self, role: str) -> list[str]:
        """Wave codes in protocol order that apply to ``role``."""
        return [code for code, w in self.waves.items() if role in w.roles]

    def item_range(self, instrument: str, item: str) -> tuple[float, float] | None:
        """Smallest and largest valid numeric answer of an item; None for an answer stored as
        text (text, long_text, date, a multi-select) and for a note."""
        it = self.instruments[instrument].item(item)
        if not it.numeric:
            return None
        if it.answer_scale is not None:
            vals = self.answer_scales[it.answer_scale].values
            return float(min(vals)), float(max(vals))
        lo = it.minimum if it.minimum is not None else float("-inf")
        hi = it.maximum if it.maximum is not None else float("inf")
        return lo, hi


def _check_conditions(code: str, ins: Instrument) -> None:
    """Every ``show_if`` refers only to answered items earlier in the same instrument, and
    compares a multi-select item only with ``=`` and one of its values."""
    seen: dict[str, Item] = {}
    for it in ins.items:
        if it.show_if is not None:
            for cmp in conditions.comparisons(conditions.parse(it.show_if)):
                ref = seen.get(cmp.code)
                if ref is None:
                    where = "later in" if cmp.code in {i.code for i in ins.items} else "not in"
                    raise ValueError(
                        f"item {code}.{it.code}: show_if refers to {cmp.code}, which is {where} "
                        "the instrument; a condition may use only earlier items"
                    )
                if not ref.has_answer:
                    raise ValueError(
                        f"item {code}.{it.code}: show_if refers to the note {cmp.code}"
                    )
                if ref.multiple and cmp.op != "=":
                    raise ValueError(
                        f"item {code}.{it.code}: the multi-select item {cmp.code} takes only "
                        f"'=' (chosen); write not {cmp.code} = ... for 'not chosen'"
                    )
        seen[it.code] = it


def protocol_from_yaml(text: str, *, source: str = "protocol") -> Protocol:
    """Validate a protocol from YAML text.

    Raises
    ------
    InvalidProtocolError
        The text is not YAML or does not describe a valid protocol; the message names the
        first problems.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidProtocolError(source, f"not YAML ({exc})", f"geen YAML ({exc})") from exc
    try:
        return Protocol.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'protocol'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise InvalidProtocolError(source, reasons, reasons) from exc


def protocol_to_yaml(protocol: Protocol) -> str:
    """The protocol as YAML that :func:`protocol_from_yaml` reads back to an equal protocol
    (defaults left out)."""
    data = protocol.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Protocol:
    if path is None:
        text = resources.files("mentorwijs.protocol").joinpath("mentorwijs.yaml").read_text("utf-8")
        return protocol_from_yaml(text, source="mentorwijs.yaml")
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidProtocolError(
            path, f"cannot be read ({exc})", f"is niet te lezen ({exc})"
        ) from exc
    return protocol_from_yaml(text, source=path)


def load_protocol(path: str | Path | None = None) -> Protocol:
    """Load and validate a protocol.

    Parameters
    ----------
    path
        A protocol YAML file; ``None`` loads the shipped Mentorwijs protocol.

    Returns
    -------
    Protocol
        The validated, immutable protocol.

    Raises
    ------
    InvalidProtocolError
        The file cannot be read or does not validate.
    """
    return _load_cached(None if path is None else str(path))
