"""``mentorwijs manage mark_bounced``: record e-mails that bounced after they were accepted."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorwijs.web.invitations.bounces import failed_message_ids
from mentorwijs.web.invitations.errors import DeliveryNotFoundError
from mentorwijs.web.invitations.services import delivery_bounced_by_message_id


class Command(BaseCommand):
    help = (
        "Mark deliveries bounced by Message-ID, or read a bounce (a delivery status "
        "notification) from standard input with --stdin, e.g. from a mail alias "
        '`bounces: "|mentorwijs manage mark_bounced --stdin"`.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("message_ids", nargs="*", help="Message-IDs of bounced e-mails")
        parser.add_argument("--stdin", action="store_true", help="read a DSN from stdin")
        parser.add_argument("--reason", default="", help="why (kept in the delivery log)")

    def handle(self, *args: Any, message_ids: list[str], stdin: bool, reason: str, **o: Any):
        wanted = list(message_ids)
        if stdin:
            wanted += failed_message_ids(sys.stdin.buffer.read())
        if not wanted:
            raise CommandError("no Message-ID given and no failed delivery in the bounce")
        missing = 0
        for message_id in wanted:
            try:
                delivery = delivery_bounced_by_message_id(
                    message_id=message_id, reason=reason or "bounced (reported later)"
                )
            except DeliveryNotFoundError as exc:
                self.stderr.write(str(exc))
                missing += 1
                continue
            self.stdout.write(f"delivery {delivery.pk}: bounced")
        if missing == len(wanted):
            raise CommandError("none of the Message-IDs belongs to a delivery")
