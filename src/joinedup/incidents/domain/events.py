"""One event, many accounts: when two reports are likely accounts of the same event. Pure.

The person and a friend may each tell someone about the same attack. Joining the reports keeps both accounts,
verbatim, and lets risk, panel counts and police packages count the event once. Joining is always a person's
decision; this rule only suggests it, when the date, the place and who did it all match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UNKNOWN_PERPETRATORS = frozenset({"unknown"})


@dataclass(frozen=True)
class Account:
    """What the rule compares about a report."""

    occurred_on: date | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    location_kind: str = ""
    relationships: frozenset[str] = frozenset()
    perpetrator_details: frozenset[str] = frozenset()  # normalised free text, e.g. "number 4"


@dataclass(frozen=True)
class Likeness:
    same_event_likely: bool
    reasons: tuple[str, ...]


def _span(a: Account) -> tuple[date, date] | None:
    if a.occurred_on:
        return a.occurred_on, a.occurred_on
    if a.occurred_from and a.occurred_to:
        return a.occurred_from, a.occurred_to
    return None


def likeness(a: Account, b: Account) -> Likeness:
    """Suggest joining when the dates match (the same day, or overlapping ranges), the place matches, and the same
    kind of person did it (a named detail in common, when both give one). Anything unknown is not a match."""
    reasons: list[str] = []
    misses: list[str] = []
    span_a, span_b = _span(a), _span(b)
    if span_a and span_b and span_a[0] <= span_b[1] and span_b[0] <= span_a[1]:
        reasons.append("the same date" if span_a == span_b and span_a[0] == span_a[1] else "overlapping dates")
    else:
        misses.append("date")
    if a.location_kind and a.location_kind == b.location_kind:
        reasons.append("the same place")
    else:
        misses.append("place")
    shared = (a.relationships & b.relationships) - UNKNOWN_PERPETRATORS
    details_clash = bool(a.perpetrator_details and b.perpetrator_details) and not (
        a.perpetrator_details & b.perpetrator_details
    )
    if shared and not details_clash:
        reasons.append("the same people harming them")
    else:
        misses.append("perpetrators")
    return Likeness(not misses, tuple(reasons))


def normalise_detail(text: str) -> str:
    return " ".join(text.lower().replace(",", " ").split())


def told_by(reported_by: str, relationship: str = "", agency: str = "") -> str:
    """Who gave an account, in plain words: "a friend (third party)", "the person themselves", "Eastmere GP
    (practitioner)"."""
    if reported_by == "self":
        return "the person themselves"
    if reported_by == "third_party":
        who = relationship.strip().lower()
        if who:
            article = "an" if who[0] in "aeiou" else "a"
            return f"{who if who.startswith(('their ', 'a ', 'an ')) else f'{article} {who}'} (third party)"
        return "someone else (third party)"
    return f"{agency} (practitioner)" if agency else "a practitioner"
