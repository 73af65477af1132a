"""``mentorwijs manage processing_record``: print the record of processing (Markdown)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorwijs.web.privacy.record import processing_record_markdown


class Command(BaseCommand):
    help = "Print the record of processing (GDPR art. 30) from the tables and the settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", choices=["nl", "en"], default=os.environ.get("MENTORWIJS_LANG", "nl")
        )
        parser.add_argument("--out", type=Path, help="Write to this file instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = processing_record_markdown(lang=options["lang"])
        if options["out"]:
            options["out"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
