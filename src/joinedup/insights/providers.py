"""Figures that other apps supply to insights, for data insights cannot read itself.

An app that records something insights should count (the harm reports app, when it exists) registers a provider
from its AppConfig.ready(). A provider is called by the refresh job and must return **counts only**, as
((day, area, measure, group), count) pairs, with the same rules as `aggregation.py`: area is a postcode district
or "unknown", each group is a category code, and each record also counts once in the group `"_total"`.

Until a provider for a source has registered, the dashboards say plainly that there are no reports yet, rather
than showing zeros that would look like a measured absence of harm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

Key = tuple[date, str, str, str]
Provider = Callable[[date | None], Iterable[tuple[Key, int]]]

_PROVIDERS: dict[str, Provider] = {}


def register(source: str, provider: Provider) -> None:
    """`source` names what is counted ("harm"); the provider gets the first day to count (None: all)."""
    _PROVIDERS[source] = provider


def unregister(source: str) -> None:
    _PROVIDERS.pop(source, None)


def registered() -> dict[str, Provider]:
    return dict(_PROVIDERS)
