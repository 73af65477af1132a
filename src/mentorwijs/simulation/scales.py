"""The sizes of a simulated study."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

ScaleName = Literal["study", "region", "national"]


@cache
def region_names() -> dict[str, str]:
    """Region code → name of the 35 labour-market regions."""
    text = resources.files("mentorwijs.simulation").joinpath("regions.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


@dataclass(frozen=True)
class StudySize:
    """How big a simulated study is.

    Attributes
    ----------
    n_groups
        Training groups (5–18 supervisors each, about 8.6 on average).
    treated_regions
        Regions whose employer services run the training.
    control_pool
        Register persons in the control pool.
    target_treated
        If set, exactly this many employees are linked to the register (the national
        benchmark's 5,000); otherwise linkage follows consent and tracing.
    extract_start, extract_end
        The register extract's first and last month.
    """

    n_groups: int
    treated_regions: tuple[str, ...]
    control_pool: int
    target_treated: int | None = None
    extract_start: str = "2019-01"
    extract_end: str = "2022-12"


def study_size(scale: ScaleName) -> StudySize:
    """The size for ``scale``: the published study, a region-wide roll-out, or national."""
    all_regions = tuple(region_names())
    if scale == "study":
        return StudySize(19, ("R10", "R11"), 6_000)
    if scale == "region":
        return StudySize(190, ("R08", "R09", "R10", "R11", "R12", "R13"), 60_000)
    if scale == "national":
        return StudySize(1_400, all_regions, 500_000, target_treated=5_000)
    raise ValueError(f"unknown scale {scale!r}: choose study, region or national")
