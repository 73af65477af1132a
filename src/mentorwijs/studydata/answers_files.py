"""Write the answers as CSV, SPSS (.sav) or Stata (.dta), each with a codebook (HTML, CSV).

Every export is a folder with three files: ``answers-<shape>.<format>``,
``codebook-<shape>.html`` and ``codebook-<shape>.csv``. They are written to a temporary
folder beside the target and moved into place only when all three are complete, so a
failure never leaves half an export behind. See ``docs/answers.md``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Collection
from importlib import resources
from pathlib import Path

import pandas as pd

from mentorwijs.protocol import Protocol
from mentorwijs.studydata.answer_variables import (
    ROLE_NAMES,
    Variable,
    check_options,
    file_label,
    value_label,
)
from mentorwijs.studydata.answers import AnswersTable, answers_table
from mentorwijs.studydata.errors import AnswersExportError
from mentorwijs.studydata.package import StudyPackage

#: The kinds of variable in words, for the codebook: kind → (Dutch, English).
KIND_WORDS = {
    "id": ("sleutel", "key"),
    "datetime": ("tijdstip (UTC)", "date and time (UTC)"),
    "choice": ("keuze uit een antwoordschaal", "choice from an answer scale"),
    "option": ("optie van een meerkeuzevraag (0/1)", "option of a multi-select item (0/1)"),
    "integer": ("geheel getal", "integer"),
    "number": ("getal", "number"),
    "text": ("tekst", "text"),
    "long_text": ("lange tekst", "long text"),
    "date": ("datum", "date"),
    "score": ("schaalscore", "scale score"),
}
CODEBOOK_COLUMNS = (
    "name",
    "label",
    "type",
    "role",
    "instrument",
    "item",
    "option",
    "waves",
    "question_nl",
    "question_en",
    "easy_read_nl",
    "easy_read_en",
    "value_labels_nl",
    "value_labels_en",
    "scales",
    "reverse",
    "show_if",
    "minimum",
    "maximum",
)
_SPSS_MEASURE = {
    "id": "nominal",
    "option": "nominal",
    "text": "nominal",
    "long_text": "nominal",
    "choice": "ordinal",
}
_INTEGRAL = {"choice", "option", "integer"}


def file_names(table: AnswersTable, fmt: str) -> tuple[str, str, str]:
    """Names of the data file and the two codebooks of an export."""
    return (
        f"answers-{table.shape}.{fmt}",
        f"codebook-{table.shape}.html",
        f"codebook-{table.shape}.csv",
    )


# --- data files ------------------------------------------------------------------------------


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _csv_frame(table: AnswersTable) -> pd.DataFrame:
    out = {}
    for v in table.variables:
        col = table.data[v.name]
        if v.kind == "datetime":
            text = col.dt.strftime("%Y-%m-%dT%H:%M:%SZ").astype(object)
        elif v.kind == "date":
            text = col.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_float_dtype(col):
            text = col.map(_number_text, na_action="ignore").astype(object)
        else:
            text = col.astype(object)
        out[v.name] = text.where(col.notna(), "")
    return pd.DataFrame(out, columns=[v.name for v in table.variables])


def _readstat_frame(table: AnswersTable, fmt: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns as pyreadstat writes them correctly, plus the formats that must be given.

    Times go as naive UTC ``datetime64[ns]`` (pyreadstat reads other units as nanoseconds);
    dates as ``datetime.date`` objects, or, when a column has no date at all, as missing
    times with a date format; text without missing (SPSS and Stata know no missing text).
    """
    out: dict[str, pd.Series] = {}
    formats: dict[str, str] = {}
    for v in table.variables:
        col = table.data[v.name]
        if v.kind == "datetime":
            out[v.name] = col.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
        elif v.kind == "date":
            if col.notna().any():
                out[v.name] = pd.Series(
                    [None if pd.isna(x) else x.date() for x in col], index=col.index, dtype=object
                )
            else:
                out[v.name] = col.astype("datetime64[ns]")
                formats[v.name] = "%td" if fmt == "dta" else "DATE11"
        elif pd.api.types.is_float_dtype(col):
            out[v.name] = col.astype("float64")
            if fmt == "sav":
                formats[v.name] = "F8.0" if v.kind in _INTEGRAL else "F8.2"
        else:
            out[v.name] = col.astype(object).where(col.notna(), "").map(str)
    return pd.DataFrame(out, columns=[v.name for v in table.variables]), formats


