"""``mentorwijs send-invitations``: invite, remind and send what is due (safe from cron)."""

from __future__ import annotations

import click

from mentorwijs.cli.base import lang, say

_WORDS_NL = {"supervisor": "leidinggevende", "employee": "medewerker", "email": "e-mail",
             "letter": "brief"}  # fmt: skip
_WORDS_EN = {"supervisor": "supervisor", "employee": "employee", "email": "e-mail",
             "letter": "letter"}  # fmt: skip


@click.command("send-invitations")
@click.option(
    "--now",
    "now",
    default=None,
    metavar="ISO",
    help="Act as if it is this moment (ISO 8601 date or date and time; default: now).",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be done; change nothing.")
def send_invitations(now: str | None, dry_run: bool) -> None:
    """Invite everyone due a wave, remind who has not finished, send e-mails and letters.

    Safe to run from cron every few minutes: it never sends anything twice.
    """
    from mentorwijs.web import commands

    commands.configure()
    commands.migrate()
    from mentorwijs.web.invitations.services import invitations_run, parse_moment

    report = invitations_run(now=parse_moment(now), dry_run=dry_run)
    en = lang() == "en"
    words = _WORDS_EN if en else _WORDS_NL
    for (role, wave, channel), n in sorted(report.invitations.items()):
        verb = (
            ("would invite" if dry_run else "invited")
            if en
            else ("zou uitnodigen" if dry_run else "uitgenodigd")
        )
        click.echo(f"{verb}: {n} × {words[role]} {wave} ({words[channel]})")
    for (wave, number), n in sorted(report.reminders.items()):
        verb = (
            ("would be made" if dry_run else "made")
            if en
            else ("zou maken" if dry_run else "gemaakt")
        )
        label = f"reminder {number}" if en else f"herinnering {number}"
        click.echo(f"{label} {verb}: {n} × {wave}")
    if dry_run:
        say(
            "Droog gedraaid: niets gemaakt of verstuurd; {p} bezorging(en) wachten nu al.",
            "Dry run: nothing made or sent; {p} deliveries are already waiting.",
            p=report.pending,
        )
        return
    say(
        "E-mails verstuurd: {e}; brieven klaargezet: {b}; mislukt (volgende keer opnieuw): {f}; "
        "geweigerd (bounce): {x}; vervallen: {c}; oude brieven opgeruimd: {r}.",
        "E-mails sent: {e}; letters written: {b}; failed (retried next run): {f}; "
        "refused (bounced): {x}; cancelled: {c}; old letters removed: {r}.",
        e=report.sent["email"],
        b=report.sent["letter"],
        f=report.failed,
        x=report.bounced,
        c=report.cancelled,
        r=report.letters_removed,
    )
