"""The ``mentorwijs`` command. It parses arguments and delegates; no logic lives here.

Django is imported only by the commands that need the database (``load``, ``export``,
``backup``, ``restore``, ``serve``, ``manage``, ``demo``), so ``simulate``, ``validate``,
``evaluate`` and ``report`` work on files alone, e.g. inside the statistics office's
remote-access environment.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from mentorwijs.cli import answers, backup, costs, instruments, invitations
from mentorwijs.cli.base import (
    EXIT_INVALID,
    Cli,
    fail,
    lang,
    parse_settings,
    print_problems,
    say,
    step,
)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of messages and products (default: MENTORWIJS_LANG, else nl).",
)
@click.version_option(package_name="mentorwijs")
def main(lang: str | None) -> None:
    """Mentorwijs: run the supervisor training and evaluate whether it works."""


@main.command()
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option("--seed", type=int, default=2023, show_default=True, help="Random seed.")
@click.option(
    "--scale",
    type=click.Choice(["study", "region", "national"]),
    default="study",
    show_default=True,
    help="study: the published study's size; region: ~10x; national: 5,000 treated "
    "against 500,000 controls x 48 months.",
)
def simulate(out: Path, seed: int, scale: str) -> None:
    """Write a simulated study data package with a truth.json of every planted effect."""
    from mentorwijs.simulation import simulate_package

    start = time.perf_counter()
    simulate_package(out, seed=seed, scale=scale)  # type: ignore[arg-type]
    say(
        "Gesimuleerd pakket geschreven naar {out} ({s:.1f} s).",
        "Simulated package written to {out} ({s:.1f} s).",
        out=out,
        s=time.perf_counter() - start,
    )


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
def validate(package: Path) -> None:
    """Check a study data package; exit code 0 when valid, 2 otherwise."""
    from mentorwijs.studydata import validate_package

    problems = validate_package(package)
    if problems:
        n = len(problems)
        say(
            "{path}: {n} " + ("probleem" if n == 1 else "problemen") + " gevonden.",
            "{path}: {n} " + ("problem" if n == 1 else "problems") + " found.",
            path=package,
            n=n,
        )
        print_problems(problems)
        sys.exit(EXIT_INVALID)
    say("{path}: geldig.", "{path}: valid.", path=package)


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the study data already in the database.")
def load(package: Path, replace: bool) -> None:
    """Import a study data package into the database, in one transaction."""
    from mentorwijs.web import commands

    commands.configure()
    commands.migrate()
    summary = commands.load(package, replace=replace)
    say("Geladen: {s}", "Loaded: {s}", s=summary)


@main.command()
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
def export(out: Path) -> None:
    """Write the database's study data as a study data package (pseudonyms only)."""
    from mentorwijs.web import commands

    commands.configure()
    commands.export(out)
    say("Pakket geschreven naar {out}.", "Package written to {out}.", out=out)


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option("--seed", type=int, default=2023, show_default=True, help="Seed of random steps.")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change a setting, e.g. --set k=5 --set match_on_history=true (repeatable; "
    "see docs/evaluation.md for every setting).",
)
def evaluate(package: Path, out: Path, seed: int, assignments: tuple[str, ...]) -> None:
    """Evaluate a study data package and save the EvaluationResult (JSON + CSV)."""
    from mentorwijs.evaluation.pipeline import STEPS, evaluate_package
    from mentorwijs.studydata import read_package

    settings = parse_settings(assignments)
    data = read_package(package)
    label = "Evaluating" if lang() == "en" else "Evalueren"
    with click.progressbar(
        length=len(STEPS), label=label, item_show_func=lambda name: name, show_pos=True
    ) as bar:

        def progress(name: str) -> None:
            bar.update(1 if bar.current_item is not None else 0, name)

        result = evaluate_package(
            data, seed=seed, settings=settings, created_at=_now(), progress=progress
        )
        bar.update(1, "")
    result.save(out)
    for step_name, messages in result.diagnostics.get("warnings", {}).items():
        for message in messages:
            say("let op ({s}): {m}", "note ({s}): {m}", s=step_name, m=message)
    for step_name, reason in result.diagnostics.get("skipped", {}).items():
        say("niet uitgevoerd ({s}): {m}", "left out ({s}): {m}", s=step_name, m=reason)
    say("Resultaat geschreven naar {out}.", "Result written to {out}.", out=out)


@main.command()
@click.argument("result_dir", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option(
    "--format",
    "formats",
    default="html,pdf",
    show_default=True,
    help="Comma-separated formats: html, pdf, docx.",
)
@click.option(
    "--product",
    type=click.Choice(["all", "report", "factsheet", "guide", "easyread"]),
    default="all",
    show_default=True,
    help="The final report, the factsheet (two A4 pages), the practice guide for employer "
    "services, the employees' easy-read version of the findings, or all of them.",
)
@click.option(
    "--region",
    default=None,
    help="A labour-market region (region_id) of the result: write its factsheet only.",
)
def report(result_dir: Path, out: Path, formats: str, product: str, region: str | None) -> None:
    """Write the products of an evaluation result."""
    from mentorwijs.evaluation.result import EvaluationResult
    from mentorwijs.reports import render_report
    from mentorwijs.reports.errors import ReportError

    result = EvaluationResult.load(result_dir)
    products = ["report", "factsheet", "guide", "easyread"] if product == "all" else [product]
    if region is not None and product == "all":
        products = ["factsheet"]  # the final report is national
    chosen = tuple(f.strip() for f in formats.split(","))
    try:
        paths = [
            path
            for name in products
            for path in render_report(
                result, out, lang=lang(), formats=chosen, product=name, region=region
            )
        ]
    except ReportError as exc:
        fail("{dutch}", "{english}", dutch=exc.message_nl, english=str(exc))
    for p in paths:
        click.echo(str(p))


@main.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="Address:port.")
def serve(addr: str) -> None:
    """Run the site on the configured database."""
    from mentorwijs.web import commands

    commands.configure()
    commands.migrate()
    commands.serve(addr)


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, …) on the database."""
    from mentorwijs.web import commands

    commands.configure()
    commands.manage(list(args))


@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("mentorwijs-demo"),
    show_default=True,
    help="Folder for the products.",
)
@click.option("--seed", type=int, default=2023, show_default=True, help="Random seed.")
def demo(out: Path, seed: int) -> None:
    """Simulate a study, load it, export it, evaluate it and write the products."""
    from mentorwijs.cli.demo import run_demo

    run_demo(out=out, seed=seed, lang=lang(), step=step, say=say, fail=fail)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


main.add_command(answers.answers)
main.add_command(costs.cost_benefit)
main.add_command(costs.params)
main.add_command(instruments.instruments)
main.add_command(invitations.send_invitations)
main.add_command(backup.backup)
main.add_command(backup.restore)
