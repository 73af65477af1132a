"""The deductive interview codebook (MIDI kind) and its loader.

The shipped ``codebook.yaml`` names clusters, determinants and two valences; every
determinant has one code per valence, ``<cluster>.<determinant>.<valence>``, e.g.
``organisation.feedback.barrier``. The site seeds its codebook from it, the simulator codes
its interviews with it, and the evaluation ranks facilitators and barriers with it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mentorwijs.protocol.models import Text

Valence = Literal["facilitator", "barrier"]
VALENCES: tuple[Valence, ...] = ("facilitator", "barrier")


class ValenceSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Text
    definition: Text


class Determinant(BaseModel):
    """A determinant; ``item`` links it to a questionnaire item of ``sv_determinants``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Text
    definition: Text
    item: str | None = None


class Category(BaseModel):
    """A MIDI cluster: the innovation, the user, the organisation or the wider context."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Text
    definition: Text
    determinants: dict[str, Determinant]


class Code(BaseModel):
    """One code of the codebook, with its place in the hierarchy.

    Attributes
    ----------
    code
        Dotted identifier: ``organisation``, ``organisation.feedback`` or
        ``organisation.feedback.barrier``.
    parent
        The code one level up; ``None`` for a cluster.
    determinant, valence, item
        Set on the codes that can be assigned to a passage (the leaves).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    parent: str | None
    label: Text
    definition: Text
    determinant: str | None = None
    valence: Valence | None = None
    item: str | None = None


class Codebook(BaseModel):
    """The codebook: clusters with their determinants, and the two valences."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: str
    source: str
    valences: dict[Valence, ValenceSpec] = Field(min_length=2)
    categories: dict[str, Category]

    @model_validator(mode="after")
    def _unique_determinants(self) -> Codebook:
        seen: set[str] = set()
        for cat in self.categories.values():
            for det in cat.determinants:
                if det in seen:
                    raise ValueError(f"codebook: determinant {det} occurs in two clusters")
                seen.add(det)
        return self

    def codes(self) -> list[Code]:
        """Every code in hierarchy order: cluster, its determinants, their two valences."""
        out = []
        for cat_code, cat in self.categories.items():
            out.append(Code(code=cat_code, parent=None, label=cat.label, definition=cat.definition))
            for det_code, det in cat.determinants.items():
                det_id = f"{cat_code}.{det_code}"
                out.append(
                    Code(code=det_id, parent=cat_code, label=det.label, definition=det.definition)
                )
                for valence in VALENCES:
                    v = self.valences[valence]
                    out.append(
                        Code(
                            code=f"{det_id}.{valence}",
                            parent=det_id,
                            label=Text(
                                nl=f"{det.label.nl}: {v.label.nl}",
                                en=f"{det.label.en}: {v.label.en}",
                            ),
                            definition=Text(
                                nl=f"{det.definition.nl} {v.definition.nl}",
                                en=f"{det.definition.en} {v.definition.en}",
                            ),
                            determinant=det_code,
                            valence=valence,
                            item=det.item,
                        )
                    )
        return out

    def leaves(self) -> dict[str, Code]:
        """The assignable codes (determinant × valence) by code."""
        return {c.code: c for c in self.codes() if c.valence is not None}

    def determinants(self) -> dict[str, tuple[str, Determinant]]:
        """Determinant code → (cluster code, determinant)."""
        return {
            d: (c, det) for c, cat in self.categories.items() for d, det in cat.determinants.items()
        }


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """Load and validate the shipped codebook (``codebook.yaml``).

    Returns
    -------
    Codebook
        Immutable; determinant codes are unique across clusters.

    Examples
    --------
    >>> load_codebook().leaves()["organisation.feedback.barrier"].item
    'det_feedback'
    """
    text = resources.files("mentorwijs.protocol").joinpath("codebook.yaml").read_text("utf-8")
    return Codebook.model_validate(yaml.safe_load(text))
