"""The planted truth of a simulated study, and what it implies for observed scores."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import norm

#: Effect on P(employed >= 1 hour in the month) by months since the start (0 = start month).
#: Shaped after the published estimates (Schaap et al. 2023): +0.05 at month 3, +0.07 at 6,
#: +0.11 at 8, +0.08 at 9 and +0.01 at 12, interpolated in between.
PUBLISHED_PROFILE: tuple[float, ...] = (
    0.0,
    0.02,
    0.04,
    0.05,
    0.055,
    0.06,
    0.07,
    0.09,
    0.11,
    0.08,
    0.05,
    0.03,
    0.01,
)

#: Supervisor scales: latent mean at T0, person SD, and change from T0 at T1, T2, T3.
#: Knowledge and self-efficacy rise; intention and behaviour sit near the ceiling and do
#: not change, as in the published study.
SCALE_DEFAULTS: dict[str, tuple[float, float, tuple[float, float, float]]] = {
    "knowledge": (3.1, 0.6, (0.50, 0.45, 0.40)),
    "self_efficacy": (3.5, 0.55, (0.30, 0.28, 0.25)),
    "intention": (4.4, 0.45, (0.0, 0.0, 0.0)),
    "behaviour": (4.3, 0.5, (0.0, 0.0, 0.0)),
}


@dataclass(frozen=True)
class PlantedEffects:
    """Every effect the simulator plants. Defaults follow ../shared/domain.md.

    Attributes
    ----------
    employment_profile
        Additive effect on the monthly probability of being employed >= 1 hour, by month
        since the start (index 0 = start month); zero before the start and after the profile.
    cohort_heterogeneity
        The effect of start cohort ``c`` is ``profile * (1 + cohort_heterogeneity * z_c)``,
        with ``z_c`` the standardised start month: non-zero values make naive two-way fixed
        effects biased.
    scales
        Latent T0 mean, person SD and change at T1..T3 for each supervisor scale.
    wave_sd, item_sd
        SD of a person's wave-to-wave deviation and of the item noise around the latent score.
    """

    employment_profile: tuple[float, ...] = PUBLISHED_PROFILE
    cohort_heterogeneity: float = 0.0
    scales: dict[str, tuple[float, float, tuple[float, float, float]]] = field(
        default_factory=lambda: dict(SCALE_DEFAULTS)
    )
    wave_sd: float = 0.2
    item_sd: float = 0.55

    def effect_at(self, event_month: np.ndarray) -> np.ndarray:
        """The planted effect for each event month (0 outside the profile)."""
        prof = np.asarray(self.employment_profile, dtype=float)
        e = np.asarray(event_month)
        inside = (e >= 0) & (e < len(prof))
        return np.where(inside, prof[np.clip(e, 0, len(prof) - 1)], 0.0)


def expected_item(mean: float, sd: float, low: int = 1, high: int = 5) -> float:
    """E[clip(round(X), low, high)] for X ~ N(mean, sd): the expected answer to an item.

    Notes
    -----
    ``E = low + sum_{k=low}^{high-1} P(X > k + 1/2)``: each threshold passed adds one.
    """
    ks = np.arange(low, high) + 0.5
    return float(low + norm.sf((ks - mean) / sd).sum())


def item_offsets(n_items: int) -> np.ndarray:
    """Difficulty offsets of a scale's items around the latent score (easiest item last)."""
    return np.linspace(-0.25, 0.25, n_items)


def observed_change(effects: PlantedEffects, scale: str, n_items: int) -> dict[str, float]:
    """True change from T0 in the observed scale score (mean of its rounded 1–5 items).

    The answer to item ``i`` is ``clip(round(theta + offset_i + delta_wave + e), 1, 5)`` with
    ``theta``, the wave deviation and ``e`` normal and independent, so each item's expected
    answer depends only on its marginal normal distribution.
    """
    mean, sd, changes = effects.scales[scale]
    total_sd = float(np.sqrt(sd**2 + effects.wave_sd**2 + effects.item_sd**2))
    offs = item_offsets(n_items)
    base = np.mean([expected_item(mean + o, total_sd) for o in offs])
    return {
        w: round(float(np.mean([expected_item(mean + o + d, total_sd) for o in offs]) - base), 6)
        for w, d in zip(("T1", "T2", "T3"), changes, strict=True)
    }
