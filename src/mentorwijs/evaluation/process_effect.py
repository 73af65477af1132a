"""Process and effect: do dose received, delivery mode and the workplace determinants
moderate the supervisors' change and the employment effect?

The moderators are measured per supervisor (:func:`supervisor_moderators`) and passed on to
the employees they guide (:func:`employee_moderators`):

- ``dose_full``: attended every meeting their group held (the attendance register);
- ``delivery_mode``: the group met ``in_person`` or ``online``;
- ``<item>_barrier`` for each workplace determinant (e.g. ``det_feedback_barrier``): the
  supervisor scored it as a barrier (at most ``barrier_max``) at the first wave the
  protocol asks it (T1). These are measured after the training and may partly reflect it.

For the supervisors, :func:`change_moderation` fits per scale and moderator a linear mixed
model with a change from baseline per wave *within each subgroup*; for the employment
effect, the stacked difference-in-differences gives the average effect over months 0–12
per subgroup (:func:`did_modification.effect_modification`), and
:func:`employment_moderation` adds the difference between the two subgroups. Both say in a
``warning`` column when a subgroup is too small, and read as exploratory: the study was not
powered for these comparisons.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import NoProcessDataError
from mentorwijs.evaluation.process_answers import DETERMINANTS, barrier_cutoffs
from mentorwijs.evaluation.reml import random_intercept_reml
from mentorwijs.evaluation.supervisors import tidy_scores
from mentorwijs.protocol import Protocol, load_protocol

STAT_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "p_val"]


def supervisor_moderators(
    supervisors: pd.DataFrame,
    training_groups: pd.DataFrame,
    meetings: pd.DataFrame,
    attendance: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    barrier_max: int = 2,
    protocol: Protocol | None = None,
) -> pd.DataFrame:
    """The process moderators of each enrolled supervisor.

    Returns
    -------
    DataFrame
        ``supervisor_id``, ``dose_full`` (bool; missing when attendance is not recorded),
        ``delivery_mode`` (text), and one ``<item>_barrier`` column (bool; missing when the
        supervisor did not answer) per item of ``sv_determinants``.
    """
    protocol = protocol or load_protocol()
    sup = supervisors[supervisors["training_group_id"].notna()]
    sid = sup["supervisor_id"].astype(str).to_numpy()
    gid = sup["training_group_id"].astype(str).to_numpy()
    held = (
        meetings.assign(held=meetings["held"].fillna(False).astype(bool))
        .groupby(meetings["training_group_id"].astype(str))["held"]
        .sum()
    )
    present = attendance.assign(
        supervisor_id=attendance["supervisor_id"].astype(str),
        present=attendance["present"].fillna(False).astype(bool),
    )
    attended = present.groupby("supervisor_id")["present"].sum()
    n_att = pd.Series(sid).map(attended).to_numpy(dtype=float)
    n_held = pd.Series(gid).map(held).to_numpy(dtype=float)
    dose = pd.array(
        np.where(np.isnan(n_att) | np.isnan(n_held), None, n_att >= n_held), dtype="boolean"
    )
    mode = dict(
        zip(
            training_groups["training_group_id"].astype(str),
            training_groups["mode"].astype(str),
            strict=True,
        )
    )
    out = pd.DataFrame(
        {
            "supervisor_id": sid,
            "dose_full": dose,
            "delivery_mode": pd.Series(gid).map(mode).to_numpy(dtype=object),
        }
    )
    ins = protocol.instruments[DETERMINANTS]
    first_wave = ins.waves[0]
    r = responses[
        (responses["instrument"] == DETERMINANTS)
        & (responses["role"] == "supervisor")
        & (responses["wave"] == first_wave)
        & responses["value"].notna()
    ]
    wide = (
        pd.DataFrame(
            {
                "respondent_id": r["respondent_id"].astype(str).to_numpy(),
                "item": r["item"].astype(str).to_numpy(),
                "value": r["value"].astype(float).to_numpy(),
            }
        )
        .drop_duplicates(["respondent_id", "item"])
        .pivot(index="respondent_id", columns="item", values="value")
    )
    for it in ins.items:
        cut, _ = barrier_cutoffs(protocol, it.code, barrier_max)
        v = out["supervisor_id"].map(wide[it.code]) if it.code in wide else pd.Series(np.nan)
        v = v.reindex(out.index).to_numpy(dtype=float)
        out[f"{it.code}_barrier"] = pd.array(np.where(np.isnan(v), None, v <= cut), dtype="boolean")
    return out


def employee_moderators(
    employees: pd.DataFrame, moderators: pd.DataFrame, *, key: str = "register_person_id"
) -> pd.DataFrame:
    """The supervisor's process moderators for each employee linked to the register.

    Returns
    -------
    DataFrame
        ``person_id`` (the employee's ``register_person_id``) and the moderator columns of
        :func:`supervisor_moderators`; employees without a register link are left out.
    """
    link = employees.loc[employees[key].notna(), [key, "supervisor_id"]]
    link = pd.DataFrame(
        {
            "person_id": link[key].astype(str).to_numpy(),
            "supervisor_id": link["supervisor_id"].astype(str).to_numpy(),
        }
    )
    return link.merge(moderators, on="supervisor_id", how="left").drop(columns="supervisor_id")


def change_moderation(
    scores: pd.DataFrame,
    moderators: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    baseline: str = "T0",
    level: float = 0.95,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    r"""Change from baseline per subgroup of each moderator, and the difference in change.

    Parameters
    ----------
    scores
        Long scale scores (``respondent_id``, ``wave``, ``scale``, ``score``), as from
        :func:`~mentorwijs.evaluation.scales.score_scales`.
    moderators
        ``supervisor_id`` and one column per moderator with a few values each (e.g.
        :func:`supervisor_moderators`). A supervisor without a value is left out of that
        moderator's model only.
    columns
        The moderators to use; default every column but ``supervisor_id``.
    baseline, level
        Baseline wave and confidence level.
    min_count
        A subgroup with fewer supervisors at a wave is suppressed, with a plain warning.

    Returns
    -------
    DataFrame
        Per ``scale``, ``wave`` and ``moderator``: one row with ``term = "change"`` per
        subgroup (``subgroup``: its value as text), and one ``term = "difference"`` row per
        subgroup other than the reference (the first value in sorted order: ``False``,
        ``in_person``), with ``reference`` naming it: the change in the subgroup minus the
        change in the reference. Columns ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``p_val`` (Wald *z*), ``n_units`` (supervisors of the subgroup in the model; for a
        difference the smaller of the two), ``n_wave`` (of those, with a score at this
        wave), ``converged``, ``warning`` (plain text; empty when none), ``suppressed``.

    Notes
    -----
    Per scale and moderator with subgroups :math:`g`, fitted by REML:

    .. math:: y_{iw} = \alpha_{g(i)} + \sum_{w \ne 0} \beta_{g(i) w} 1[\text{wave} = w]
       + u_i + e_{iw}

    ``change`` is :math:`\hat\beta_{gw}` and ``difference`` :math:`\hat\beta_{gw} -
    \hat\beta_{rw}`, the interaction ``wave × moderator`` of ``score ~ wave * moderator +
    (1 | supervisor)``, read from the same model fitted with treatment contrasts (so its
    standard error needs no covariance). The fit is the profiled REML of
    :func:`mentorwijs.evaluation.reml.random_intercept_reml` (checked against lme4). With two
    waves and every supervisor scored at both, the difference and its standard error equal
    the two-sample *t* test on the change scores with pooled variance (see
    ``tests/test_process_effect.py``).
    """
    data = tidy_scores(scores, baseline)
    if not (data["wave"] != baseline).any():
        raise NoProcessDataError(
            f"no supervisor has a scale score after {baseline} yet: no change to moderate"
        )
    mods = moderators.assign(supervisor_id=moderators["supervisor_id"].astype(str))
    use = list(columns) if columns is not None else [c for c in mods if c != "supervisor_id"]
    z = stats.norm.ppf(0.5 + level / 2)
    rows: list[dict[str, object]] = []
    for name in use:
        value = dict(zip(mods["supervisor_id"], mods[name].astype(object), strict=True))
        for scale, part in data.groupby("scale", sort=False):
            v = part["respondent_id"].map(value)
            part = part[v.notna().to_numpy()].assign(group=v[v.notna()].astype(str).to_numpy())
            groups = sorted(part["group"].unique())
            if len(groups) < 2:
                warnings.warn(
                    f"moderator {name!r} has one value among the supervisors scored on "
                    f"{scale!r}: nothing to compare",
                    UserWarning,
                    stacklevel=2,
                )
                continue
            rows += _moderated_change(part, name, str(scale), groups, baseline, z, min_count)
    if not rows:
        raise NoProcessDataError(
            "no moderator has two subgroups among the supervisors with scores: nothing to compare"
        )
    table = pd.DataFrame(rows)
    return suppress_small_cells(
        table, count_cols=["n_units", "n_wave"], stat_cols=STAT_COLUMNS, min_count=min_count
    )


def _fit(part: pd.DataFrame, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """REML fit on the non-empty columns of ``x``: estimates and SEs (NaN for the empty)."""
    present = x.any(axis=0)
    beta = np.full(x.shape[1], np.nan)
    se = np.full(x.shape[1], np.nan)
    xp = x[:, present]
    if np.linalg.matrix_rank(xp.T @ xp) < xp.shape[1]:
        return beta, se, False
    fit = random_intercept_reml(
        part["score"].to_numpy(dtype=float), xp, part["respondent_id"].to_numpy()
    )
    beta[present], se[present] = fit.beta, fit.se
    return beta, se, fit.converged


def _moderated_change(
    part: pd.DataFrame,
    name: str,
    scale: str,
    groups: list[str],
    baseline: str,
    z: float,
    min_count: int,
) -> list[dict[str, object]]:
    """Two fits of one model: with a change per subgroup (cell means), and with the
    reference's change plus each other subgroup's difference (treatment contrasts)."""
    later = sorted(w for w in part["wave"].unique() if w != baseline)
    g_idx = part["group"].map({g: i for i, g in enumerate(groups)}).to_numpy()
    w_idx = part["wave"].map({w: i for i, w in enumerate(later)}).to_numpy()  # NaN: baseline
    n, k_g, k_w = len(part), len(groups), len(later)
    rows = np.flatnonzero(~pd.isna(w_idx))
    w_at = np.asarray(w_idx[rows], dtype=int)
    g_at = g_idx[rows]
    cells = np.zeros((n, k_g * (1 + k_w)))
    cells[np.arange(n), g_idx] = 1.0
    cells[rows, k_g + w_at * k_g + g_at] = 1.0
    contrasts = np.zeros((n, k_g + k_w + k_w * (k_g - 1)))
    contrasts[np.arange(n), g_idx] = 1.0
    contrasts[rows, k_g + w_at] = 1.0
    other = g_at > 0
    contrasts[rows[other], k_g + k_w + w_at[other] * (k_g - 1) + g_at[other] - 1] = 1.0
    change, change_se, ok_c = _fit(part, cells)
    diff, diff_se, ok_d = _fit(part, contrasts)
    ok = ok_c and ok_d
    sid = part["respondent_id"].to_numpy()
    units = [len(np.unique(sid[g_idx == i])) for i in range(k_g)]
    failed = (
        ""
        if ok
        else "the model could not be fitted (a subgroup lacks baseline scores, or the variance "
        "search did not converge)"
    )
    out: list[dict[str, object]] = []
    waves = part["wave"].to_numpy()
    for wi, wave in enumerate(later):
        at = [len(np.unique(sid[(g_idx == i) & (waves == wave)])) for i in range(k_g)]
        for i, g in enumerate(groups):
            c = k_g + wi * k_g + i
            out.append(
                _row(
                    scale, wave, name, g, "", "change", change[c], change_se[c], z,
                    units[i], at[i], ok, _warning(failed, [at[i]], min_count),
                )
            )  # fmt: skip
        for i, g in enumerate(groups[1:], start=1):
            c = k_g + k_w + wi * (k_g - 1) + i - 1
            out.append(
                _row(
                    scale, wave, name, g, groups[0], "difference", diff[c], diff_se[c], z,
                    min(units[i], units[0]), min(at[i], at[0]), ok,
                    _warning(failed, [at[i], at[0]], min_count),
                )
            )  # fmt: skip
    return out


def _row(
    scale: str,
    wave: str,
    name: str,
    subgroup: str,
    reference: str,
    term: str,
    est: float,
    se: float,
    z: float,
    n_units: int,
    n_wave: int,
    ok: bool,
    warning: str,
) -> dict[str, object]:
    p = 2 * stats.norm.sf(abs(est / se)) if se and np.isfinite(se) and se > 0 else np.nan
    return {
        "scale": scale,
        "wave": wave,
        "moderator": name,
        "subgroup": subgroup,
        "reference": reference,
        "term": term,
        "estimate": est,
        "se": se,
        "ci_low": est - z * se,
        "ci_high": est + z * se,
        "p_val": p,
        "n_units": n_units,
        "n_wave": n_wave,
        "converged": ok,
        "warning": warning,
    }


def _warning(failed: str, counts: Sequence[int], min_count: int) -> str:
    parts = [failed] if failed else []
    if min(counts) < min_count:
        parts.append(
            f"fewer than {min_count} supervisors in a subgroup at this wave: too few to "
            "estimate, and not shown under the rule of 10"
        )
    return "; ".join(parts)


def employment_moderation(
    effect_modification: pd.DataFrame,
    modification_tests: pd.DataFrame,
    moderators: Sequence[str],
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """The employment effect by subgroup of the process moderators, and their difference.

    Parameters
    ----------
    effect_modification, modification_tests
        The tables of :func:`mentorwijs.evaluation.employment.employment_effects` (already
        through disclosure control), run with the process moderators among the modifiers.
    moderators
        The names of the process moderators to take out of those tables.

    Returns
    -------
    DataFrame
        The subgroup rows of ``effect_modification`` for these moderators (``term =
        "subgroup"``; ``estimate`` is the average effect on being employed over months
        0–12), plus per two-valued moderator a ``term = "difference"`` row: the second
        subgroup minus the first (``reference``), with ``se`` from the Wald statistic of
        ``modification_tests`` (:math:`se = |d| / \\sqrt{W}`, as :math:`W = d^2 / V` for one
        contrast), a normal interval and the Wald test's ``p_val``. Columns: ``moderator``,
        ``subgroup``, ``reference``, ``term``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``p_val``, ``n_treated``, ``warning``, ``suppressed``. A difference
        is suppressed when either subgroup is.
    """
    z = stats.norm.ppf(0.5 + level / 2)
    em = effect_modification[effect_modification["modifier"].isin(list(moderators))]
    tests = modification_tests.set_index("modifier")
    rows: list[dict[str, object]] = []
    for name in moderators:
        part = em[em["modifier"] == name]
        for r in part.itertuples(index=False):
            rows.append(
                {
                    "moderator": name,
                    "subgroup": r.subgroup,
                    "reference": "",
                    "term": "subgroup",
                    "estimate": r.estimate,
                    "se": r.se,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                    "p_val": r.p_val,
                    "n_treated": r.n_treated,
                    "warning": r.warning,
                    "suppressed": bool(r.suppressed),
                }
            )
        if len(part) != 2 or name not in tests.index:
            continue
        ref, other = part.iloc[0], part.iloc[1]
        hidden = bool(ref["suppressed"]) or bool(other["suppressed"])
        d = float(other["estimate"] - ref["estimate"]) if not hidden else np.nan
        w = float(tests.loc[name, "statistic"])
        se = abs(d) / np.sqrt(w) if not hidden and w > 0 else np.nan
        rows.append(
            {
                "moderator": name,
                "subgroup": other["subgroup"],
                "reference": ref["subgroup"],
                "term": "difference",
                "estimate": d,
                "se": se,
                "ci_low": d - z * se,
                "ci_high": d + z * se,
                "p_val": float(tests.loc[name, "p_val"]) if not hidden else np.nan,
                "n_treated": np.nanmin([ref["n_treated"], other["n_treated"]])
                if not hidden
                else np.nan,
                "warning": "; ".join(w for w in (ref["warning"], other["warning"]) if w),
                "suppressed": hidden,
            }
        )
    if not rows:
        raise NoProcessDataError(
            "no process moderator reached the employment analysis (no treated employee of a "
            "supervisor with process data)"
        )
    return pd.DataFrame(rows)
