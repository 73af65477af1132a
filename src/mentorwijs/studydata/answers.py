"""The questionnaire answers as one analysable table with its variables, long or wide.

The long ``responses`` table of a study data package holds one row per answer. Researchers
want one row per respondent and wave (long) or per respondent (wide), with the question as
the variable label and the answer scale as value labels. :func:`answers_table` builds that
table and the description of each variable (:mod:`~mentorwijs.studydata.answer_variables`);
:mod:`~mentorwijs.studydata.answers_files` writes it as CSV, SPSS or Stata with a codebook.
See ``docs/answers.md``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentorwijs.protocol import Protocol, load_protocol
from mentorwijs.studydata.answer_variables import (
    KEY,
    ROLE_ORDER,
    TEXT_TYPES,
    Shape,
    Variable,
    answer_variables,
    check_options,
)
from mentorwijs.studydata.errors import NoAnswersError, UnexportableAnswerError
from mentorwijs.studydata.package import StudyPackage

__all__ = ["AnswersTable", "Variable", "answer_variables", "answers_table"]


@dataclass(frozen=True)
class AnswersTable:
    """The answers as one table plus its variables, in the order of the columns.

    Attributes
    ----------
    data
        One row per respondent × wave (long) or per respondent (wide). Numbers as
        ``float64`` with NaN for missing, text as ``object`` with None for missing, dates as
        ``datetime64[s]``, completion times as UTC ``datetime64[s, UTC]``.
    variables
        One :class:`Variable` per column of ``data``, in the same order.
    shape, lang
        ``long`` or ``wide``; the language of the labels.
    protocol_version
        Version of the protocol the labels come from.
    excluded
        Respondents (role × pseudonym) left out because they were in ``exclude``.
    """

    data: pd.DataFrame
    variables: tuple[Variable, ...]
    shape: Shape
    lang: str
    protocol_version: str
    excluded: int = 0
    meta: dict[str, object] = field(default_factory=dict)


# --- the data -------------------------------------------------------------------------------


def _without(df: pd.DataFrame, drop: set[tuple[str, str]]) -> pd.DataFrame:
    if not drop or df.empty:
        return df
    pairs = pd.Series(list(zip(df["role"], df["respondent_id"], strict=True)), index=df.index)
    return df[~pairs.isin(drop)]


def _where(row: pd.Series) -> str:
    return (
        f"responses: {row['role']} {row['respondent_id']}, {row['wave']}, "
        f"{row['instrument']}.{row['item']}"
    )


def _sorted_keys(frames: list[pd.DataFrame], protocol: Protocol) -> pd.MultiIndex:
    keys = pd.concat([f[KEY].astype(object) for f in frames], ignore_index=True)
    keys = keys.drop_duplicates()
    wave_order = {w: i for i, w in enumerate(protocol.waves)}
    keys = keys.assign(
        _r=keys["role"].map(lambda r: ROLE_ORDER.get(r, 9)),
        _w=keys["wave"].map(lambda w: wave_order.get(w, len(wave_order))),
    ).sort_values(["_r", "respondent_id", "_w", "wave"], kind="stable")
    return pd.MultiIndex.from_frame(keys[KEY])


def _choices(text: pd.Series, allowed: set[int], rows: pd.DataFrame) -> list[set[int] | None]:
    """Parse ``"1;3"`` into {1, 3}; None for a missing answer; an unknown choice is an error."""
    out: list[set[int] | None] = []
    for pos, raw in enumerate(text.tolist()):
        if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
            out.append(None)
            continue
        chosen: set[int] = set()
        for token in str(raw).split(";"):
            token = token.strip()
            if not token:
                continue
            value = int(token) if token.lstrip("-").isdigit() else None
            if value is None or value not in allowed:
                raise UnexportableAnswerError(
                    _where(rows.iloc[pos]),
                    f"choice {token!r} is not an option of the item ({sorted(allowed)})",
                    f"keuze {token!r} is geen optie van het item ({sorted(allowed)})",
                )
            chosen.add(value)
        out.append(chosen)
    return out


def _dates(text: pd.Series, rows: pd.DataFrame) -> pd.Series:
    parsed = pd.to_datetime(text.astype(object), format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & text.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise UnexportableAnswerError(
            _where(rows.iloc[pos]),
            f"{text.iloc[pos]!r} is not a date YYYY-MM-DD",
            f"{text.iloc[pos]!r} is geen datum JJJJ-MM-DD",
        )
    return parsed.astype("datetime64[s]")


def _long_data(
    inv: pd.DataFrame, resp: pd.DataFrame, protocol: Protocol, variables: list[Variable]
) -> pd.DataFrame:
    index = _sorted_keys([inv, resp], protocol)
    columns: dict[str, pd.Series] = {}
    completed = inv.drop_duplicates(KEY).set_index(KEY)["completed_at"]
    by_item: dict[tuple[str, str], list[Variable]] = {}
    for v in variables:
        if v.item is not None:
            by_item.setdefault((str(v.instrument), v.item), []).append(v)
    dup = resp.duplicated([*KEY, "instrument", "item"])
    if dup.any():
        raise UnexportableAnswerError(
            _where(resp[dup].iloc[0]),
            "the item is answered twice",
            "het item is twee keer beantwoord",
        )
    data: dict[tuple[str, str], pd.DataFrame] = {}
    for (ins, item), rows in resp.groupby(["instrument", "item"], sort=False, observed=True):
        if (str(ins), str(item)) not in by_item:
            raise UnexportableAnswerError(
                _where(rows.iloc[0]),
                "the protocol has no such item with an answer",
                "het protocol heeft geen item met een antwoord met deze naam",
            )
        data[(str(ins), str(item))] = rows
    for v in variables:
        if v.name == "completed_at":
            columns[v.name] = completed.reindex(index)
            continue
        if v.kind == "id" or v.kind == "score":
            continue
        rows = data.get((str(v.instrument), str(v.item)))
        if rows is None:
            columns[v.name] = _typed(pd.Series(None, index=index, dtype=object), v.kind)
            continue
        at = pd.MultiIndex.from_frame(rows[KEY].astype(object))
        if v.kind in ("choice", "integer", "number"):
            col = pd.Series(rows["value"].to_numpy(dtype="float64"), index=at)
        elif v.kind in TEXT_TYPES:
            text = rows["text"].astype(object)
            col = pd.Series(text.where(text.notna(), None).to_numpy(), index=at, dtype=object)
        elif v.kind == "date":
            col = pd.Series(_dates(rows["text"], rows).to_numpy(), index=at)
        else:  # one option of a multi-select item
            allowed = {int(o) for o, _, _ in _options(protocol, v)}
            chosen = _choices(rows["text"], allowed, rows)
            col = pd.Series(
                [np.nan if c is None else float(v.option in c) for c in chosen],
                index=at,
                dtype="float64",
            )
        columns[v.name] = col.reindex(index)
    frame = pd.DataFrame(columns, index=index)
    _add_scores(frame, protocol, variables)
    frame = frame.reset_index()
    return pd.DataFrame({v.name: _typed(frame[v.name], v.kind) for v in variables})


def _options(protocol: Protocol, v: Variable) -> list[tuple[int, str, str]]:
    item = protocol.instruments[str(v.instrument)].item(str(v.item))
    scale = protocol.answer_scales[str(item.answer_scale)]
    return [(o.value, o.label.nl, o.label.en) for o in scale.options]


def _add_scores(frame: pd.DataFrame, protocol: Protocol, variables: list[Variable]) -> None:
    """Scale scores: the mean of the answered items, reverse-coded as ``low + high - x``,
    when at least ``min_items`` are answered; else missing."""
    column = {(v.instrument, v.item): v.name for v in variables if v.kind == "choice"}
    for v in variables:
        if v.kind != "score":
            continue
        ins = protocol.instruments[str(v.instrument)]
        scale = next(sc for sc in ins.scales if sc.code == v.scales[0][0])
        parts = []
        for code in scale.items:
            item = ins.item(code)
            x = frame[column[(v.instrument, code)]].astype("float64")
            if item.reverse:
                values = protocol.answer_scales[str(item.answer_scale)].values
                x = min(values) + max(values) - x
            parts.append(x)
        items = pd.concat(parts, axis=1)
        answered = items.notna().sum(axis=1)
        frame[v.name] = items.mean(axis=1).where(answered >= scale.min_items)


def _source(v: Variable) -> tuple[object, ...]:
    return (v.kind, v.instrument, v.item, v.option, v.scales if v.kind == "score" else ())


def _wide_data(
    long: pd.DataFrame, long_vars: list[Variable], wide_vars: list[Variable]
) -> pd.DataFrame:
    source = {_source(v): v.name for v in long_vars}
    cols = [v.name for v in long_vars if v.name not in KEY]
    stacked = long.set_index(KEY)[cols].unstack("wave")
    out = {}
    for v in wide_vars:
        if v.wave is None:
            continue
        key = (source[_source(v)], v.wave)
        if key in stacked.columns:
            out[v.name] = stacked[key]
        else:
            out[v.name] = pd.Series(None, index=stacked.index, dtype=object)
    order = long.drop_duplicates(["role", "respondent_id"])[["role", "respondent_id"]]
    frame = pd.DataFrame(out, index=stacked.index).reindex(pd.MultiIndex.from_frame(order))
    frame = frame.reset_index()
    return pd.DataFrame({v.name: _typed(frame[v.name], v.kind) for v in wide_vars})


def _typed(col: pd.Series, kind: str) -> pd.Series:
    """The column in the dtype of its kind (see :class:`AnswersTable`)."""
    if kind == "datetime":
        return pd.to_datetime(col, utc=True).astype("datetime64[s, UTC]")
    if kind == "date":
        return pd.to_datetime(col).astype("datetime64[s]")
    if kind in TEXT_TYPES or kind == "id":
        return col.astype(object).where(col.notna(), None)
    return pd.to_numeric(col).astype("float64")


def answers_table(
    package: StudyPackage,
    *,
    protocol: Protocol | None = None,
    wide: bool = False,
    lang: str = "nl",
    exclude: Collection[tuple[str, str]] = (),
) -> AnswersTable:
    """The answers of a study data package as one table with labelled variables.

    Parameters
    ----------
    package
        A study data package with at least the ``invitations`` and ``responses`` tables.
        Its identifiers are pseudonyms; nothing else about a respondent is exported.
    protocol
        The protocol whose questions and answer scales label the variables; the shipped
        one by default.
    wide
        One row per respondent with ``<item>_<wave>`` variables, instead of one row per
        respondent × wave (long).
    lang
        Language of the labels: ``"nl"`` (default) or ``"en"``.
    exclude
        ``(role, respondent_id)`` pairs to leave out altogether, e.g. respondents who
        withdrew their consent after the package was made. The site's package export
        already leaves out those who withdrew before it.

    Returns
    -------
    AnswersTable
        Long: one row per respondent × wave that was invited or answered, ordered by role
        (supervisors first), pseudonym and wave. Wide: one row per respondent. Answers
        that are missing (skipped, not shown, wave not completed) are missing (NaN/None),
        never 0; a multi-select option is 1 when chosen and 0 when not, missing when the
        item was not answered.

    Raises
    ------
    NoAnswersError
        No answers are left to export.
    UnexportableAnswerError
        An answer to an item the protocol lacks, an unknown choice or a malformed date.
    UnknownExportFormatError
        ``lang`` is not ``nl`` or ``en``.
    """
    check_options(lang=lang)
    protocol = protocol or load_protocol()
    drop = {(str(r), str(i)) for r, i in exclude}
    inv_all, resp_all = package["invitations"], package["responses"]
    inv, resp = _without(inv_all, drop), _without(resp_all, drop)
    present = set(zip(inv_all["role"], inv_all["respondent_id"], strict=True)) | set(
        zip(resp_all["role"], resp_all["respondent_id"], strict=True)
    )
    if resp.empty:
        raise NoAnswersError()
    long_vars = answer_variables(protocol, shape="long")
    data = _long_data(inv, resp, protocol, long_vars)
    variables = long_vars
    if wide:
        variables = answer_variables(protocol, shape="wide")
        data = _wide_data(data, long_vars, variables)
    return AnswersTable(
        data=data,
        variables=tuple(variables),
        shape="wide" if wide else "long",
        lang=lang,
        protocol_version=protocol.version,
        excluded=len(present & drop),
        meta=dict(package.meta),
    )
