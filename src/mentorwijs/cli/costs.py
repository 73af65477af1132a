"""``mentorwijs cost-benefit`` and ``mentorwijs params``: the cost–benefit analysis on files,
and the parameter file with the Dutch norms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mentorwijs.cli.base import fail, lang, say


@click.command("cost-benefit")
@click.argument("package", type=click.Path(path_type=Path))
@click.option(
    "--result",
    "result_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The evaluation result of PACKAGE (default: PACKAGE/result).",
)
@click.option(
    "--params",
    "params_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Parameter file (default: the shipped Dutch defaults; see `mentorwijs params`).",
)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option("--draws", type=int, default=100_000, show_default=True, help="PSA draws.")
@click.option("--seed", type=int, default=2023, show_default=True, help="Seed of the draws.")
def cost_benefit(
    package: Path,
    result_dir: Path | None,
    params_file: Path | None,
    out: Path,
    draws: int,
    seed: int,
) -> None:
    """Costs, benefits, views and uncertainty of the training: CSV tables and figures."""
    from mentorwijs.evaluation.result import EvaluationResult
    from mentorwijs.evaluation.steps import cost_benefit_of
    from mentorwijs.protocol import load_cost_parameters
    from mentorwijs.reports.sections.costbenefit import write_cost_benefit_figures
    from mentorwijs.studydata import read_package

    result_dir = result_dir or package / "result"
    if not (result_dir / "result.json").is_file():
        fail(
            "geen evaluatieresultaat in {r}: draai eerst `mentorwijs evaluate {p} --out {r}` "
            "of wijs het resultaat aan met --result.",
            "no evaluation result in {r}: run `mentorwijs evaluate {p} --out {r}` first, or "
            "point to it with --result.",
            r=result_dir,
            p=package,
        )
    result = EvaluationResult.load(result_dir)
    if "event_study" not in result.tables:
        fail(
            "het resultaat in {r} heeft geen werkgelegenheidseffect (event_study).",
            "the result in {r} has no employment effect (event_study).",
            r=result_dir,
        )
    params = load_cost_parameters(params_file)
    data = read_package(package)
    res = cost_benefit_of(
        data, result.tables["event_study"], params=params, n_draws=draws, seed=seed
    )
    if res is None:
        fail(
            "het werkgelegenheidseffect rust op minder dan 10 personen en is onderdrukt; "
            "een kosten-batenanalyse is dan niet te maken.",
            "the employment effect rests on fewer than 10 persons and is suppressed; no "
            "cost-benefit analysis can be made.",
        )
        return
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in res.tables().items():
        path = out / f"{name}.csv"
        table.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    written += write_cost_benefit_figures(res.tables(), out, lang=lang())
    for path in written:
        click.echo(str(path))


@click.group()
def params() -> None:
    """The cost–benefit parameter file: export the defaults, update the norms."""


@params.command("export")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="File.")
def params_export(out: Path) -> None:
    """Write the shipped Dutch defaults (with sources and dates) to a file you can edit."""
    from mentorwijs.protocol import cost_parameters_yaml, load_cost_parameters

    out.write_text(cost_parameters_yaml(load_cost_parameters()), encoding="utf-8")
    say("Parameters geschreven naar {o}.", "Parameters written to {o}.", o=out)


@params.command("set-norm")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--date", "date", required=True, help="Date the amount applies from (YYYY-MM-DD).")
@click.option("--amount", type=float, required=True, help="Euros a month.")
@click.option("--source", default=None, help="Where the amount comes from.")
@click.option(
    "--name",
    default="social_assistance_norm",
    show_default=True,
    help="An indexed amount of the file (e.g. minimum_wage_hourly).",
)
def params_set_norm(file: Path, date: str, amount: float, source: str | None, name: str) -> None:
    """Add a norm that applies from a date (e.g. the social-assistance norm of 1 January)."""
    from mentorwijs.protocol import cost_parameters_yaml, load_cost_parameters, with_dated_value

    try:
        when = dt.date.fromisoformat(date)
    except ValueError:
        fail(
            "--date verwacht JJJJ-MM-DD, kreeg {d!r}.",
            "--date takes YYYY-MM-DD, got {d!r}.",
            d=date,
        )
        return
    current = load_cost_parameters(file)
    if name not in current.parameters:
        fail("{n} staat niet in {f}.", "{n} is not in {f}.", n=name, f=file)
    updated = with_dated_value(
        current,
        name,
        date=when,
        value=amount,
        source=source or current.get(name).source,
    )
    file.write_text(cost_parameters_yaml(updated), encoding="utf-8")
    say(
        "{n} is {a:.2f} vanaf {d}; geschreven naar {f}.",
        "{n} is {a:.2f} from {d}; written to {f}.",
        n=name,
        a=amount,
        d=when.isoformat(),
        f=file,
    )