def _file_title(table: AnswersTable) -> str:
    if table.lang == "en":
        return f"Mentorwijs answers ({table.shape}), protocol {table.protocol_version}"
    shape = "lang" if table.shape == "long" else "breed"
    return f"Mentorwijs antwoorden ({shape}), protocol {table.protocol_version}"


def _write_readstat(table: AnswersTable, path: Path, fmt: str) -> None:
    import pyreadstat

    frame, formats = _readstat_frame(table, fmt)
    labels: dict[str, str | None] = {
        v.name: file_label(v, fmt, table.lang) for v in table.variables
    }
    value_labels: dict[str, dict[int | float, str]] = {
        v.name: {k: value_label(text, fmt) for k, text in v.value_labels(table.lang).items()}
        for v in table.variables
        if v.value_labels(table.lang) and pd.api.types.is_float_dtype(frame[v.name])
    }
    try:
        if fmt == "sav":
            measure = {v.name: _SPSS_MEASURE.get(v.kind, "scale") for v in table.variables}
            pyreadstat.write_sav(
                frame,
                str(path),
                file_label=_file_title(table),
                column_labels=labels,
                variable_value_labels=value_labels,
                variable_measure=measure,
                variable_format=formats,
            )
        else:
            pyreadstat.write_dta(
                frame,
                str(path),
                file_label=_file_title(table)[:80],
                column_labels=labels,
                variable_value_labels=value_labels,
                variable_format=formats,
            )
    except pyreadstat.ReadstatError as exc:
        raise AnswersExportError(
            f"the {fmt} file could not be written: {exc}",
            f"het {fmt}-bestand kon niet worden geschreven: {exc}",
        ) from exc


def write_data(table: AnswersTable, path: Path, fmt: str) -> Path:
    """Write the data of ``table`` as ``fmt`` (csv, sav or dta) to ``path``."""
    check_options(fmt=fmt)
    if fmt == "csv":
        _csv_frame(table).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    else:
        _write_readstat(table, path, fmt)
    return path


# --- codebook --------------------------------------------------------------------------------


def _values_text(v: Variable, lang: str) -> str:
    return "; ".join(f"{value} = {en if lang == 'en' else nl}" for value, nl, en in v.values)


def _range(x: float | None) -> str:
    return "" if x is None else _number_text(x)


def codebook_rows(table: AnswersTable, fmt: str) -> list[dict[str, str]]:
    """One row per variable: the codebook's columns (``CODEBOOK_COLUMNS``) as text.

    ``label`` is the variable label exactly as written in a file of ``fmt`` (shortened for
    SPSS and Stata where needed); ``question_nl`` and ``question_en`` are always complete.
    """
    rows = []
    for v in table.variables:
        rows.append(
            {
                "name": v.name,
                "label": file_label(v, fmt, table.lang),
                "type": v.kind,
                "role": v.role or "",
                "instrument": v.instrument or "",
                "item": v.item or "",
                "option": "" if v.option is None else str(v.option),
                "waves": " ".join(v.waves),
                "question_nl": v.question_nl or v.title_nl,
                "question_en": v.question_en or v.title_en,
                "easy_read_nl": v.easy_nl,
                "easy_read_en": v.easy_en,
                "value_labels_nl": _values_text(v, "nl"),
                "value_labels_en": _values_text(v, "en"),
                "scales": " ".join(code for code, _, _ in v.scales),
                "reverse": "true" if v.reverse else "false",
                "show_if": v.condition or "",
                "minimum": _range(v.minimum),
                "maximum": _range(v.maximum),
            }
        )
    return rows


