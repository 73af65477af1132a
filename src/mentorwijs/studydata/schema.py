"""The table schemas of the study data package, and the canonical in-memory dtypes.

``tables.yaml`` beside this module holds one Frictionless Table Schema per table; it is the
single source of truth for the format. In memory every table is a DataFrame with exactly the
schema's columns, in schema order, in these dtypes:

========== ===============================
schema     pandas dtype
========== ===============================
string     ``string[pyarrow]``
yearmonth  ``string[pyarrow]`` ("YYYY-MM")
integer    ``Int64``
number     ``float64``
boolean    ``boolean``
date       ``datetime64[s]``
datetime   ``datetime64[s, UTC]``
========== ===============================
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

STRING = pd.StringDtype("pyarrow")
DTYPES: dict[str, Any] = {
    "string": STRING,
    "yearmonth": STRING,
    "integer": pd.Int64Dtype(),
    "number": "float64",
    "boolean": pd.BooleanDtype(),
    "date": "datetime64[s]",
    "datetime": pd.DatetimeTZDtype("s", "UTC"),
}
#: Tables a package may leave out; they are then read as empty tables.
OPTIONAL_TABLES = frozenset({"costs", "interview_segments"})


@dataclass(frozen=True)
class Field:
    """One column of a table schema."""

    name: str
    type: str
    description: str
    required: bool
    enum: tuple[str, ...] | None
    minimum: float | None
    maximum: float | None
    pattern: str | None
    check: str | None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """A table of the package: its fields, keys and default file format."""

    name: str
    description: str
    format: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@cache
def raw_schemas() -> dict[str, dict[str, Any]]:
    """The parsed ``tables.yaml``: table name → {description, format, schema}."""
    text = resources.files("mentorwijs.studydata").joinpath("tables.yaml").read_text("utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return data


def _spec(name: str, raw: dict[str, Any]) -> TableSpec:
    schema = raw["schema"]
    fields = []
    for f in schema["fields"]:
        c = f.get("constraints", {})
        enum = c.get("enum")
        fields.append(
            Field(
                name=f["name"],
                type=f["type"],
                description=f.get("description", ""),
                required=bool(c.get("required", False)),
                enum=tuple(enum) if enum is not None else None,
                minimum=c.get("minimum"),
                maximum=c.get("maximum"),
                pattern=c.get("pattern"),
                check=f.get("x-check"),
            )
        )
    fks = tuple(
        ForeignKey(
            fields=tuple(fk["fields"]),
            resource=fk["reference"]["resource"],
            reference_fields=tuple(fk["reference"]["fields"]),
        )
        for fk in schema.get("foreignKeys", [])
    )
    return TableSpec(
        name=name,
        description=" ".join(raw.get("description", "").split()),
        format=raw.get("format", "csv"),
        fields=tuple(fields),
        primary_key=tuple(schema["primaryKey"]),
        foreign_keys=fks,
    )


@cache
def table_specs() -> dict[str, TableSpec]:
    """Every table of the package, in dependency order."""
    return {name: _spec(name, raw) for name, raw in raw_schemas().items()}


TABLE_NAMES: tuple[str, ...] = tuple(table_specs())


def empty_table(name: str) -> pd.DataFrame:
    """A table with zero rows and the canonical columns and dtypes."""
    spec = table_specs()[name]
    return pd.DataFrame({f.name: pd.Series([], dtype=DTYPES[f.type]) for f in spec.fields})


def coerce_table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` cast to the canonical dtypes and column order of table ``name``.

    Parameters
    ----------
    name
        A table of the package.
    df
        Data with at least the schema's columns (extra columns are dropped). Values must
        already be of the right kind (numbers, booleans, datetimes or ISO strings for dates);
        this does not parse or validate text: use :func:`mentorwijs.studydata.read_package`
        for that.

    Raises
    ------
    KeyError
        When a schema column is missing.
    """
    spec = table_specs()[name]
    missing = [c for c in spec.columns if c not in df.columns]
    if missing:
        raise KeyError(f"table {name}: missing columns {missing}")
    out = {}
    for f in spec.fields:
        col = df[f.name]
        if f.type == "date":
            col = pd.to_datetime(col).astype("datetime64[s]")
        elif f.type == "datetime":
            col = pd.to_datetime(col, utc=True).astype(DTYPES["datetime"])
        else:
            col = col.astype(DTYPES[f.type])
        out[f.name] = col.reset_index(drop=True)
    return pd.DataFrame(out)
