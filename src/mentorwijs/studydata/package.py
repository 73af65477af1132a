"""Write, read and validate a study data package folder."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from mentorwijs.protocol import Protocol, load_protocol
from mentorwijs.studydata.checks import all_table_problems, study_problems
from mentorwijs.studydata.errors import InvalidStudyPackageError, Problem
from mentorwijs.studydata.messages import problem
from mentorwijs.studydata.parse import parse_csv, parse_parquet
from mentorwijs.studydata.schema import (
    OPTIONAL_TABLES,
    TABLE_NAMES,
    coerce_table,
    empty_table,
    raw_schemas,
    table_specs,
)

DESCRIPTOR = "datapackage.json"
REQUIRED_META = ("extract_start", "extract_end")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class StudyPackage:
    """A study data package in memory: canonical tables plus the descriptor's metadata."""

    tables: dict[str, pd.DataFrame]
    meta: dict[str, Any]
    path: Path | None = field(default=None)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _arrow_type(ftype: str) -> pa.DataType:
    return {
        "string": pa.string(),
        "yearmonth": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("s", tz="UTC"),
    }[ftype]


def _csv_text(name: str, df: pd.DataFrame) -> pd.DataFrame:
    spec = table_specs()[name]
    out = {}
    for f in spec.fields:
        col = df[f.name]
        if f.type == "boolean":
            text = col.map({True: "true", False: "false"}).astype(object)
        elif f.type == "date":
            text = col.dt.strftime("%Y-%m-%d").astype(object)
        elif f.type == "datetime":
            text = col.dt.strftime("%Y-%m-%dT%H:%M:%SZ").astype(object)
        elif f.type == "number":
            text = col.astype(object).map(repr)
        else:
            text = col.astype(object).map(str)
        out[f.name] = text.where(col.notna(), "")
    return pd.DataFrame(out, columns=spec.columns)


def _write_table(out: Path, name: str, df: pd.DataFrame, fmt: str) -> str:
    spec = table_specs()[name]
    if fmt == "parquet":
        path = f"{name}.parquet"
        schema = pa.schema([pa.field(f.name, _arrow_type(f.type)) for f in spec.fields])
        frame = df.copy()
        for f in spec.fields:
            if f.type == "date":
                frame[f.name] = frame[f.name].dt.date
        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        table = table.replace_schema_metadata(None)
        pq.write_table(table, out / path, compression="zstd")
    else:
        path = f"{name}.csv"
        _csv_text(name, df).to_csv(out / path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def write_package(
    out: Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    meta: Mapping[str, Any],
    parquet: Collection[str] = (),
) -> Path:
    """Write a study data package folder.

    Parameters
    ----------
    out
        Folder to write into (created if needed; files of the same name are replaced).
    tables
        Table name → DataFrame. Tables left out are written empty. Frames are cast with
        :func:`~mentorwijs.studydata.schema.coerce_table`, so extra columns are dropped.
    meta
        Study metadata stored under ``"mentorwijs"`` in ``datapackage.json``; must hold
        ``extract_start`` and ``extract_end`` as ``YYYY-MM``.
    parquet
        Tables to write as Parquet instead of CSV (e.g. ``register_months`` at national scale).

    Returns
    -------
    Path
        The folder written. The same input gives the same bytes.
    """
    unknown = set(tables) - set(TABLE_NAMES)
    if unknown:
        raise KeyError(f"unknown tables: {sorted(unknown)}")
    for key in REQUIRED_META:
        if not _MONTH.match(str(meta.get(key, ""))):
            raise ValueError(f"meta['{key}'] must be a month YYYY-MM")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    resources = []
    for name in TABLE_NAMES:
        df = coerce_table(name, tables[name]) if name in tables else empty_table(name)
        fmt = "parquet" if name in parquet else "csv"
        path = _write_table(out, name, df, fmt)
        raw = raw_schemas()[name]
        schema = dict(raw["schema"])
        schema["missingValues"] = [""]
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                "encoding": "utf-8",
                "description": " ".join(str(raw.get("description", "")).split()),
                "schema": schema,
            }
        )
    descriptor = {
        "profile": "tabular-data-package",
        "name": "mentorwijs-study",
        "resources": resources,
        "mentorwijs": dict(meta),
    }
    text = json.dumps(descriptor, indent=2, ensure_ascii=False, default=str) + "\n"
    (out / DESCRIPTOR).write_text(text, encoding="utf-8")
    return out


