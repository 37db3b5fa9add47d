"""Retention schedules: how long each kind of record is kept, and when one is due for deletion. Pure.

Defaults (docs/data-protection.md has the table and the reasons); each is overridable by an environment variable
RETENTION_<TYPE>_DAYS. Sources: UK GDPR Art. 5(1)(e) (storage limitation); Limitation Act 1980 s.2 and s.5 (six
years for claims, the usual floor for case records); Records Management Code of Practice for Health and Social
Care 2021 (adult social care records: eight years after the end of contact); ICO guidance on retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class RecordType(StrEnum):
    PERSON = "person"
    ANONYMOUS_REPORT = "anonymous_report"
    NOTIFICATION = "notification"
    IDEMPOTENCY_RECORD = "idempotency_record"
    TASK_RESULT = "task_result"
    SESSION = "session"
    AUDIT = "audit"


@dataclass(frozen=True)
class Schedule:
    record_type: RecordType
    days: int
    what: str
    starts: str
    source: str


DEFAULT_SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        RecordType.PERSON,
        8 * 365,
        "A person's record and everything held about them (incidents, cases, referrals, consents, police reports, "
        "risk, timeline)",
        "the last activity on their record, once no case is open",
        "Records Management Code of Practice 2021: adult social care, 8 years after the end of contact",
    ),
    Schedule(
        RecordType.ANONYMOUS_REPORT,
        6 * 365,
        "A report with no person attached (anonymous or never linked), once the hub has dealt with it",
        "the report was recorded",
        "Limitation Act 1980: 6 years",
    ),
    Schedule(
        RecordType.NOTIFICATION,
        365,
        "In-app notifications to practitioners (they can name a person)",
        "the notification was sent",
        "Storage limitation: only as long as useful for the work",
    ),
    Schedule(
        RecordType.IDEMPOTENCY_RECORD,
        30,
        "Stored answers to API creates (replays of the same Idempotency-Key)",
        "the first answer",
        "A retry window; partner systems retry within minutes",
    ),
    Schedule(
        RecordType.TASK_RESULT,
        30,
        "Finished background tasks (e-mails sent, with their addresses)",
        "the task finished",
        "Storage limitation: kept for fault-finding only",
    ),
    Schedule(
        RecordType.SESSION,
        0,
        "Expired sign-in sessions",
        "the session expired",
        "Nothing to keep once a session has ended",
    ),
    Schedule(
        RecordType.AUDIT,
        10 * 365,
        "The audit trail (who looked at or changed what, and why), kept longer than the records it describes so "
        "a person can still learn who looked at their record",
        "the entry was written",
        "Accountability (UK GDPR Art. 5(2)); longer than the longest record period",
    ),
)


def schedules(overrides: dict[str, int] | None = None) -> dict[RecordType, Schedule]:
    found = {s.record_type: s for s in DEFAULT_SCHEDULES}
    for key, days in (overrides or {}).items():
        kind = RecordType(key)
        old = found[kind]
        found[kind] = Schedule(kind, days, old.what, old.starts, old.source)
    return found


def schedule_problems(overrides: dict[str, int]) -> list[str]:
    problems = []
    known = {k.value for k in RecordType}
    for key, days in overrides.items():
        if key not in known:
            problems.append(f"Unknown record type '{key}': use one of {', '.join(sorted(known))}")
        elif days < 0:
            problems.append(f"Retention for {key} must be 0 days or more")
    merged = schedules({k: v for k, v in overrides.items() if k in known and v >= 0})
    longest_record = max(merged[k].days for k in (RecordType.PERSON, RecordType.ANONYMOUS_REPORT))
    if merged[RecordType.AUDIT].days < longest_record:
        problems.append("The audit trail must be kept at least as long as the records it describes")
    return problems


def cutoff(now: datetime, schedule: Schedule) -> datetime:
    """Records whose period started before this moment are due for deletion."""
    return now - timedelta(days=schedule.days)


def person_is_due(*, last_activity: datetime, has_open_case: bool, now: datetime, schedule: Schedule) -> bool:
    return not has_open_case and last_activity < cutoff(now, schedule)
