"""Turn raw table files into canonical DataFrames, reporting every cell that does not parse."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from mentorwijs.studydata.errors import Problem
from mentorwijs.studydata.messages import TYPE_NAMES, problem
from mentorwijs.studydata.schema import DTYPES, STRING, Field, TableSpec

#: At most this many rows are listed for one kind of problem in one column.
MAX_ROWS_PER_PROBLEM = 10
TRUE_VALUES = frozenset({"true", "True", "TRUE", "1"})
FALSE_VALUES = frozenset({"false", "False", "FALSE", "0"})
YEARMONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


PerRow = Mapping[str, Any]


def fmt_value(v: object) -> str:
    """Show a cell value as a person would write it (7 rather than 7.0)."""
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v)


def row_problems(
    code: str,
    table: str,
    column: str | None,
    rows: np.ndarray,
    per_row: PerRow | None = None,
    **fixed: object,
) -> list[Problem]:
    """Problems for the 0-based positions ``rows``, capped with a "… and N more" line.

    ``per_row`` gives message arguments that differ by row: an array indexed by position, or
    a function of the position. ``fixed`` gives the arguments shared by all rows.
    """
    out = []
    for r in rows[:MAX_ROWS_PER_PROBLEM]:
        kw = dict(fixed)
        for key, source in (per_row or {}).items():
            kw[key] = source(int(r)) if callable(source) else fmt_value(source[int(r)])
        out.append(problem(code, table, row=int(r) + 1, column=column, **kw))
    if len(rows) > MAX_ROWS_PER_PROBLEM:
        out.append(
            problem("more_rows", table, column=column, count=len(rows) - MAX_ROWS_PER_PROBLEM)
        )
    return out


def _parse_text_column(f: Field, raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse one CSV column of text; return the canonical column and the bad positions."""
    present = (raw != "").to_numpy()
    t = f.type
    if t == "string":
        return raw.where(present, None).astype(STRING), np.array([], dtype=np.int64)
    if t == "yearmonth":
        ok = raw.str.fullmatch(YEARMONTH.pattern).to_numpy(dtype=bool)
        bad = np.flatnonzero(present & ~ok)
        return raw.where(present & ok, None).astype(STRING), bad
    if t in ("integer", "number"):
        num = pd.to_numeric(raw.where(present, None), errors="coerce").astype("float64")
        vals = num.to_numpy()
        ok = np.isfinite(vals)
        if t == "integer":
            ok &= np.equal(np.floor(np.where(ok, vals, 0)), np.where(ok, vals, 0))
        bad = np.flatnonzero(present & ~ok)
        if t == "integer":
            col = pd.Series(np.where(ok, vals, np.nan)).astype("Float64").astype(pd.Int64Dtype())
            col = col.where(ok, pd.NA)
            return col, bad
        return pd.Series(np.where(ok, vals, np.nan), dtype="float64"), bad
    if t == "boolean":
        is_true = raw.isin(TRUE_VALUES).to_numpy()
        is_false = raw.isin(FALSE_VALUES).to_numpy()
        bad = np.flatnonzero(present & ~is_true & ~is_false)
        arr = pd.array(is_true, dtype=pd.BooleanDtype())
        arr[~(is_true | is_false)] = pd.NA
        return pd.Series(arr), bad
    if t == "date":
        parsed = pd.to_datetime(raw.where(present, None), format="%Y-%m-%d", errors="coerce")
        bad = np.flatnonzero(present & parsed.isna().to_numpy())
        return parsed.astype("datetime64[s]"), bad
    if t == "datetime":
        parsed = pd.to_datetime(
            raw.where(present, None), format="ISO8601", utc=True, errors="coerce"
        )
        bad = np.flatnonzero(present & parsed.isna().to_numpy())
        return parsed.astype(DTYPES["datetime"]), bad
    raise ValueError(f"unsupported field type {t}")  # pragma: no cover - schema is fixed


Parsed = tuple[pd.DataFrame | None, list[Problem], dict[str, np.ndarray]]


