from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from joinedup.core.domain import limits
from joinedup.dataprotection.domain.retention import RecordType, schedule_problems
from joinedup.dataprotection.services import current_schedules, people_due, retention_apply


class Command(BaseCommand):
    help = (
        "Delete records past their retention period (docs/data-protection.md): people with everything held about "
        "them, anonymous reports, notifications, stored API answers, finished tasks, expired sessions. Audited. "
        "Run daily from cron or a systemd timer; --dry-run counts without deleting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted; delete nothing")
        parser.add_argument("--as-of", default=None, help="ISO date-time to judge periods from (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = schedule_problems(getattr(settings, "JOINEDUP_RETENTION_DAYS", {}))
        if problems:
            raise CommandError("The retention settings are not valid: " + "; ".join(problems))
        now = timezone.now()
        if options["as_of"]:
            try:
                now = datetime.fromisoformat(options["as_of"])
                if timezone.is_naive(now):
                    now = timezone.make_aware(now)
            except (ValueError, OverflowError) as bad:
                raise CommandError("--as-of must be an ISO date-time, like 2026-11-23T09:00:00+00:00") from bad
            if limits.past_date_problem(now.date(), today=timezone.localdate(), what="--as-of"):
                raise CommandError("--as-of must be between 1900 and now: retention never runs ahead of time.")
        dry_run = options["dry_run"]
        total = 0 if dry_run else people_due(now, current_schedules()[RecordType.PERSON]).count()
        with tqdm(total=total, desc="people", unit="person", disable=total == 0, file=self.stderr) as bar:
            counts = retention_apply(actor=None, now=now, dry_run=dry_run, progress=bar.update)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb}: " + ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()))
