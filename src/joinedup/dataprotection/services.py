"""The retention job: delete what is past its retention period (docs/data-protection.md). Every run is audited
(one entry for the run, one per person deleted, naming no more than the person's id); `dry_run` counts only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, RestrictedError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.audit.services import record
from joinedup.cases.models import Case, Escalation, Task, TimelineEntry
from joinedup.core.models import IdempotencyRecord, Notification
from joinedup.dataprotection.domain.retention import RecordType, Schedule, cutoff, schedules
from joinedup.incidents.models import Incident, TriageItem, TriageStatus
from joinedup.people.models import Person
from joinedup.police.models import PoliceReport
from joinedup.referrals.models import Referral

logger = logging.getLogger(__name__)


def current_schedules() -> dict[RecordType, Schedule]:
    return schedules(getattr(settings, "JOINEDUP_RETENTION_DAYS", {}))


def people_due(now: datetime, schedule: Schedule) -> Any:
    """People with no open case whose record has had no activity since the cutoff."""

    before = cutoff(now, schedule)
    recent = Q(created_at__gte=before)
    return (
        Person.objects.filter(~recent)
        .exclude(Exists(Case.objects.filter(person=OuterRef("pk"), status="open")))
        .exclude(Exists(Case.objects.filter(person=OuterRef("pk"), closed_at__gte=before)))
        .exclude(Exists(TimelineEntry.objects.filter(person=OuterRef("pk"), at__gte=before)))
        .exclude(Exists(Incident.objects.filter(person=OuterRef("pk"), created_at__gte=before)))
    )


def person_delete(person: Any) -> None:
    """Everything held about one person, children before parents (the tables protect against orphans)."""

    cases = Case.objects.filter(person=person)
    referral_ids = list(Referral.objects.filter(case__in=cases).values_list("id", flat=True))
    task_ids = list(Task.objects.filter(case__in=cases).values_list("id", flat=True))
    # Escalation notes name the person; they point at tasks and referrals by id only.
    Escalation.objects.filter(
        Q(item_type="referral", item_id__in=referral_ids) | Q(item_type="task", item_id__in=task_ids)
    ).delete()
    PoliceReport.objects.filter(case__in=cases).delete()
    Referral.objects.filter(id__in=referral_ids).delete()
    incidents = Incident.objects.filter(person=person)
    TriageItem.objects.filter(incident__in=incidents).delete()
    incidents.delete()
    cases.delete()
    person.delete()


def _bulk(queryset: Any, dry_run: bool) -> int:
    count = int(queryset.count())
    if not dry_run and count:
        queryset.delete()
    return count


def retention_apply(
    *,
    actor: User | None,
    now: datetime | None = None,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Delete what is past its period; returns counts per record type (what would be deleted, when dry_run).

    Each person is deleted in their own transaction with their audit entry, so one failure (a table another
    part of the service added that still refers to them) skips that person and is reported, never half-deletes."""

    now = now or timezone.now()
    plan = current_schedules()
    counts: dict[str, int] = {}

    due = people_due(now, plan[RecordType.PERSON])
    counts[RecordType.PERSON] = 0
    counts["person_skipped"] = 0
    for person in due.iterator(chunk_size=200) if not dry_run else []:
        try:
            with transaction.atomic():
                person_uuid = person.uuid
                person_delete(person)
                record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    object_type="people.person",
                    object_id=str(person_uuid),
                    person_uuid=person_uuid,
                    purpose="Retention schedule",
                    summary="Deleted with everything held about them: past the retention period",
                    details={"deleted": True, "retention_days": plan[RecordType.PERSON].days},
                )
            counts[RecordType.PERSON] += 1
        except (ProtectedError, RestrictedError) as kept:
            counts["person_skipped"] += 1
            logger.warning("Retention: person %s kept, still referred to: %s", person.uuid, kept)
        if progress:
            progress(1)
    if dry_run:
        counts[RecordType.PERSON] = due.count()

    anonymous = Incident.objects.filter(
        person__isnull=True, created_at__lt=cutoff(now, plan[RecordType.ANONYMOUS_REPORT])
    ).exclude(triage__status=TriageStatus.WAITING)
    with transaction.atomic():
        if not dry_run:
            TriageItem.objects.filter(incident__in=anonymous).delete()
        counts[RecordType.ANONYMOUS_REPORT] = _bulk(anonymous, dry_run)
        counts[RecordType.NOTIFICATION] = _bulk(
            Notification.objects.filter(at__lt=cutoff(now, plan[RecordType.NOTIFICATION])), dry_run
        )
        counts[RecordType.IDEMPOTENCY_RECORD] = _bulk(
            IdempotencyRecord.objects.filter(created_at__lt=cutoff(now, plan[RecordType.IDEMPOTENCY_RECORD])), dry_run
        )
        counts[RecordType.TASK_RESULT] = _bulk(
            DBTaskResult.objects.filter(finished_at__lt=cutoff(now, plan[RecordType.TASK_RESULT])), dry_run
        )
        counts[RecordType.SESSION] = _bulk(
            Session.objects.filter(expire_date__lt=cutoff(now, plan[RecordType.SESSION])), dry_run
        )
        # The audit trail is append-only to the application (the database refuses DELETE): entries past their own
        # period are counted here and removed by the database owner (docs/data-protection.md).
        counts["audit_past_period"] = AuditEntry.objects.filter(at__lt=cutoff(now, plan[RecordType.AUDIT])).count()
        record(
            actor=actor,
            action=AuditAction.VIEW if dry_run else AuditAction.UPDATE,
            object_type="dataprotection.retention",
            purpose="Retention schedule" + (" (dry run)" if dry_run else ""),
            summary=("Would delete: " if dry_run else "Deleted: ")
            + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items()),
            details={"dry_run": dry_run, "counts": counts, "schedule_days": {k.value: s.days for k, s in plan.items()}},
        )
    return counts
