"""Scale scores (with the missing-item rule) and their reliability: alpha, omega, item-rest r.

Reverse items are recoded as the protocol says before anything is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import (
    InvalidItemValueError,
    InvalidMinItemsError,
    NoRespondentsError,
    TooFewItemsError,
    UnknownInstrumentError,
)
from mentorwijs.evaluation.reliability import cronbach_alpha, feldt_ci, omega_total
from mentorwijs.protocol import Instrument, Protocol, load_protocol


def _instrument(protocol: Protocol | None, instrument: str) -> tuple[Protocol, Instrument]:
    protocol = protocol or load_protocol()
    if instrument not in protocol.instruments:
        raise UnknownInstrumentError(
            f"instrument {instrument!r} is not in protocol {protocol.version}: "
            f"choose one of {sorted(protocol.instruments)}"
        )
    ins = protocol.instruments[instrument]
    if not ins.scales:
        with_scales = sorted(c for c, i in protocol.instruments.items() if i.scales)
        raise UnknownInstrumentError(
            f"instrument {instrument!r} has no scales: choose one of {with_scales}"
        )
    return protocol, ins


def _coded_items(
    responses: pd.DataFrame, protocol: Protocol, instrument: str
) -> tuple[pd.DataFrame, dict[str, tuple[float, float]]]:
    """Wide item table (index respondent_id × wave, one column per scale item), reverse-coded.

    Returns the table and each item's (min, max) of its answer scale.
    """
    ins = protocol.instruments[instrument]
    codes = list(dict.fromkeys(c for sc in ins.scales for c in sc.items))
    r = responses.loc[
        (responses["instrument"] == instrument) & (responses["role"] == ins.role),
        ["respondent_id", "wave", "item", "value"],
    ]
    if r.empty:
        raise NoRespondentsError(
            f"no {ins.role} answers to instrument {instrument!r}: check the responses table"
        )
    r = r[r["item"].isin(codes)]
    dup = r.duplicated(["respondent_id", "wave", "item"])
    if dup.any():
        first = r[dup].iloc[0]
        raise InvalidItemValueError(
            f"{int(dup.sum())} answers to {instrument!r} occur twice (first: respondent "
            f"{first['respondent_id']}, wave {first['wave']}, item {first['item']}): keep one "
            "answer per respondent, wave and item (run `mentorwijs validate`)"
        )
    r = r.assign(value=pd.to_numeric(r["value"]).astype(float))
    wide = r.pivot(index=["respondent_id", "wave"], columns="item", values="value")
    wide = wide.reindex(columns=codes).astype(float)
    ranges: dict[str, tuple[float, float]] = {}
    for code in codes:
        item = ins.item(code)
        if item.answer_scale is None:
            raise InvalidItemValueError(f"scale item {instrument}.{code} has no answer scale")
        allowed = np.asarray(protocol.answer_scales[item.answer_scale].values, dtype=float)
        lo, hi = float(allowed.min()), float(allowed.max())
        col = wide[code]
        bad = col.notna() & ~col.isin(allowed)
        if bad.any():
            raise InvalidItemValueError(
                f"{int(bad.sum())} answers to {instrument}.{code} are not in answer scale "
                f"{item.answer_scale} {sorted(allowed.tolist())} (e.g. {col[bad].iloc[0]}): "
                "fix or blank them (run `mentorwijs validate`)"
            )
        if item.reverse:
            wide[code] = lo + hi - col
        ranges[code] = (lo, hi)
    order = {w: f"{i:03d}" for i, w in enumerate(ins.waves)}  # unknown waves sort last

    def key(idx: pd.Index) -> pd.Index:
        return idx.map(lambda w: order.get(w, f"999{w}")) if idx.name == "wave" else idx

    return wide.sort_index(level=["wave", "respondent_id"], key=key), ranges


def score_scales(
    responses: pd.DataFrame,
    *,
    instrument: str,
    protocol: Protocol | None = None,
    min_items: int | Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Scale scores per respondent and wave, with the protocol's missing-item rule.

    Parameters
    ----------
    responses
        The long ``responses`` table of a study data package.
    instrument
        Instrument code, e.g. ``"sv_outcomes"``.
    protocol
        The study protocol; ``None`` loads the shipped one.
    min_items
        Fewest answered items for a score: one number for every scale, a mapping scale →
        number, or ``None`` for each scale's ``min_items`` in the protocol.

    Returns
    -------
    DataFrame
        One row per respondent × wave × scale (by scale, wave, respondent): ``respondent_id``,
        ``wave``, ``scale``, ``score``, ``n_items`` (items of the scale), ``n_answered``.
        ``score`` is NaN when fewer than ``min_items`` items were answered.

    Notes
    -----
    Reverse items are recoded :math:`x \\to \\min + \\max - x` of their answer scale. With
    :math:`A_i` the items respondent :math:`i` answered and :math:`m` the scale's minimum,

    .. math:: s_i = \\frac{1}{|A_i|} \\sum_{j \\in A_i} x_{ij} \\quad \\text{if } |A_i| \\ge m,
              \\text{ else missing.}

    This prorated mean equals the mean after replacing each missing item by the person's
    own mean of the answered items (person-mean imputation, the "half rule" when
    :math:`m = \\lceil k/2 \\rceil`); it is unbiased when items are roughly exchangeable and
    few are missing (Schafer & Graham 2002; Mazza et al. 2015).

    References
    ----------
    .. [1] Schafer JL, Graham JW (2002). Psychological Methods 7(2), 147-177.
    .. [2] Mazza GL, Enders CK, Ruehlman LS (2015). Multivariate Behavioral Research 50(5),
       504-519.
    """
    protocol, ins = _instrument(protocol, instrument)
    wide, _ = _coded_items(responses, protocol, instrument)
    return _scores(wide, ins, min_items)


