from __future__ import annotations

import signal
import threading
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from tqdm import tqdm

from joinedup.insights.presenters import warm_charts
from joinedup.insights.services import insights_refresh


class Command(BaseCommand):
    help = (
        "Work out the insights figures again: read incidents, referrals, police reports and case closures and write "
        "daily counts by area for the dashboards. Safe to run repeatedly. Run it nightly from cron or a systemd "
        "timer, or keep it running with --every."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            default=None,
            metavar="YYYY-MM-DD",
            help="recompute only from this day on (faster); by default everything is recomputed",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=None,
            metavar="SECONDS",
            help="keep running, refreshing every SECONDS (at least 300); stop with SIGTERM",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError as bad:
                raise CommandError("--since must be a date like 2026-04-01") from bad
        if options["every"] is not None:
            if options["every"] < 300:
                raise CommandError("--every needs at least 300 seconds.")
            self._loop(options["every"], since)
            return
        self._once(since, progress=options["verbosity"] > 0)

    def _once(self, since: date | None, *, progress: bool) -> None:
        with tqdm(desc="records", unit="record", disable=not progress) as bar:
            run = insights_refresh(since=since, progress=bar.update)
        drawn = warm_charts()
        self.stdout.write(
            f"Read {run.records_read:,} records; wrote {run.rows_written:,} daily counts; drew {drawn} charts."
        )

    def _loop(self, every: int, since: date | None) -> None:
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        signal.signal(signal.SIGINT, lambda *_: stopping.set())
        while not stopping.is_set():
            self._once(since, progress=False)
            close_old_connections()
            stopping.wait(every)
