"""Checks on parsed tables: constraints, keys, foreign keys and the study's own rules."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mentorwijs.protocol import Protocol
from mentorwijs.studydata.errors import Problem
from mentorwijs.studydata.parse import fmt_value, row_problems
from mentorwijs.studydata.schema import TableSpec, table_specs


def _mask(series: pd.Series) -> np.ndarray:
    """A comparison result as a plain bool array, missing counted as False."""
    return series.fillna(False).to_numpy(dtype=bool)


def _isin(col: pd.Series, values: Any) -> np.ndarray:
    """``col.isin(values)`` as a bool array; Arrow-backed text is compared inside Arrow.

    pandas turns Arrow strings into Python objects to compare them, which costs minutes on a
    national register extract; ``pyarrow.compute.is_in`` does the same in C++.
    """
    if isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        arr = pa.chunked_array(col.array._pa_array)
        ref = pd.Series(values, dtype=col.dtype).dropna().unique()
        found = pc.is_in(arr, value_set=pa.array(list(ref), type=pa.string()))
        return found.to_numpy(zero_copy_only=False).astype(bool) & ~col.isna().to_numpy()
    return _mask(col.isin(values))


def _value_at(col: pd.Series) -> Any:
    """The cell shown in a message, looked up only for the rows that have a problem."""
    return lambda r: fmt_value(col.iloc[r])


def constraint_problems(
    spec: TableSpec, df: pd.DataFrame, invalid: Mapping[str, np.ndarray] | None = None
) -> list[Problem]:
    """Required, enum, minimum, maximum and pattern constraints of every field.

    Cells listed in ``invalid`` (column → positions) did not parse and were reported already.
    """
    out: list[Problem] = []
    key_cols = set(spec.primary_key)
    for f in spec.fields:
        col = df[f.name]
        na = col.isna().to_numpy()
        values = {"value": _value_at(col)}
        if f.required or f.name in key_cols:
            empty = na.copy()
            if invalid and f.name in invalid:
                empty[invalid[f.name]] = False
            out += row_problems("required", spec.name, f.name, np.flatnonzero(empty))
        if f.enum is not None:
            bad = np.flatnonzero(~na & ~_isin(col, f.enum))
            out += row_problems("enum", spec.name, f.name, bad, values, allowed=", ".join(f.enum))
        if f.minimum is not None:
            bad = np.flatnonzero(~na & _mask(col < f.minimum))
            out += row_problems(
                "minimum", spec.name, f.name, bad, values, limit=fmt_value(f.minimum)
            )
        if f.maximum is not None:
            bad = np.flatnonzero(~na & _mask(col > f.maximum))
            out += row_problems(
                "maximum", spec.name, f.name, bad, values, limit=fmt_value(f.maximum)
            )
        if f.pattern is not None:
            ok = col.str.fullmatch(f.pattern).fillna(True).to_numpy(dtype=bool)
            out += row_problems(
                "pattern", spec.name, f.name, np.flatnonzero(~ok), values, pattern=f.pattern
            )
    return out


def _key_text(df: pd.DataFrame, cols: tuple[str, ...], r: int) -> str:
    return "(" + ", ".join(f"{c}={df[c].iloc[r]}" for c in cols) + ")"


def _first_row(df: pd.DataFrame, cols: tuple[str, ...], r: int) -> int:
    """1-based row where the key of position ``r`` occurs first."""
    same = np.ones(len(df), dtype=bool)
    for c in cols:
        same &= _mask(df[c] == df[c].iloc[r])
    return int(np.flatnonzero(same)[0]) + 1


def key_problems(spec: TableSpec, df: pd.DataFrame) -> list[Problem]:
    """Duplicate primary keys, naming the row where the key first occurs."""
    bad = np.flatnonzero(df.duplicated(subset=list(spec.primary_key), keep="first").to_numpy())
    per_row = {
        "key": partial(_key_text, df, spec.primary_key),
        "first": partial(_first_row, df, spec.primary_key),
    }
    return row_problems("duplicate_key", spec.name, ",".join(spec.primary_key), bad, per_row)


def foreign_key_problems(spec: TableSpec, tables: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Foreign keys whose values are not in the referenced table."""
    out: list[Problem] = []
    df = tables[spec.name]
    for fk in spec.foreign_keys:
        ref = tables.get(fk.resource)
        if ref is None:
            continue
        cols = list(fk.fields)
        present = df[cols].notna().all(axis=1).to_numpy()
        if len(cols) == 1:
            found = _isin(df[cols[0]], ref[fk.reference_fields[0]])
        else:
            left = pd.MultiIndex.from_frame(df[cols].astype(object))
            right = pd.MultiIndex.from_frame(ref[list(fk.reference_fields)].astype(object))
            found = left.isin(right)
        out += row_problems(
            "foreign_key",
            spec.name,
            ",".join(cols),
            np.flatnonzero(present & ~found),
            {"key": partial(_key_text, df, fk.fields)},
            resource=fk.resource,
        )
    return out


