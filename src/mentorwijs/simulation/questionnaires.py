"""Simulated employees, invitations and answers to the protocol's instruments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentorwijs.protocol import Protocol
from mentorwijs.simulation.effects import PlantedEffects, item_offsets
from mentorwijs.simulation.registry import exact_counts, ids

#: Completed questionnaires per wave out of 164 invited supervisors: 127, 95, 91, 87
#: (Schaap et al. 2023).
SUPERVISOR_COMPLETION = {"T0": 127 / 164, "T1": 95 / 164, "T2": 91 / 164, "T3": 87 / 164}
EMPLOYEES_PER_SUPERVISOR = 150 / 164  # the study does not say; 150 makes 118 answers plausible
EMPLOYEE_COMPLETION = 118 / 150  # 118 employees answered (Schaap et al. 2023)
#: Employees answering again after T0 (of those who answered T0). The study asked employees
#: once; 0.75 is an assumption in line with the supervisors' retention (91/127 at T2).
EMPLOYEE_LATER_COMPLETION = 0.75
CONSENT_REGISTER = 86 / 118  # 32 of 118 refused register linkage
NOT_FOUND = 8 / 86  # consenting but not found in the register
ITEM_MISSING = 0.015
#: Satisfaction: share answering 1, 2, 3, 4, 5 per aspect. The study published only the
#: means, 4.4 (general, meetings, content, methods, structure) and 4.7 (trainers); these
#: shares give exactly those means. Duration has no published figure: mean 4.3.
SATISFACTION_SHARES = {
    "sat_general": (0.0, 0.0, 0.07, 0.46, 0.47),
    "sat_meetings": (0.0, 0.0, 0.07, 0.46, 0.47),
    "sat_trainers": (0.0, 0.0, 0.01, 0.28, 0.71),
    "sat_content": (0.0, 0.0, 0.07, 0.46, 0.47),
    "sat_methods": (0.0, 0.0, 0.07, 0.46, 0.47),
    "sat_structure": (0.0, 0.0, 0.07, 0.46, 0.47),
    "sat_duration": (0.0, 0.01, 0.09, 0.49, 0.41),
}
SATISFACTION_MEANS = {
    k: round(sum((i + 1) * p for i, p in enumerate(v)), 6) for k, v in SATISFACTION_SHARES.items()
}
EXTRA_TIME_SHARE = 0.28  # 25–31 % spent extra time on guidance
EXTRA_HOURS_MEAN = 5.6  # 4.7–6.6 hours a week on average
#: Workplace determinants: feedback and formal endorsement lowest (Schaap et al. 2023).
DETERMINANT_MEANS = {
    "det_feedback": 2.8,
    "det_endorsement": 2.9,
    "det_time": 3.4,
    "det_resources": 3.5,
    "det_colleagues": 3.7,
}
EMPLOYEE_SCALE_MEANS = {
    "job_satisfaction": 4.1,
    "supervisor_support": 4.0,
    "belonging": 4.0,
    "employee_self_efficacy": 3.8,
}


def wave_dates(protocol: Protocol, wave: str, start: np.ndarray) -> np.ndarray:
    """Invitation moments (09:00 UTC) of ``wave`` for groups starting on ``start``."""
    w = protocol.waves[wave]
    anchor = start if w.anchor == "meeting_1" else start + np.timedelta64(28, "D")
    days = w.offset_days + round(30.4375 * w.offset_months)
    return (anchor + np.timedelta64(days, "D")).astype("datetime64[s]") + np.timedelta64(9, "h")


def top_share(rng: np.random.Generator, latent: np.ndarray, share: float) -> np.ndarray:
    """Mark exactly ``round(share * n)`` of the highest ``latent`` values (ties at random)."""
    k = round(share * len(latent))
    order = np.lexsort((rng.random(len(latent)), -latent))
    out = np.zeros(len(latent), dtype=bool)
    out[order[:k]] = True
    return out


def _completion(rng: np.random.Generator, n: int, rates: dict[str, float]) -> dict[str, np.ndarray]:
    """Who completes which wave: a persistent engagement plus wave noise; the number of
    completers is exactly ``rate * n`` (164 → 127, 95, 91, 87 at study scale)."""
    engagement = rng.normal(0, 1, n)
    return {
        wave: top_share(rng, 0.85 * engagement + np.sqrt(1 - 0.85**2) * rng.normal(0, 1, n), rate)
        for wave, rate in rates.items()
    }


def _invitations(
    rng: np.random.Generator,
    respondent: np.ndarray,
    role: str,
    wave: str,
    invited: np.ndarray,
    completed: np.ndarray,
) -> pd.DataFrame:
    n = len(respondent)
    delay_h = np.minimum(rng.exponential(5 * 24, n), 27 * 24).astype("int64")
    delay = (delay_h * 3600 + rng.integers(0, 3600, n)).astype("timedelta64[s]")
    done_at = invited + delay
    week = np.timedelta64(7 * 24 * 3600, "s")
    reminders = np.where(completed, (delay >= week).astype(int) + (delay >= 2 * week), 2)
    reminded = invited + reminders * week
    return pd.DataFrame(
        {
            "respondent_id": respondent,
            "role": role,
            "wave": wave,
            "invited_at": pd.to_datetime(invited).tz_localize("UTC"),
            "reminders": reminders,
            "reminded_at": pd.to_datetime(
                np.where(reminders > 0, reminded, np.datetime64("NaT"))
            ).tz_localize("UTC"),
            "completed_at": pd.to_datetime(
                np.where(completed, done_at, np.datetime64("NaT"))
            ).tz_localize("UTC"),
        }
    )


def _likert(x: np.ndarray, low: int = 1, high: int = 5) -> np.ndarray:
    return np.clip(np.round(x), low, high)


def _long(
    respondent: np.ndarray,
    role: str,
    wave: str,
    instrument: str,
    items: list[str],
    values: np.ndarray,
    submitted: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Answers ``values`` (respondents × items) in long form, with a little item non-response."""
    n, k = values.shape
    vals = values.astype(float).ravel()
    vals[rng.random(n * k) < ITEM_MISSING] = np.nan
    return pd.DataFrame(
        {
            "respondent_id": np.repeat(respondent, k),
            "role": role,
            "wave": wave,
            "instrument": instrument,
            "item": np.tile(np.array(items, dtype=object), n),
            "value": vals,
            "text": None,
            "submitted_at": np.repeat(submitted, k),
        }
    )


