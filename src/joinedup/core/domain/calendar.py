"""Working days in England and Wales: weekends and bank holidays are not working days. Pure; the bank holidays
come from the `holidays` package's England list (Wales shares England's)."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=8)
def bank_holidays(years: tuple[int, ...]) -> frozenset[date]:
    found = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    return frozenset(found.keys())


def _default(start: date, end: date) -> frozenset[date]:
    return bank_holidays(tuple(range(start.year - 1, end.year + 2)))


def add_working_days(start: date, days: int, closed: Container[date] | None = None) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    closed = _default(start, start + timedelta(days=days * 2 + 14)) if closed is None else closed
    current, remaining = start, days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            remaining -= 1
    return current


def working_days_between(start: date, end: date, closed: Container[date] | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if end is not after start)."""
    if end <= start:
        return 0
    closed = _default(start, end) if closed is None else closed
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if (start + timedelta(days=n)).weekday() < 5 and start + timedelta(days=n) not in closed
    )
