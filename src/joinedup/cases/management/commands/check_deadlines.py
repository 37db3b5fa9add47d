from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from joinedup.cases.work import deadlines_check


class Command(BaseCommand):
    help = (
        "Mark overdue tasks and referrals and escalate them, as of now or a given time. Safe to run repeatedly: each "
        "item escalates once per level. Run it from cron or a systemd timer (for example every 15 minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default=None, help="ISO date-time, e.g. 2026-11-23T09:00:00+00:00")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                moment = datetime.fromisoformat(options["as_of"])
            except ValueError as bad:
                raise CommandError("--as-of must be an ISO date-time, like 2026-11-23T09:00:00+00:00") from bad
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            as_of = timezone.localtime(moment).date()
        counts = deadlines_check(as_of=as_of)
        self.stdout.write(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()))
