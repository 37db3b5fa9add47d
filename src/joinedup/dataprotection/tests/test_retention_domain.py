"""Retention schedules, as tables. Sources: Records Management Code of Practice for Health and Social Care 2021
(8 years after the end of contact for adult social care), Limitation Act 1980 (6 years), UK GDPR Art. 5(1)(e)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from joinedup.dataprotection.domain.retention import RecordType, person_is_due, schedule_problems, schedules

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def test_defaults_and_overrides() -> None:
    plan = schedules({"notification": 30})
    assert plan[RecordType.PERSON].days == 8 * 365
    assert plan[RecordType.NOTIFICATION].days == 30
    assert plan[RecordType.AUDIT].days > plan[RecordType.PERSON].days


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        pytest.param({}, None, id="defaults are consistent"),
        pytest.param({"nonsense": 3}, "Unknown record type", id="unknown type"),
        pytest.param({"person": -1}, "0 days or more", id="negative"),
        pytest.param({"audit": 30}, "at least as long", id="audit shorter than records (accountability)"),
    ],
)
def test_schedule_problems(overrides: dict[str, int], problem: str | None) -> None:
    found = schedule_problems(overrides)
    assert (found == []) if problem is None else any(problem in p for p in found)


@pytest.mark.parametrize(
    ("age_days", "open_case", "due"),
    [
        pytest.param(8 * 365 + 1, False, True, id="RMCoP-2021: past 8 years, nothing open"),
        pytest.param(8 * 365 - 1, False, False, id="within 8 years"),
        pytest.param(20 * 365, True, False, id="an open case keeps everything"),
    ],
)
def test_person_is_due(age_days: int, open_case: bool, due: bool) -> None:
    plan = schedules()[RecordType.PERSON]
    last = NOW - timedelta(days=age_days)
    assert person_is_due(last_activity=last, has_open_case=open_case, now=NOW, schedule=plan) is due
