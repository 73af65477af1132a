"""``mentorwijs manage rotate_identity_key``: re-encrypt every identity under the newest key."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorwijs.web.errors import IdentityKeyError
from mentorwijs.web.privacy.services import identity_key_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt identities, import rows, interview transcripts, coded passages, memos and "
        "their audit values under the newest identity key (docs/security.md, 'Key management')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key", action="store_true", help="Put a fresh key first in the key file."
        )
        parser.add_argument(
            "--drop-old",
            action="store_true",
            help="Remove the older keys from the key file afterwards (older backups then "
            "need the old key kept elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        nl = os.environ.get("MENTORWIJS_LANG", "nl") != "en"
        try:
            done = identity_key_rotate(new_key=options["new_key"], drop_old=options["drop_old"])
        except IdentityKeyError as exc:
            raise CommandError(exc.message_nl if nl else str(exc)) from exc
        self.stdout.write(
            f"Opnieuw versleuteld met de nieuwste sleutel ({done.source}): {done.identities} "
            f"identiteiten, {done.import_batches} importbestanden, {done.transcripts} "
            f"interviews, {done.segments} gecodeerde fragmenten, {done.audit_entries} "
            f"logboekregels; {done.keys_kept} sleutel(s) in gebruik."
            if nl
            else f"Re-encrypted under the newest key ({done.source}): {done.identities} "
            f"identities, {done.import_batches} import files, {done.transcripts} interviews, "
            f"{done.segments} coded segments, {done.audit_entries} audit entries; "
            f"{done.keys_kept} key(s) in force."
        )
