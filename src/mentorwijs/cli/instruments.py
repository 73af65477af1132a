"""``mentorwijs instruments``: import questionnaires from REDCap or XLSForm into a protocol
file, and export the protocol as a REDCap data dictionary."""

from __future__ import annotations

from pathlib import Path

import click

from mentorwijs.cli.base import EXIT_INVALID, fail, lang, say


@click.group()
def instruments() -> None:
    """Import and export instruments (REDCap data dictionary, XLSForm)."""


@instruments.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option(
    "--role",
    type=click.Choice(["supervisor", "employee"]),
    default="supervisor",
    show_default=True,
    help="Who answers the imported instruments.",
)
@click.option(
    "--waves",
    default=None,
    help="Comma-separated waves of the instruments (default: every wave of the role).",
)
@click.option("--version", "version", default=None, help="Version of the new protocol.")
def import_(file: Path, out: Path, role: str, waves: str | None, version: str | None) -> None:
    """Read a REDCap data dictionary (.csv) or an XLSForm (.xlsx) and write DIR/protocol.yaml.

    Prints every field that was not taken over exactly. Exit code 0 when the protocol was
    written, 2 when the file cannot be read (nothing is written then).
    """
    from mentorwijs.protocol.errors import InvalidInstrumentFileError
    from mentorwijs.protocol.models import protocol_to_yaml
    from mentorwijs.protocol.redcap import import_dictionary
    from mentorwijs.protocol.xlsform import import_xlsform

    suffix = file.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        fail(
            "{f}: kies een REDCap-datawoordenboek (.csv) of een XLSForm (.xlsx).",
            "{f}: give a REDCap data dictionary (.csv) or an XLSForm (.xlsx).",
            code=EXIT_INVALID,
            f=file,
        )
    reader = import_dictionary if suffix == ".csv" else import_xlsform
    wave_list = [w.strip() for w in waves.split(",") if w.strip()] if waves else None
    try:
        result = reader(file, role=role, waves=wave_list, version=version)  # type: ignore[arg-type]
    except InvalidInstrumentFileError as exc:
        fail("{dutch}", "{english}", code=EXIT_INVALID, dutch=exc.message_nl, english=str(exc))
        return
    out.mkdir(parents=True, exist_ok=True)
    target = out / "protocol.yaml"
    target.write_text(protocol_to_yaml(result.protocol), encoding="utf-8")
    p = result.protocol
    n_items = sum(len(ins.items) for ins in p.instruments.values())
    say(
        "{n} items in {k} vragenlijsten geschreven naar {t}.",
        "{n} items in {k} instruments written to {t}.",
        n=n_items,
        k=len(p.instruments),
        t=target,
    )
    lines = result.report(lang())
    if lines:
        skipped = len(result.not_imported)
        say(
            "Verslag ({m} melding(en), {s} veld(en) niet overgenomen):",
            "Report ({m} message(s), {s} field(s) not imported):",
            m=len(lines),
            s=skipped,
        )
        for line in lines:
            click.echo(f"  {line}")


@instruments.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["redcap"]),
    default="redcap",
    show_default=True,
    help="The file format.",
)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="File.")
@click.option(
    "--protocol",
    "protocol_file",
    type=click.Path(path_type=Path),
    default=None,
    help="A protocol YAML file (default: the shipped Mentorwijs protocol).",
)
def export(fmt: str, out: Path, protocol_file: Path | None) -> None:
    """Write the protocol as a REDCap data dictionary (labels in the --lang language)."""
    from mentorwijs.protocol import load_protocol
    from mentorwijs.protocol.redcap import export_dictionary

    protocol = load_protocol(protocol_file)
    out.write_text(export_dictionary(protocol, lang=lang()), encoding="utf-8")
    n = sum(len(ins.items) for ins in protocol.instruments.values())
    say(
        "REDCap-datawoordenboek met {n} velden geschreven naar {o}.",
        "REDCap data dictionary with {n} fields written to {o}.",
        n=n + 1,
        o=out,
    )