def _read(
    path: Path, names: Collection[str] | None, protocol: Protocol, check: bool
) -> tuple[dict[str, pd.DataFrame], dict[str, Any], list[Problem]]:
    path = Path(path)
    desc_path = path / DESCRIPTOR
    if not desc_path.is_file():
        return {}, {}, [problem("no_descriptor", DESCRIPTOR)]
    try:
        descriptor = json.loads(desc_path.read_text("utf-8"))
        resources = {r["name"]: r for r in descriptor.get("resources", [])}
        meta = dict(descriptor.get("mentorwijs") or {})
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return {}, {}, [problem("bad_descriptor", DESCRIPTOR, detail=str(exc))]
    problems: list[Problem] = [
        problem("bad_meta", DESCRIPTOR, key=key)
        for key in REQUIRED_META
        if not _MONTH.match(str(meta.get(key, "")))
    ]
    problems += [problem("unknown_table", t, name=t) for t in resources if t not in TABLE_NAMES]
    wanted = TABLE_NAMES if names is None else tuple(t for t in TABLE_NAMES if t in names)
    tables: dict[str, pd.DataFrame] = {}
    invalid: dict[str, dict[str, np.ndarray]] = {}
    for name in wanted:
        spec = table_specs()[name]
        res = resources.get(name, {})
        rel = res.get("path") or f"{name}.{spec.format}"
        file = path / str(rel)
        if not file.is_file():
            if name in OPTIONAL_TABLES:
                tables[name] = empty_table(name)
            else:
                problems.append(problem("missing_table", name, path=str(rel)))
            continue
        is_parquet = res.get("format") == "parquet" or file.suffix == ".parquet"
        frame, found, invalid[name] = (parse_parquet if is_parquet else parse_csv)(spec, file)
        problems += found
        if frame is not None:
            tables[name] = frame
    if check:
        problems += all_table_problems(tables, invalid)
        problems += study_problems(tables, meta, protocol)
    return tables, meta, problems


def validate_package(path: Path, *, protocol: Protocol | None = None) -> list[Problem]:
    """Check a package folder against its schemas and the study protocol.

    Parameters
    ----------
    path
        The package folder (with ``datapackage.json``).
    protocol
        The protocol that defines waves, instruments and items; the shipped one by default.

    Returns
    -------
    list of Problem
        Every problem found, each with table, row, column and a reason in Dutch and English;
        empty when the package is valid. Never raises for bad data.
    """
    return _read(Path(path), None, protocol or load_protocol(), True)[2]


def read_package(
    path: Path,
    *,
    tables: Collection[str] | None = None,
    validate: bool = True,
    protocol: Protocol | None = None,
) -> StudyPackage:
    """Read a study data package into canonical DataFrames.

    Parameters
    ----------
    path
        The package folder.
    tables
        Read only these tables (default: all). Foreign keys into tables not read are not checked.
    validate
        Check constraints, keys, foreign keys and study rules (default). Cells that do not
        parse are always errors.
    protocol
        Protocol for the study rules; the shipped one by default.

    Raises
    ------
    InvalidStudyPackageError
        With every problem found.
    """
    frames, meta, problems = _read(Path(path), tables, protocol or load_protocol(), validate)
    if problems:
        raise InvalidStudyPackageError(problems)
    return StudyPackage(tables=frames, meta=meta, path=Path(path))
