from __future__ import annotations

import signal
import threading
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from joinedup.cases.work import deadlines_check
from joinedup.core.domain import limits


class Command(BaseCommand):
    help = (
        "Mark overdue tasks and referrals and escalate them, as of now or a given time. Safe to run repeatedly: each "
        "item escalates once per level. Run it from cron or a systemd timer (for example every 15 minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default=None, help="ISO date-time, e.g. 2026-11-23T09:00:00+00:00")
        parser.add_argument(
            "--every",
            type=int,
            default=None,
            metavar="SECONDS",
            help="keep running, checking every SECONDS (a worker loop, where there is no cron); stop with SIGTERM",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                moment = datetime.fromisoformat(options["as_of"])
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment)
                as_of = timezone.localtime(moment).date()
            except (ValueError, OverflowError) as bad:
                raise CommandError("--as-of must be an ISO date-time, like 2026-11-23T09:00:00+00:00") from bad
            # Deadlines are working days from records made since 1900; the horizon stops escalating the future.
            problem = limits.past_date_problem(
                as_of, today=timezone.localdate() + limits.FUTURE_HORIZON, what="--as-of"
            )
            if problem:
                raise CommandError(f"{problem} (and no more than 5 years ahead).")
        if options["every"] is not None:
            if as_of is not None or options["every"] < 60:
                raise CommandError("--every needs at least 60 seconds, and cannot be combined with --as-of.")
            self._loop(options["every"])
            return
        self._once(as_of)

    def _once(self, as_of: date | None) -> None:
        counts = deadlines_check(as_of=as_of)
        self.stdout.write(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()))

    def _loop(self, every: int) -> None:
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        signal.signal(signal.SIGINT, lambda *_: stopping.set())
        while not stopping.is_set():
            self._once(None)
            close_old_connections()
            stopping.wait(every)
