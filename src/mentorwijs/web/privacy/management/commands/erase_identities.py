"""``mentorwijs manage erase_identities``: erase identities once the retention period is over.

Safe to run every day from cron: before the due date (the study's end plus
``MENTORWIJS_RETENTION_MONTHS``) it does nothing but say when.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorwijs.web.privacy.services import identities_erase


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today: not a date YYYY-MM-DD: {text!r}") from exc


class Command(BaseCommand):
    help = "Erase every identity once the retention period after the study's end has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_day, default=None, help="YYYY-MM-DD (tests).")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would go.")

    def handle(self, *args: Any, **options: Any) -> None:
        nl = os.environ.get("MENTORWIJS_LANG", "nl") != "en"
        today = options["today"] or date.today()
        done = identities_erase(today=today, dry_run=options["dry_run"])
        if done.due is None:
            self.stdout.write(
                "De einddatum van het onderzoek is niet ingesteld (MENTORWIJS_STUDY_END); "
                "er is niets gewist."
                if nl
                else "The study's end date is not set (MENTORWIJS_STUDY_END); nothing erased."
            )
        elif today < done.due:
            self.stdout.write(
                f"De identiteiten worden gewist vanaf {done.due.isoformat()}; nu nog niets."
                if nl
                else f"Identities are erased from {done.due.isoformat()}; nothing yet."
            )
        elif done.dry_run:
            self.stdout.write(
                f"Zou {done.erased} identiteiten en de rijen van {done.import_batches} "
                "importbestanden wissen."
                if nl
                else f"Would erase {done.erased} identities and the rows of "
                f"{done.import_batches} import files."
            )
        else:
            self.stdout.write(
                f"{done.erased} identiteiten gewist (bewaartermijn voorbij sinds "
                f"{done.due.isoformat()}); vastgelegd in het logboek."
                if nl
                else f"{done.erased} identities erased (retention over since "
                f"{done.due.isoformat()}); recorded in the audit trail."
            )