def parse_csv(spec: TableSpec, path: Path) -> Parsed:
    """Read a CSV table.

    Returns the canonical frame (None if unusable), the problems, and per column the
    positions of cells that did not parse (so they are not reported again as missing).
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        return None, [problem("unreadable_table", spec.name, detail=str(exc).strip())], {}
    return _columns_then_cells(spec, raw, _parse_text_column)


def _columns_then_cells(
    spec: TableSpec,
    raw: pd.DataFrame,
    parse_column: Callable[[Field, pd.Series], tuple[pd.Series, np.ndarray]],
) -> Parsed:
    problems: list[Problem] = []
    invalid: dict[str, np.ndarray] = {}
    for c in raw.columns:
        if c not in spec.columns:
            problems.append(problem("unknown_column", spec.name, column=str(c)))
    missing = [c for c in spec.columns if c not in raw.columns]
    problems += [problem("missing_column", spec.name, column=c) for c in missing]
    if missing:
        return None, problems, invalid
    out: dict[str, pd.Series] = {}
    for f in spec.fields:
        col, bad = parse_column(f, raw[f.name].reset_index(drop=True))
        out[f.name] = col
        if len(bad):
            invalid[f.name] = bad
            nl, en = TYPE_NAMES[f.type]
            problems += row_problems(
                "wrong_type",
                spec.name,
                f.name,
                bad,
                {"value": raw[f.name].to_numpy()},
                type_nl=nl,
                type_en=en,
            )
    return pd.DataFrame(out), problems, invalid


_ARROW_OK: dict[str, Callable[[pa.DataType], bool]] = {
    "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "yearmonth": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "integer": pa.types.is_integer,
    "number": lambda t: pa.types.is_integer(t) or pa.types.is_floating(t),
    "boolean": pa.types.is_boolean,
    "date": lambda t: pa.types.is_date(t) or pa.types.is_timestamp(t),
    "datetime": pa.types.is_timestamp,
}


def _arrow_column(f: Field, arr: pa.ChunkedArray) -> pd.Series:
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if f.type in ("string", "yearmonth"):
        return pd.Series(arr.to_pandas(types_mapper={arr.type: STRING}.get)).astype(STRING)
    if f.type == "integer":
        return pd.Series(arr.to_pandas(types_mapper={arr.type: pd.Int64Dtype()}.get)).astype(
            pd.Int64Dtype()
        )
    if f.type == "boolean":
        return pd.Series(arr.to_pandas(types_mapper={arr.type: pd.BooleanDtype()}.get))
    if f.type == "number":
        return pd.Series(arr.to_pandas()).astype("float64")
    if f.type == "date":
        return pd.Series(pd.to_datetime(arr.to_pandas())).astype("datetime64[s]")
    return pd.Series(pd.to_datetime(arr.to_pandas(), utc=True)).astype(DTYPES["datetime"])


def parse_parquet(spec: TableSpec, path: Path) -> Parsed:
    """Read a Parquet table, checking the column types instead of every cell."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        return None, [problem("unreadable_table", spec.name, detail=str(exc).strip())], {}
    problems: list[Problem] = []
    invalid: dict[str, np.ndarray] = {}
    names = table.column_names
    problems += [
        problem("unknown_column", spec.name, column=c) for c in names if c not in spec.columns
    ]
    missing = [c for c in spec.columns if c not in names]
    problems += [problem("missing_column", spec.name, column=c) for c in missing]
    if missing:
        return None, problems, invalid
    out: dict[str, pd.Series] = {}
    for f in spec.fields:
        arr = table.column(f.name)
        value_type = arr.type.value_type if pa.types.is_dictionary(arr.type) else arr.type
        if not (_ARROW_OK[f.type](value_type) or pa.types.is_null(value_type)):
            nl, en = TYPE_NAMES[f.type]
            problems.append(
                problem(
                    "wrong_column_type",
                    spec.name,
                    column=f.name,
                    found=str(value_type),
                    type_nl=nl,
                    type_en=en,
                )
            )
            continue
        out[f.name] = _arrow_column(f, arr)
    if len(out) < len(spec.fields):
        return None, problems, invalid
    frame = pd.DataFrame(out)
    if "yearmonth" in {f.type for f in spec.fields}:
        for f in spec.fields:
            if f.type != "yearmonth":
                continue
            col = frame[f.name]
            ok = col.isna() | col.str.fullmatch(YEARMONTH.pattern).fillna(False).astype(bool)
            bad = np.flatnonzero(~ok.to_numpy(dtype=bool))
            if len(bad):
                invalid[f.name] = bad
            nl, en = TYPE_NAMES[f.type]
            problems += row_problems(
                "wrong_type",
                spec.name,
                f.name,
                bad,
                {"value": col.to_numpy()},
                type_nl=nl,
                type_en=en,
            )
            frame[f.name] = col.where(ok, None)
    return frame, problems, invalid
