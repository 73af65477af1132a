"""``EvaluationResult``: tidy tables plus metadata, saved as JSON and CSV."""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

RESULT_FILE = "result.json"
TRACKED_PACKAGES = ("mentorwijs", "numpy", "pandas", "scipy", "statsmodels", "pyarrow")


@dataclass(frozen=True)
class EvaluationResult:
    """The outcome of one evaluation run.

    Attributes
    ----------
    tables
        Name → tidy DataFrame (code-friendly columns; small cells marked ``suppressed``).
    diagnostics
        Warnings and checks, JSON-ready.
    metadata
        Data fingerprint, software versions, seed, settings and creation time.
    """

    tables: dict[str, pd.DataFrame]
    diagnostics: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Tidy tables hold text as plain Python strings (None when empty), so that they read
        # back from CSV identically; an object column of mixed kinds becomes text.
        for name, df in self.tables.items():
            text = [
                c
                for c, t in df.dtypes.items()
                if isinstance(t, pd.StringDtype) or t == object  # noqa: E721
            ]
            if text:
                df = df.copy()
                for c in text:
                    df[c] = df[c].astype(object).map(_text)
                self.tables[name] = df

    def save(self, out: Path) -> Path:
        """Write ``result.json`` and one CSV per table into ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        index = {}
        for name, df in self.tables.items():
            df.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
            index[name] = {
                "file": f"{name}.csv",
                "columns": {c: str(t) for c, t in df.dtypes.items()},
            }
        doc = {"metadata": self.metadata, "diagnostics": self.diagnostics, "tables": index}
        (out / RESULT_FILE).write_text(
            json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        return out

    @classmethod
    def load(cls, path: Path) -> EvaluationResult:
        """Read a result written by :meth:`save`."""
        path = Path(path)
        doc = json.loads((path / RESULT_FILE).read_text("utf-8"))
        tables = {}
        for name, spec in doc["tables"].items():
            dtypes = {c: t for c, t in spec["columns"].items() if t != "object"}
            df = pd.read_csv(
                path / spec["file"], keep_default_na=True, float_precision="round_trip"
            )
            for col, t in dtypes.items():
                if t == "bool" and df[col].dtype == object:
                    df[col] = df[col].map({"True": True, "False": False})
                df[col] = df[col].astype(t)
            for col, t in spec["columns"].items():
                if t == "object":
                    df[col] = df[col].astype(object).where(df[col].notna(), None)
            tables[name] = df
        return cls(tables=tables, diagnostics=doc["diagnostics"], metadata=doc["metadata"])


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text or None


def fingerprint(path: Path | None) -> str | None:
    """SHA-256 over the package's files (name and bytes, in name order)."""
    if path is None:
        return None
    h = hashlib.sha256()
    for file in sorted(Path(path).iterdir()):
        if file.is_file() and file.name != "truth.json":
            h.update(file.name.encode())
            h.update(file.read_bytes())
    return h.hexdigest()


def software_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape the numbers."""
    out = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out