def codebook_csv(table: AnswersTable, fmt: str) -> str:
    """The codebook as CSV text (UTF-8, one row per variable, ``CODEBOOK_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CODEBOOK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(codebook_rows(table, fmt))
    return buffer.getvalue()


def codebook_html(table: AnswersTable, fmt: str) -> str:
    """The codebook as one self-contained, accessible HTML page in the table's language."""
    import jinja2

    lang = table.lang
    en = lang == "en"
    template = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(
        resources.files("mentorwijs.studydata").joinpath("codebook.html").read_text("utf-8")
    )
    variables = []
    for v, row in zip(table.variables, codebook_rows(table, fmt), strict=True):
        variables.append(
            {
                **row,
                "kind": KIND_WORDS[v.kind][1 if en else 0],
                "role_text": ROLE_NAMES[v.role][1 if en else 0] if v.role else "",
                "value_text": _values_text(v, lang),
                "scale_text": ", ".join(
                    f"{code} ({sc_en if en else sc_nl})" for code, sc_nl, sc_en in v.scales
                ),
            }
        )
    data_name = file_names(table, fmt)[0]
    return template.render(
        lang=lang,
        other="nl" if en else "en",
        en=en,
        title=_file_title(table),
        data_name=data_name,
        fmt=fmt,
        shape=table.shape,
        rows=len(table.data),
        variables=variables,
        protocol_version=table.protocol_version,
    )


# --- the whole export ------------------------------------------------------------------------


def write_answers(table: AnswersTable, out: Path, *, fmt: str) -> list[Path]:
    """Write the data file and both codebooks of ``table`` into the folder ``out``.

    The three files are written into a temporary folder beside ``out`` first and moved
    into ``out`` only when all are complete. Other files in ``out`` are left alone; earlier
    exports of the same shape and format are replaced.

    Returns
    -------
    list of Path
        The data file, the HTML codebook and the CSV codebook.
    """
    check_options(fmt=fmt)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise AnswersExportError(
            f"{out} is a file, not a folder: choose a folder for --out",
            f"{out} is een bestand, geen map: kies een map voor --out",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    names = file_names(table, fmt)
    try:
        done = tmp / "export"
        done.mkdir()  # with the user's usual permissions (mkdtemp's are private)
        write_data(table, done / names[0], fmt)
        (done / names[1]).write_text(codebook_html(table, fmt), encoding="utf-8")
        (done / names[2]).write_text(codebook_csv(table, fmt), encoding="utf-8")
        if not out.exists():
            done.rename(out)
        else:
            for name in names:
                os.replace(done / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in names]


def answers_export(
    package: StudyPackage,
    out: Path,
    *,
    fmt: str,
    wide: bool = False,
    lang: str = "nl",
    protocol: Protocol | None = None,
    exclude: Collection[tuple[str, str]] = (),
) -> list[Path]:
    """Export the answers of a study data package with labels and a codebook.

    Parameters
    ----------
    package
        The study data package (its ``invitations`` and ``responses`` are used).
    out
        Folder to write into (created if needed).
    fmt
        ``"csv"``, ``"sav"`` (SPSS) or ``"dta"`` (Stata 15 and later).
    wide
        One row per respondent (``<item>_<wave>``) instead of one per respondent × wave.
    lang
        Language of the labels and the codebook: ``"nl"`` (default) or ``"en"``.
    protocol
        The protocol whose questions and answer scales label the variables (default: shipped).
    exclude
        ``(role, respondent_id)`` pairs to leave out, e.g. respondents who withdrew consent.

    Returns
    -------
    list of Path
        The data file, the HTML codebook and the CSV codebook.

    Raises
    ------
    UnknownExportFormatError, NoAnswersError, UnexportableAnswerError, AnswersExportError
        Nothing is written in any of these cases.

    Examples
    --------
    >>> from mentorwijs.studydata import read_package
    >>> answers_export(read_package(pkg), out, fmt="sav", wide=True)  # doctest: +SKIP
    """
    check_options(fmt=fmt, lang=lang)
    table = answers_table(package, protocol=protocol, wide=wide, lang=lang, exclude=exclude)
    return write_answers(table, out, fmt=fmt)


def answers_zip(table: AnswersTable, *, fmt: str) -> tuple[str, bytes]:
    """The three files of an export in one ZIP archive: (file name, bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_answers(table, Path(tmp) / "export", fmt=fmt)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    word = "answers" if table.lang == "en" else "antwoorden"
    name = f"mentorwijs-{word}-{table.shape}-{fmt}-{table.lang}.zip"
    return name, buffer.getvalue()
