"""What every command shares: the language, messages, steps, and the one place where the
named errors of every layer become one readable line."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from mentorwijs.evaluation.errors import EvaluationError
from mentorwijs.protocol.errors import ProtocolError
from mentorwijs.studydata import InvalidStudyPackageError, StudyDataError
from mentorwijs.web.errors import WebError

EXIT_INVALID = 2


def lang() -> str:
    """The language of messages: ``--lang``, else ``MENTORWIJS_LANG``, else Dutch."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.find_root().params.get("lang") if ctx else None
    return chosen or os.environ.get("MENTORWIJS_LANG", "nl")


def say(nl: str, en: str, **kw: Any) -> None:
    """Print a message in the chosen language."""
    click.echo((en if lang() == "en" else nl).format(**kw))


def fail(nl: str, en: str, *, code: int = 1, **kw: Any) -> None:
    """Print one readable error line (with the fix) to stderr and exit with ``code``."""
    text = (en if lang() == "en" else nl).format(**kw)
    click.echo(click.style("fout: " if lang() != "en" else "error: ", fg="red") + text, err=True)
    sys.exit(code)


def print_problems(problems: list[Any]) -> None:
    """List validation problems, one line each: where, then why."""
    for p in problems:
        click.echo(f"  {p.where(lang())}: {p.message(lang())}", err=True)


@contextmanager
def step(number: int, total: int, nl: str, en: str) -> Iterator[None]:
    """Show one step of a long job with its duration."""
    label = en if lang() == "en" else nl
    click.echo(f"[{number}/{total}] {label} …", nl=False)
    start = time.perf_counter()
    yield
    click.echo(f" {time.perf_counter() - start:.1f} s")


class Cli(click.Group):
    """Turns the named errors of every layer into one readable line, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidStudyPackageError as exc:
            click.echo("", err=True)
            say_err = "Het studiedatapakket is niet geldig ({n} problemen):"
            say_err_en = "The study data package is not valid ({n} problems):"
            click.echo(
                (say_err_en if lang() == "en" else say_err).format(n=len(exc.problems)), err=True
            )
            print_problems(exc.problems)
            fail(
                "herstel de genoemde rijen en probeer opnieuw (mentorwijs validate MAP).",
                "fix the rows named above and try again (mentorwijs validate DIR).",
                code=EXIT_INVALID,
            )
        except (ProtocolError, StudyDataError, WebError, EvaluationError) as exc:
            # An error may carry its Dutch text in ``message_nl``; str(exc) is English.
            fail(
                "{dutch}", "{english}", dutch=getattr(exc, "message_nl", str(exc)), english=str(exc)
            )


def parse_settings(assignments: tuple[str, ...]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs of ``--set`` into settings; values are read as YAML (5, true, [a])."""
    import yaml

    out: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(
                "--set verwacht NAAM=WAARDE, bijvoorbeeld --set k=5 (kreeg {item!r}).",
                "--set takes NAME=VALUE, e.g. --set k=5 (got {item!r}).",
                item=item,
            )
        try:
            out[name.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            out[name.strip()] = value
    return out