def _scores(
    wide: pd.DataFrame, ins: Instrument, min_items: int | Mapping[str, int] | None
) -> pd.DataFrame:
    parts = []
    for sc in ins.scales:
        if min_items is None:
            need = sc.min_items
        elif isinstance(min_items, Mapping):
            need = int(min_items.get(sc.code, sc.min_items))
        else:
            need = int(min_items)
        if not 1 <= need <= len(sc.items):
            raise InvalidMinItemsError(
                f"min_items={need} for scale {sc.code!r} with {len(sc.items)} items: "
                f"give a number from 1 to {len(sc.items)}"
            )
        sub = wide[list(sc.items)]
        answered = sub.notna().sum(axis=1)
        score = sub.mean(axis=1).where(answered >= need)
        parts.append(
            pd.DataFrame(
                {
                    "respondent_id": wide.index.get_level_values("respondent_id"),
                    "wave": wide.index.get_level_values("wave"),
                    "scale": sc.code,
                    "score": score.to_numpy(dtype=float),
                    "n_items": len(sc.items),
                    "n_answered": answered.to_numpy(dtype=int),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _complete(wide: pd.DataFrame, codes: list[str]) -> dict[str, np.ndarray]:
    """Wave → complete-case item matrix of ``codes``."""
    sub = wide[codes].dropna()
    waves = sub.index.get_level_values("wave")
    return {str(w): sub[waves == w].to_numpy() for w in dict.fromkeys(waves)}


def scale_reliability(
    responses: pd.DataFrame,
    *,
    instrument: str,
    protocol: Protocol | None = None,
    level: float = 0.95,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Internal consistency and score distribution per scale and wave.

    Parameters
    ----------
    responses
        The long ``responses`` table.
    instrument
        Instrument code.
    protocol
        The study protocol; ``None`` loads the shipped one.
    level
        Confidence level of the alpha interval.
    min_count
        Disclosure threshold (:func:`~mentorwijs.evaluation.disclosure.suppress_small_cells`).

    Returns
    -------
    DataFrame
        One row per scale × wave: ``scale``, ``wave``, ``n`` (complete cases: all items
        answered), ``n_items``, ``alpha``, ``alpha_ci_low``, ``alpha_ci_high`` (Feldt),
        ``omega`` (omega total; NaN for 2-item scales), all on the ``n`` complete cases;
        ``n_scored`` (scores under the missing-item rule of :func:`score_scales`),
        ``mean``, ``sd``, ``floor_share``, ``ceiling_share`` (share of scores at the lowest
        / highest possible value), on the ``n_scored`` scores; ``suppressed`` (``n`` or
        ``n_scored`` below ``min_count``: all statistics blanked).

    Notes
    -----
    Formulas and references: :func:`cronbach_alpha`, :func:`feldt_ci`, :func:`omega_total`.
    Raises :class:`TooFewItemsError` for a scale of fewer than 2 items.
    """
    protocol, ins = _instrument(protocol, instrument)
    for sc in ins.scales:
        if len(sc.items) < 2:
            raise TooFewItemsError(
                f"scale {instrument}.{sc.code} has {len(sc.items)} item: reliability needs "
                "at least 2; leave the scale out or add items in the protocol"
            )
    wide, ranges = _coded_items(responses, protocol, instrument)
    scores = _scores(wide, ins, None)
    rows = []
    for sc in ins.scales:
        codes = list(sc.items)
        complete = _complete(wide, codes)
        lo = np.array([ranges[c][0] for c in codes])
        hi = np.array([ranges[c][1] for c in codes])
        sub = wide[codes]
        at_floor = ((sub == lo) | sub.isna()).all(axis=1).to_numpy()
        at_ceiling = ((sub == hi) | sub.isna()).all(axis=1).to_numpy()
        mine = scores[scores["scale"] == sc.code]
        for w in dict.fromkeys(mine["wave"]):
            in_wave = (mine["wave"] == w).to_numpy()
            s = mine.loc[in_wave, "score"].to_numpy()
            ok = ~np.isnan(s)
            x = complete.get(str(w), np.empty((0, len(codes))))
            n = len(x)
            alpha = cronbach_alpha(x) if n >= 2 else np.nan
            omega = omega_total(x) if n >= 2 and len(codes) >= 3 else np.nan
            low, high = feldt_ci(alpha, n=n, k=len(codes), level=level)
            rows.append(
                {
                    "scale": sc.code,
                    "wave": w,
                    "n": n,
                    "n_items": len(codes),
                    "alpha": alpha,
                    "alpha_ci_low": low,
                    "alpha_ci_high": high,
                    "omega": omega,
                    "n_scored": int(ok.sum()),
                    "mean": s[ok].mean() if ok.any() else np.nan,
                    "sd": s[ok].std(ddof=1) if ok.sum() >= 2 else np.nan,
                    "floor_share": at_floor[in_wave][ok].mean() if ok.any() else np.nan,
                    "ceiling_share": at_ceiling[in_wave][ok].mean() if ok.any() else np.nan,
                }
            )
    columns = ["scale", "wave", "n", "n_items", "alpha", "alpha_ci_low", "alpha_ci_high"]
    columns += ["omega", "n_scored", "mean", "sd", "floor_share", "ceiling_share"]
    table = pd.DataFrame(rows, columns=columns)
    stat_cols = [c for c in columns if c not in ("scale", "wave", "n", "n_items", "n_scored")]
    return suppress_small_cells(
        table, count_cols=["n", "n_scored"], stat_cols=stat_cols, min_count=min_count
    )


def item_rest_correlations(
    responses: pd.DataFrame,
    *,
    instrument: str,
    protocol: Protocol | None = None,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Corrected item-total correlation of every scale item, per wave.

    Parameters
    ----------
    responses, instrument, protocol, min_count
        As in :func:`scale_reliability`.

    Returns
    -------
    DataFrame
        ``scale``, ``wave``, ``item``, ``n`` (complete cases of the scale),
        ``item_rest_r``, ``suppressed``. NaN where the item or the rest score does not vary.

    Notes
    -----
    :math:`r_{j,\\text{rest}} = \\operatorname{cor}(x_j, \\sum_{l \\ne j} x_l)` on the
    reverse-coded complete cases (``r.drop`` in R's ``psych::alpha``); it does not count
    the item's own variance towards the total, as the uncorrected item-total r does.

    References
    ----------
    .. [1] Nunnally JC, Bernstein IH (1994). Psychometric Theory, 3rd ed. McGraw-Hill.
    """
    protocol, ins = _instrument(protocol, instrument)
    wide, _ = _coded_items(responses, protocol, instrument)
    rows = []
    for sc in ins.scales:
        codes = list(sc.items)
        for w, x in _complete(wide, codes).items():
            for j, code in enumerate(codes):
                item, rest = x[:, j], np.delete(x, j, axis=1).sum(axis=1)
                r = np.nan
                if len(x) >= 2 and item.std() > 0 and rest.std() > 0:
                    r = float(np.corrcoef(item, rest)[0, 1])
                rows.append(
                    {"scale": sc.code, "wave": w, "item": code, "n": len(x), "item_rest_r": r}
                )
    table = pd.DataFrame(rows, columns=["scale", "wave", "item", "n", "item_rest_r"])
    return suppress_small_cells(
        table, count_cols=["n"], stat_cols=["item_rest_r"], min_count=min_count
    )
