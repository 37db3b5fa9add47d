"""Records of the same person elsewhere, as linkage finds them: the port lower apps ask through.

Linkage sits above every app that needs its answers — risk counts a person's linked history, referrals asks the
agencies that hold linked records for information, the workspace shows "known to N other agencies" — so those apps
cannot import it (the house layers, pyproject.toml). They ask here instead, and linkage plugs its selectors in
when it starts (linkage/apps.py). Until linkage has run, or without it, a person has no linked records.

A record counts as the same person only when a data protection lead confirmed it, or its match weight is at or
above the auto-link threshold (directly or through other such links), and never when a reviewer rejected the pair
(docs/linkage.md, "Who sees what"). What the port returns are counts, agency names and plain reasons: never the
other records. The callers have read the person through the one door and decide what their reader may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from joinedup.people.models import Person


@dataclass(frozen=True)
class LinkedHistory:
    """What risk may count: other JoinedUp records of this person (their incidents are this person's history), and
    how many other agencies hold linked records (only the fact that they know the person)."""

    person_ids: tuple[int, ...] = ()
    # How the linked JoinedUp records were linked: "confirmed" (every one by a reviewer), "auto" (every one by a
    # match weight at or above the auto-link threshold, directly or through such links), or "mixed".
    basis: str = ""
    # Agencies holding linked records (imported agency records or linked JoinedUp records) other than those that
    # knew this person in JoinedUp when linkage ran.
    other_agencies: int = 0


@dataclass(frozen=True)
class AgencyElsewhere:
    """One other agency believed to hold records of the person, and why we think so (never the records)."""

    agency_id: int
    uuid: UUID
    name: str
    slug: str
    kind: str
    basis: str  # "confirmed" or "auto"
    reason: str


@dataclass
class _Linkage:
    history: Callable[[Person], LinkedHistory] | None = None
    agencies: Callable[[Person, frozenset[int]], list[AgencyElsewhere]] | None = None
    count: Callable[[Person, frozenset[int]], int] | None = None
    references: Callable[[Person, int], list[str]] | None = None


_linkage = _Linkage()


def register(
    *,
    history: Callable[[Person], LinkedHistory],
    agencies: Callable[[Person, frozenset[int]], list[AgencyElsewhere]],
    count: Callable[[Person, frozenset[int]], int],
    references: Callable[[Person, int], list[str]],
) -> None:
    """Called once by the linkage app, from its AppConfig.ready."""
    _linkage.history, _linkage.agencies, _linkage.count = history, agencies, count
    _linkage.references = references


def linked_history(person: Person) -> LinkedHistory:
    """For risk: the other JoinedUp records believed to be this person, and how many other agencies know them."""
    return _linkage.history(person) if _linkage.history else LinkedHistory()


def agencies_elsewhere(person: Person, *, reader_agencies: frozenset[int]) -> list[AgencyElsewhere]:
    """Other agencies believed to hold records of this person, by name: not the reader's own agencies, nor those
    that knew the person in JoinedUp when linkage ran (an agency asked since, with consent, stays on the list)."""
    return _linkage.agencies(person, reader_agencies) if _linkage.agencies else []


def agencies_elsewhere_count(person: Person, *, reader_agencies: frozenset[int]) -> int:
    """How many such agencies: the same answer as `len(agencies_elsewhere(...))`, in one query, for the case page."""
    return _linkage.count(person, reader_agencies) if _linkage.count else 0


def agency_references(person: Person, agency_id: int) -> list[str]:
    """The agency's own references (its `source_id`s) for the records linked to this person: shown only to that
    agency, answering a request for information, so it can find its own records."""
    return _linkage.references(person, agency_id) if _linkage.references else []