def simulate_supervisor_answers(
    rng: np.random.Generator,
    protocol: Protocol,
    effects: PlantedEffects,
    supervisors: pd.DataFrame,
    start: np.ndarray,
    attended: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invitations for T0–T3 and the answers of those who completed them."""
    sup = supervisors["supervisor_id"].to_numpy()
    n = len(sup)
    complete = _completion(rng, n, SUPERVISOR_COMPLETION)
    ins = protocol.instruments["sv_outcomes"]
    theta = {
        sc: rng.normal(effects.scales[sc][0], effects.scales[sc][1], n) for sc in effects.scales
    }
    invitations, responses = [], []
    for w_index, wave in enumerate(protocol.waves_for("supervisor")):
        invited = wave_dates(protocol, wave, start)
        inv = _invitations(rng, sup, "supervisor", wave, invited, complete[wave])
        invitations.append(inv)
        done = complete[wave]
        ids_done = sup[done]
        submitted = inv["completed_at"].to_numpy()[done]
        cols, items = [], []
        for sc in ins.scales:
            change = 0.0 if w_index == 0 else effects.scales[sc.code][2][w_index - 1]
            dev = rng.normal(0, effects.wave_sd, n)
            offs = item_offsets(len(sc.items))
            for off, code in zip(offs, sc.items, strict=True):
                x = _likert(theta[sc.code] + off + change + dev + rng.normal(0, effects.item_sd, n))
                if ins.item(code).reverse:
                    x = 6 - x
                cols.append(x[done])
                items.append(code)
        responses.append(
            _long(
                ids_done,
                "supervisor",
                wave,
                "sv_outcomes",
                items,
                np.column_stack(cols),
                submitted,
                rng,
            )
        )
        if wave == "T1":
            responses += _process_answers(rng, ids_done, attended[done], submitted)
    return pd.concat(invitations, ignore_index=True), pd.concat(responses, ignore_index=True)


def _process_answers(
    rng: np.random.Generator, who: np.ndarray, attended: np.ndarray, submitted: np.ndarray
) -> list[pd.DataFrame]:
    n = len(who)
    general = rng.normal(0, 0.35, n)
    # Exactly the planted share of each answer (largest remainder), given by rank of a
    # latent satisfaction that is shared across aspects (general) plus aspect noise.
    sat = np.column_stack(
        [
            _planted(general + rng.normal(0, 0.4, n), shares)
            for shares in SATISFACTION_SHARES.values()
        ]
    )
    extra = (rng.random(n) < EXTRA_TIME_SHARE).astype(float)
    process_items = [*SATISFACTION_SHARES, "meetings_attended", "extra_time"]
    process = np.column_stack([sat, attended.astype(float), extra])
    out = [_long(who, "supervisor", "T1", "sv_process", process_items, process, submitted, rng)]
    has_extra = extra == 1
    hours = np.clip(np.round(rng.gamma(4.0, EXTRA_HOURS_MEAN / 4.0, n) * 2) / 2, 0.5, 40)
    out.append(
        _long(
            who[has_extra],
            "supervisor",
            "T1",
            "sv_process",
            ["extra_hours"],
            hours[has_extra, None],
            submitted[has_extra],
            rng,
        )
    )
    workplace = rng.normal(0, 0.5, n)
    det = np.column_stack(
        [_likert(m + workplace + rng.normal(0, 0.8, n)) for m in DETERMINANT_MEANS.values()]
    )
    out.append(
        _long(
            who, "supervisor", "T1", "sv_determinants", list(DETERMINANT_MEANS), det, submitted, rng
        )
    )
    return out


def _planted(latent: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    """Answers 1..k in exactly the planted shares, the lowest answers to the lowest latent."""
    counts = exact_counts(np.asarray(shares), len(latent))
    values = np.repeat(np.arange(1, len(shares) + 1, dtype=float), counts)
    out = np.empty(len(latent))
    out[np.argsort(latent, kind="stable")] = values
    return out


def simulate_employees(
    rng: np.random.Generator,
    protocol: Protocol,
    supervisors: pd.DataFrame,
    sup_start: np.ndarray,
    target_linked: int | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Employees under the supervisors, their invitations and answers (T0, and the later
    employee waves of the protocol for those who answered T0), and consent.

    Returns employees (``register_person_id`` still empty: the register step fills it),
    invitations and responses. ``linked`` employees are flagged in column ``_linked``.
    """
    n_sup = len(supervisors)
    n = round(n_sup * EMPLOYEES_PER_SUPERVISOR)
    sup_index = np.sort(rng.integers(0, n_sup, n))
    emp_ids = ids("E", n, max(5, len(str(n))))
    answered = top_share(rng, rng.random(n), EMPLOYEE_COMPLETION)
    consent = answered.copy()
    consent[answered] = top_share(rng, rng.random(answered.sum()), CONSENT_REGISTER)
    linked = consent.copy()
    linked[consent] = top_share(rng, rng.random(consent.sum()), 1 - NOT_FOUND)
    if target_linked is not None:
        idx = np.flatnonzero(linked)
        if len(idx) < target_linked:
            raise ValueError(f"only {len(idx)} employees linkable; need {target_linked}")
        linked[idx[target_linked:]] = False
    employees = pd.DataFrame(
        {
            "employee_id": emp_ids,
            "supervisor_id": supervisors["supervisor_id"].to_numpy()[sup_index],
            "sex": rng.choice(["f", "m", "x"], n, p=[0.4, 0.595, 0.005]),
            "age": np.clip(np.round(rng.normal(30, 10, n)), 17, 66).astype(int),
            "disability": rng.choice(
                ["intellectual", "psychological", "physical", "low_education", "other"],
                n,
                p=[0.35, 0.25, 0.15, 0.2, 0.05],
            ),
            "consent_questionnaire": answered,
            "consent_register": consent,
            "register_person_id": None,
            "_linked": linked,
            "_sup_index": sup_index,
        }
    )
    invited = wave_dates(protocol, "T0", sup_start[sup_index])
    inv = _invitations(rng, emp_ids, "employee", "T0", invited, answered)
    submitted = inv["completed_at"].to_numpy()[answered]
    who = emp_ids[answered]
    m = len(who)
    ability = rng.normal(7.0, 1.6, m)
    cols: list[np.ndarray] = [np.clip(np.round(ability), 0, 10)]
    items = ["work_ability"]
    thetas = {}
    for sc in protocol.instruments["em_questionnaire"].scales:
        thetas[sc.code] = theta = rng.normal(EMPLOYEE_SCALE_MEANS[sc.code], 0.6, m)
        for code in sc.items:
            cols.append(_likert(theta + rng.normal(0, 0.55, m)))
            items.append(code)
    resp = _long(
        who, "employee", "T0", "em_questionnaire", items, np.column_stack(cols), submitted, rng
    )
    later = _employee_later_waves(
        rng, protocol, who, sup_start[sup_index][answered], ability, thetas
    )
    return (
        employees,
        pd.concat([inv, *later[0]], ignore_index=True),
        pd.concat([resp, *later[1]], ignore_index=True),
    )


def _employee_later_waves(
    rng: np.random.Generator,
    protocol: Protocol,
    who: np.ndarray,
    start: np.ndarray,
    ability: np.ndarray,
    thetas: dict[str, np.ndarray],
) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Invitations and answers after T0 for the employees who answered at T0: each person's
    T0 level plus wave noise, no planted change (the study measured employees once, so there
    is no published change to plant)."""
    ins = protocol.instruments["em_questionnaire"]
    invitations, responses = [], []
    m = len(who)
    for wave in [w for w in ins.waves if w != "T0"]:
        done = top_share(rng, rng.random(m), EMPLOYEE_LATER_COMPLETION)
        inv = _invitations(rng, who, "employee", wave, wave_dates(protocol, wave, start), done)
        cols = [np.clip(np.round(ability + rng.normal(0, 0.8, m)), 0, 10)]
        items = ["work_ability"]
        for sc in ins.scales:
            for code in sc.items:
                cols.append(_likert(thetas[sc.code] + rng.normal(0, 0.55, m)))
                items.append(code)
        invitations.append(inv)
        responses.append(
            _long(
                who[done],
                "employee",
                wave,
                "em_questionnaire",
                items,
                np.column_stack(cols)[done],
                inv["completed_at"].to_numpy()[done],
                rng,
            )
        )
    return invitations, responses
