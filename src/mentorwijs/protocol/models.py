"""Pydantic models of the study protocol and the loader of the shipped YAML."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Role = Literal["supervisor", "employee"]


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
    model_config = ConfigDict(frozen=True, extra="forbid")
    value: int
    label: Text


class AnswerScale(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    options: tuple[AnswerOption, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)


class Item(BaseModel):
    """One question. Either ``answer_scale`` (closed) or ``type`` (open) describes answers."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    answer_scale: str | None = None
    type: Literal["integer", "number", "text"] | None = None
    minimum: float | None = None
    maximum: float | None = None
    reverse: bool = False
    required: bool = True
    show_if: str | None = None

    @model_validator(mode="after")
    def _one_answer_kind(self) -> Item:
        if (self.answer_scale is None) == (self.type is None):
            raise ValueError(f"item {self.code}: give exactly one of answer_scale or type")
        return self


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


class Protocol(BaseModel):
    """The whole protocol: waves, answer scales and instruments, cross-checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: str
    waves: dict[str, Wave]
    answer_scales: dict[str, AnswerScale]
    instruments: dict[str, Instrument]

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
            for sc in ins.scales:
                missing = set(sc.items) - item_codes
                if missing:
                    raise ValueError(f"scale {code}.{sc.code}: unknown items {sorted(missing)}")
                if not 1 <= sc.min_items <= len(sc.items):
                    raise ValueError(f"scale {code}.{sc.code}: min_items out of range")
        return self

    def waves_for(self, role: str) -> list[str]:
        """Wave codes in protocol order that apply to ``role``."""
        return [code for code, w in self.waves.items() if role in w.roles]

    def item_range(self, instrument: str, item: str) -> tuple[float, float] | None:
        """Smallest and largest valid numeric answer of an item, or None for text."""
        it = self.instruments[instrument].item(item)
        if it.answer_scale is not None:
            vals = self.answer_scales[it.answer_scale].values
            return float(min(vals)), float(max(vals))
        if it.type == "text":
            return None
        lo = it.minimum if it.minimum is not None else float("-inf")
        hi = it.maximum if it.maximum is not None else float("inf")
        return lo, hi


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Protocol:
    if path is None:
        text = resources.files("mentorwijs.protocol").joinpath("mentorwijs.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return Protocol.model_validate(yaml.safe_load(text))


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
    """
    return _load_cached(None if path is None else str(path))
