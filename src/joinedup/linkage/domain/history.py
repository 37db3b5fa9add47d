"""Which linked records count as the same person, and why: the rule behind "known to N other agencies" and the
linked history risk counts. Pure.

A pair counts as a link when a data protection lead confirmed it, or when linkage scored it at or above the
auto-link weight. Records joined by such links, directly or through other records, are one identity (linkage's
cluster). A pair in the review band (below the auto-link weight, nobody has decided) is not a link. A pair a
reviewer rejected is never counted: the record a reviewer said is not this person is left out even when other
links still join the two, so a human "no" always wins over the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CONFIRMED = "confirmed"
AUTO = "auto"
REVIEW = "review"
REJECTED = "rejected"
THROUGH = "through"  # reached only through other linked records


@dataclass(frozen=True)
class Link:
    left: str
    right: str
    status: str
    weight: float


def is_link(link: Link, *, auto_link_weight: float) -> bool:
    """Confirmed by a reviewer, or linked automatically at or above the auto-link weight."""
    return link.status == CONFIRMED or (link.status == AUTO and link.weight >= auto_link_weight)


def same_person(key: str, links: Iterable[Link], *, auto_link_weight: float) -> dict[str, str]:
    """The records believed to be the same person as `key`, each with how it was linked to it: `confirmed` (a
    reviewer confirmed the pair), `auto` (matched at or above the auto-link weight) or `through` (joined only
    through other linked records). Never `key` itself, never a record whose pair with `key` was rejected."""
    links = list(links)
    rejected = {
        link.right if link.left == key else link.left
        for link in links
        if link.status == REJECTED and key in (link.left, link.right)
    }
    neighbours: dict[str, set[str]] = {}
    direct: dict[str, str] = {}
    for link in links:
        if not is_link(link, auto_link_weight=auto_link_weight):
            continue
        neighbours.setdefault(link.left, set()).add(link.right)
        neighbours.setdefault(link.right, set()).add(link.left)
        if key in (link.left, link.right):
            other = link.right if link.left == key else link.left
            # A confirmation outranks an automatic link of the same pair (a pair has one row, but be safe).
            if direct.get(other) != CONFIRMED:
                direct[other] = CONFIRMED if link.status == CONFIRMED else AUTO
    reached, frontier = {key}, [key]
    while frontier:
        for other in neighbours.get(frontier.pop(), ()):
            if other not in reached:
                reached.add(other)
                frontier.append(other)
    return {other: direct.get(other, THROUGH) for other in sorted(reached - {key} - rejected)}


def basis_of(bases: Iterable[str]) -> str:
    """One word for how a set of linked records was linked: `confirmed` when a reviewer confirmed every one,
    `auto` when none was confirmed, `mixed` otherwise; empty for none."""
    found = set(bases)
    if not found:
        return ""
    if found == {CONFIRMED}:
        return CONFIRMED
    if CONFIRMED not in found:
        return AUTO
    return "mixed"
