"""Simulated register extract: treated employees and a control pool, month by month.

Employment in month t of person i is ``U_it < p_it`` with ``U_it = Phi(z_it)`` and ``z`` a
stationary Gaussian AR(1) over months (so spells persist), and

    p_it = a_i + delta_t + tau_{e, c}        (tau only for treated persons, e = t - start)

``a_i`` depends on the matching covariates (selection), ``delta_t`` is a common calendar
trend (parallel trends hold by construction) and ``tau`` is the planted effect. Because
``P(U_it < p) = p`` exactly, the true ATT on "employed >= 1 hour" at event month ``e`` is the
treated persons' mean of ``tau_{e, c}``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.special import expit, ndtr

from mentorwijs.simulation.effects import PlantedEffects
from mentorwijs.simulation.registry import SECTOR_P, SECTORS
from mentorwijs.studydata.schema import STRING

AR_RHO = 0.85
SOCIAL_ASSISTANCE = 1_100.0  # simulated monthly amount; real norms are in the cost-benefit file
DISABILITY_BENEFIT = 1_050.0
BENEFITS = np.array(["none", "social_assistance", "unemployment", "sickness", "disability"])


def month_index(month: str) -> int:
    """``YYYY-MM`` → months since year 0 (year * 12 + month - 1)."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_label(index: np.ndarray) -> np.ndarray:
    return np.array([f"{i // 12:04d}-{i % 12 + 1:02d}" for i in index], dtype=object)


def _arrow_strings(codes: np.ndarray, labels: np.ndarray) -> pd.Series:
    """A string column from integer codes into ``labels``, built in Arrow (no Python objects)."""
    arr = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels, type=pa.string()))
    return pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.string())), dtype=STRING)


def _covariates(rng: np.random.Generator, n: int, treated: bool) -> dict[str, np.ndarray]:
    """Covariates; treated persons are younger, lower educated, more often temporary."""
    t = treated
    return {
        "sex": np.where(rng.random(n) < (0.6 if t else 0.55), "m", "f"),
        "birth_year": np.clip(
            np.round(rng.normal(1995 if t else 1988, 9 if t else 12, n)), 1950, 2004
        ).astype(int),
        "education": rng.choice(
            ["low", "middle", "high"], n, p=[0.6, 0.35, 0.05] if t else [0.4, 0.45, 0.15]
        ),
        "migration_background": rng.random(n) < (0.25 if t else 0.2),
        "temporary_contract": rng.random(n) < (0.6 if t else 0.4),
        "years_in_job": np.round(rng.gamma(1.5, 1.2, n) if t else rng.gamma(2.0, 2.0, n), 1),
        "hourly_wage": np.round(np.maximum(11.5, rng.normal(13.5 if t else 15.0, 2.0, n)), 2),
        "disabled": rng.random(n) < (0.15 if t else 0.1),
    }


