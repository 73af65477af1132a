"""``mentorwijs answers``: the questionnaire answers for SPSS, Stata or any spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mentorwijs.cli.base import EXIT_INVALID, fail, lang, say


@click.group("answers")
def answers() -> None:
    """The questionnaire answers: exports with labels and a codebook."""


@answers.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    metavar="csv|sav|dta",
    help="csv, sav (SPSS) or dta (Stata 15 and later).",
)
@click.option(
    "--wide",
    is_flag=True,
    help="One row per respondent, variables <item>_<wave> (default: one row per "
    "respondent and wave).",
)
@click.option(
    "--lang",
    "label_lang",
    default=None,
    metavar="nl|en",
    help="Language of the labels and the codebook (default: the language of messages).",
)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option(
    "--package",
    type=click.Path(path_type=Path),
    default=None,
    help="A study data package folder (default: the site's database).",
)
def export(fmt: str, wide: bool, label_lang: str | None, out: Path, package: Path | None) -> None:
    """Write the answers with labels and a codebook (pseudonyms only).

    One data file (CSV, SPSS or Stata) with the questions as variable labels and the answer
    scales as value labels, and a codebook in HTML and CSV, written into the folder --out.
    From the site's database (respondents who withdrew consent left out; recorded in the
    audit trail), or from a study data package with --package. See docs/answers.md.
    """
    from mentorwijs.studydata import (
        AnswersExportError,
        answers_table,
        read_package,
        write_answers,
    )
    from mentorwijs.studydata.answer_variables import check_options

    if label_lang is not None:
        root = click.get_current_context().find_root()
        if root.params.get("lang") is None and label_lang in ("nl", "en"):
            root.params["lang"] = label_lang  # messages follow the labels
    chosen = label_lang or lang()
    try:
        check_options(fmt=fmt, lang=chosen)
        exclude: set[tuple[str, str]] = set()
        if package is not None:
            data = read_package(package, tables=("invitations", "responses"))
        else:
            data, exclude = _from_database()
        table = answers_table(data, wide=wide, lang=chosen, exclude=exclude)
        paths = write_answers(table, out, fmt=fmt)
    except AnswersExportError as exc:
        fail("{dutch}", "{english}", code=EXIT_INVALID, dutch=exc.message_nl, english=exc)
        return
    if package is None:
        from mentorwijs.web import commands

        commands.answers_export_record(
            fmt=fmt, shape=table.shape, lang=chosen, rows=len(table.data)
        )
    for path in paths:
        click.echo(str(path))
    say(
        "{n} rijen en {k} variabelen geschreven naar {out}, met het codeboek.",
        "{n} rows and {k} variables written to {out}, with the codebook.",
        n=len(table.data),
        k=len(table.variables),
        out=out,
    )


def _from_database() -> tuple[Any, set[tuple[str, str]]]:
    """The answers in the site's database, by the route of `mentorwijs export`, and the
    respondents who withdrew their consent."""
    from mentorwijs.web import commands
    from mentorwijs.web.errors import WebError

    commands.configure()
    try:
        return commands.answers_package()
    except WebError as exc:
        fail("{dutch}", "{english}", code=EXIT_INVALID, dutch=exc.message_nl, english=exc)
        raise  # not reached: fail() exits
