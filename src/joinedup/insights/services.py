"""Every write insights makes: the refresh of its own aggregate tables, the needs assessment's narrative sections,
and the audit entry for each download. Nothing here writes to another app's tables."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.core.errors import InvalidInput
from joinedup.insights import aggregation, providers
from joinedup.insights.models import AssessmentSection, DailyCount, MonthlyCount, RefreshRun

if TYPE_CHECKING:
    from joinedup.accounts.models import User

log = logging.getLogger(__name__)
BATCH = 5000
MAX_SECTION_CHARS = 20_000


def insights_subject() -> SubjectFacts:
    """The partnership's figures belong to the lead partner: its staff, and commissioners, may read them."""

    lead = frozenset(Agency.objects.filter(is_lead_partner=True).values_list("id", flat=True))
    return SubjectFacts(kind="insights", agency_ids=lead, lead_partner=True)


def insights_refresh(*, since: date | None = None, progress: aggregation.Progress | None = None) -> RefreshRun:
    """Recompute the daily counts from `since` (None: everything) and replace those days' rows in one transaction,
    so a dashboard never sees half a refresh. Safe to run repeatedly and concurrently with reads."""
    if since is not None:  # monthly totals are rewritten whole: start at the first of since's month
        since = since.replace(day=1)
    run = RefreshRun.objects.create(since=since)
    try:
        counts, read = aggregation.count_all(since=since, progress=progress)
        answered = []
        for source, provider in providers.registered().items():
            for key, value in provider(since):
                counts[key] += value
            answered.append(source)
        areas = {area for _, area, _, _ in counts}
        if since is not None:
            previous = RefreshRun.objects.filter(status=RefreshRun.Status.DONE).first()
            areas |= set(previous.areas if previous else [])
        rows = [
            (day, area, measure, group[:200], value)
            for (day, area, measure, group), value in counts.items()
            if value > 0
        ]
        by_month: Counter[tuple[date, str, str, str]] = Counter()
        for day, area, measure, group, value in rows:
            by_month[(day.replace(day=1), area, measure, group)] += value
        with transaction.atomic():
            # No relations or signals on these tables: Django issues one DELETE statement for each.
            if since is None:
                DailyCount.objects.all().delete()
                MonthlyCount.objects.all().delete()
            else:
                DailyCount.objects.filter(day__gte=since).delete()
                MonthlyCount.objects.filter(month__gte=since).delete()
            written = _write(DailyCount, rows)
            _write(MonthlyCount, [(*key, value) for key, value in by_month.items()])
            run.status, run.finished_at = RefreshRun.Status.DONE, timezone.now()
            run.records_read, run.rows_written = read, written
            run.areas, run.providers = (
                sorted(areas - {"unknown"}) + (["unknown"] if "unknown" in areas else []),
                answered,
            )
            run.save()
            record(
                actor=None,
                action=AuditAction.UPDATE,
                object_type="insights.refresh",
                object_id=str(run.pk),
                summary=f"Insights refreshed: {read:,} records read, {written:,} daily counts written",
                details={"since": since.isoformat() if since else None},
            )
    except Exception as failure:
        log.exception("Insights refresh failed")
        RefreshRun.objects.filter(pk=run.pk).update(
            status=RefreshRun.Status.FAILED, finished_at=timezone.now(), error=str(failure)[:500]
        )
        raise
    return run


def _write(model: type[DailyCount | MonthlyCount], rows: list[tuple[date, str, str, str, int]]) -> int:
    """Straight into the table: COPY on PostgreSQL, batched executemany elsewhere — building a model instance per
    row costs more than the counting itself."""
    table = model._meta.db_table
    columns = ("day" if model is DailyCount else "month", "area", "measure", "group", "value")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608 — names are our own
            plain = [(day.isoformat(), area, measure, group, value) for day, area, measure, group, value in rows]
            for start in range(0, len(plain), BATCH):
                cursor.executemany(sql, plain[start : start + BATCH])
    return len(rows)


def export_record(*, actor: User, dashboard: str, file_format: str, period: str, area: str) -> None:
    """A download of published (already suppressed) figures. It names no person, so no person_uuid."""
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="insights.dashboard",
        object_id=dashboard,
        purpose="Commissioning and needs assessment",
        summary=f"Downloaded the {dashboard.replace('_', ' ')} figures ({file_format.upper()})",
        details={"format": file_format, "period": period, "area": area or "all"},
    )


def assessment_section_write(*, actor: User, year: int, section: str, text: str) -> AssessmentSection:
    """A new version of one narrative section; earlier versions are kept as they were."""
    require(actor, "insights.write_assessment", insights_subject())
    problems: dict[str, list[str]] = {}
    if section not in AssessmentSection.Kind.values:
        problems["section"] = ["Choose a section of the assessment"]
    if not text.strip():
        problems["text"] = ["Enter the text of this section"]
    elif len(text) > MAX_SECTION_CHARS:
        problems["text"] = [f"The section must be {MAX_SECTION_CHARS:,} characters or fewer"]
    if problems:
        raise InvalidInput("The section could not be saved.", fields=problems)
    with transaction.atomic():
        latest = (
            AssessmentSection.objects.select_for_update()
            .filter(year=year, section=section)
            .order_by("-version")
            .first()
        )
        version = latest.version + 1 if latest else 1
        written = AssessmentSection.objects.create(
            year=year, section=section, version=version, text=text.strip(), author=actor, author_name=actor.name
        )
        record(
            actor=actor,
            action=AuditAction.CREATE if version == 1 else AuditAction.UPDATE,
            object_type="insights.assessmentsection",
            object_id=str(written.pk),
            summary=f"Needs assessment {year}: {AssessmentSection.Kind(section).label} section, version {version}",
        )
    return written