def simulate_register(
    rng: np.random.Generator,
    *,
    effects: PlantedEffects,
    treated_start: np.ndarray,
    treated_region: np.ndarray,
    treated_sector: np.ndarray,
    treated_size: np.ndarray,
    treated_sheltered: np.ndarray,
    control_regions: np.ndarray,
    n_controls: int,
    extract_start: str,
    extract_end: str,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """Draw register_persons and register_months; return them with the truth they imply."""
    n_t, n_c = len(treated_start), n_controls
    n = n_t + n_c
    width = max(7, len(str(n)))
    person_ids = np.array([f"P{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    ct, cc = _covariates(rng, n_t, True), _covariates(rng, n_c, False)
    cov = {k: np.concatenate([ct[k], cc[k]]) for k in ct}
    treated = np.arange(n) < n_t
    start_idx = np.full(n, -1, dtype=np.int64)
    start_idx[:n_t] = [month_index(str(m)) for m in treated_start]
    first, last = month_index(extract_start), month_index(extract_end)
    n_months = last - first + 1

    sheltered = np.concatenate([treated_sheltered, rng.random(n_c) < 0.05])
    lin = (
        0.3
        - 0.6 * (cov["education"] == "low")
        + 0.4 * (cov["education"] == "high")
        - 0.3 * cov["temporary_contract"]
        + 0.15 * np.minimum(cov["years_in_job"], 10)
        + 0.5 * sheltered
        - 0.4 * cov["disabled"]
        + 0.8 * treated
        + rng.normal(0, 1.0, n)
    )
    base = 0.1 + 0.7 * expit(lin)  # a_i in (0.1, 0.8)
    t = np.arange(n_months)
    cal = first + t
    covid = ((cal >= month_index("2020-04")) & (cal <= month_index("2020-09"))) * -0.04
    trend = 0.02 * np.sin(2 * np.pi * (cal % 12) / 12) + covid  # delta_t

    cohorts = start_idx[:n_t]
    z_c = (cohorts - cohorts.mean()) / cohorts.std() if n_t > 1 and cohorts.std() > 0 else 0.0
    scale_c = np.ones(n)
    scale_c[:n_t] = 1 + effects.cohort_heterogeneity * z_c

    weekly = np.clip(rng.normal(22, 7, n), 4, 38)
    wage = cov["hourly_wage"]
    disabled = cov["disabled"]
    employed = np.empty((n, n_months), dtype=bool)
    hours = np.zeros((n, n_months))
    z = rng.normal(0, 1, n)
    for k in range(n_months):
        if k:
            z = AR_RHO * z + np.sqrt(1 - AR_RHO**2) * rng.normal(0, 1, n)
        event = cal[k] - start_idx
        tau = np.where(treated, effects.effect_at(event) * scale_c, 0.0)
        p = base + trend[k] + tau
        employed[:, k] = ndtr(z) < p
        hours[:, k] = np.where(
            employed[:, k], np.round(weekly * 4.33 * rng.normal(1, 0.1, n) * 2) / 2, 0.0
        )
    hours = np.maximum(hours, 0.0)
    hours[employed & (hours < 1)] = 1.0
    earnings = np.round(hours * wage[:, None], 2)
    u = rng.random((n, n_months))
    benefit = np.zeros((n, n_months), dtype=np.int8)
    benefit[~employed & (u < 0.75)] = 1
    benefit[~employed & (u >= 0.75) & (u < 0.85)] = 2
    benefit[~employed & (u >= 0.85) & (u < 0.88)] = 3
    benefit[employed & (hours < 80) & (u < 0.3)] = 1
    benefit[disabled, :] = 4
    amount = np.select(
        [benefit == 1, benefit == 2, benefit == 3, benefit == 4],
        [
            np.maximum(0.0, SOCIAL_ASSISTANCE - 0.75 * earnings),
            900.0,
            1_000.0,
            DISABILITY_BENEFIT,
        ],
        0.0,
    ).round(2)

    persons = pd.DataFrame(
        {
            "person_id": person_ids,
            "treated": treated,
            "start_month": np.where(treated, month_label(np.maximum(start_idx, 0)), np.array(None)),
            "region_id": np.concatenate(
                [treated_region, control_regions[rng.integers(0, len(control_regions), n_c)]]
            ),
            "sex": cov["sex"],
            "birth_year": cov["birth_year"],
            "education": cov["education"],
            "migration_background": cov["migration_background"],
            "sector": np.concatenate([treated_sector, rng.choice(SECTORS, n_c, p=SECTOR_P)]),
            "employer_size": np.concatenate(
                [treated_size, rng.choice(["small", "medium", "large"], n_c, p=[0.35, 0.35, 0.3])]
            ),
            "sheltered": sheltered,
            "temporary_contract": cov["temporary_contract"],
            "years_in_job": cov["years_in_job"],
            "hourly_wage": wage,
        }
    )
    months = pd.DataFrame(
        {
            "person_id": _arrow_strings(
                np.repeat(np.arange(n, dtype=np.int32), n_months), person_ids
            ),
            "month": _arrow_strings(
                np.tile(np.arange(n_months, dtype=np.int32), n), month_label(cal)
            ),
            "hours": hours.ravel(),
            "wage": earnings.ravel(),
            "benefit": _arrow_strings(benefit.ravel(), BENEFITS),
            "benefit_amount": amount.ravel(),
        }
    )
    profile = np.asarray(effects.employment_profile)
    att = profile * float(scale_c[:n_t].mean()) if n_t else profile
    truth = {
        "employed_1h_att_by_event_month": {str(e): round(float(v), 6) for e, v in enumerate(att)},
        "placebo_att": 0.0,
        "n_treated": int(n_t),
        "n_control_pool": int(n_c),
        "cohort_heterogeneity": effects.cohort_heterogeneity,
    }
    return persons, months, truth