def study_problems(
    tables: Mapping[str, pd.DataFrame], meta: Mapping[str, Any], protocol: Protocol
) -> list[Problem]:
    """The rules of the study that Table Schema cannot express (the ``x-check`` fields)."""
    out: list[Problem] = []
    inv = tables.get("invitations")
    if inv is not None:
        out += _respondent_problems(inv, tables)
        out += _wave_problems("invitations", inv, protocol)
    resp = tables.get("responses")
    if resp is not None:
        out += _wave_problems("responses", resp, protocol)
        out += _instrument_problems(resp, protocol)
    start, end = meta.get("extract_start"), meta.get("extract_end")
    months = tables.get("register_months")
    if months is not None and isinstance(start, str) and isinstance(end, str):
        m = months["month"]
        out += row_problems(
            "month_outside_extract",
            "register_months",
            "month",
            np.flatnonzero(_mask((m < start) | (m > end))),
            {"value": _value_at(m)},
            start=start,
            end=end,
        )
    persons = tables.get("register_persons")
    if persons is not None:
        treated = _mask(persons["treated"])
        bad = np.flatnonzero(treated & persons["start_month"].isna().to_numpy())
        out += row_problems("treated_without_start", "register_persons", "start_month", bad)
    return out


def _respondent_problems(inv: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> list[Problem]:
    out: list[Problem] = []
    for role, table, key in (
        ("supervisor", "supervisors", "supervisor_id"),
        ("employee", "employees", "employee_id"),
    ):
        if table not in tables:
            continue
        unknown = _mask(inv["role"] == role) & ~_isin(inv["respondent_id"], tables[table][key])
        out += row_problems(
            "unknown_respondent",
            "invitations",
            "respondent_id",
            np.flatnonzero(unknown),
            {"value": _value_at(inv["respondent_id"])},
            resource=table,
        )
    return out


def _wave_problems(table: str, df: pd.DataFrame, protocol: Protocol) -> list[Problem]:
    out: list[Problem] = []
    per_row = {"value": _value_at(df["wave"]), "role": _value_at(df["role"])}
    for role in ("supervisor", "employee"):
        allowed = protocol.waves_for(role)
        bad = _mask(df["role"] == role) & df["wave"].notna().to_numpy()
        bad &= ~_isin(df["wave"], allowed)
        out += row_problems(
            "unknown_wave", table, "wave", np.flatnonzero(bad), per_row, allowed=", ".join(allowed)
        )
    return out


def _instrument_problems(resp: pd.DataFrame, protocol: Protocol) -> list[Problem]:
    out: list[Problem] = []
    per_row = {c: _value_at(resp[c]) for c in ("role", "wave")}
    per_row["value"] = _value_at(resp["instrument"])
    items = resp["item"].to_numpy()
    values = resp["value"].to_numpy()
    combos = resp[["role", "wave", "instrument"]].drop_duplicates().dropna()
    for role, wave, code in combos.itertuples(index=False):
        allowed = [
            c for c, ins in protocol.instruments.items() if ins.role == role and wave in ins.waves
        ]
        mask = _mask((resp["role"] == role) & (resp["wave"] == wave) & (resp["instrument"] == code))
        if code not in allowed:
            out += row_problems(
                "unknown_instrument",
                "responses",
                "instrument",
                np.flatnonzero(mask),
                per_row,
                allowed=", ".join(allowed) or "-",
            )
            continue
        ins = protocol.instruments[code]
        known = _isin(resp["item"], [it.code for it in ins.items])
        out += row_problems(
            "unknown_item",
            "responses",
            "item",
            np.flatnonzero(mask & ~known),
            {"value": items},
            instrument=code,
        )
        for it in ins.items:
            rng = protocol.item_range(code, it.code)
            if rng is None:
                continue
            sel = mask & _mask(resp["item"] == it.code)  # a missing item is no match
            v = np.where(sel, values, np.nan)
            bad = np.flatnonzero(sel & ~np.isnan(v) & ((v < rng[0]) | (v > rng[1])))
            out += row_problems(
                "value_out_of_range",
                "responses",
                "value",
                bad,
                {"value": values},
                item=it.code,
                low=fmt_value(rng[0]),
                high=fmt_value(rng[1]),
            )
    return out


def all_table_problems(
    tables: Mapping[str, pd.DataFrame], invalid: Mapping[str, Mapping[str, np.ndarray]]
) -> list[Problem]:
    """Constraint, key and foreign-key problems of every table present."""
    out: list[Problem] = []
    specs = table_specs()
    for name, df in tables.items():
        spec = specs[name]
        out += constraint_problems(spec, df, invalid.get(name))
        out += key_problems(spec, df)
        out += foreign_key_problems(spec, tables)
    return out
