"""Safe contact: the person's own rules for how, when and whether they may be contacted (domain.md §7; seed 004
names confidentiality breaches as a harm). Every outbound contact goes through `may_contact`. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

CHANNELS = ("phone", "text", "email", "letter", "visit")
TIMED_CHANNELS = frozenset({"phone", "text", "visit"})


@dataclass(frozen=True)
class SafeContact:
    allowed: frozenset[str]
    notes: str = ""
    no_voicemail: bool = False
    safe_from: time | None = None
    safe_to: time | None = None

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> SafeContact:
        data = data or {}
        hours = data.get("safe_hours") or {}
        assert isinstance(hours, dict)  # noqa: S101 — stored by our own services

        def parse(value: object) -> time | None:
            return time.fromisoformat(str(value)) if value else None

        allowed = data.get("allowed") or []
        assert isinstance(allowed, list)  # noqa: S101
        return cls(
            allowed=frozenset(str(a) for a in allowed),
            notes=str(data.get("notes") or ""),
            no_voicemail=bool(data.get("no_voicemail")),
            safe_from=parse(hours.get("from")),
            safe_to=parse(hours.get("to")),
        )


@dataclass(frozen=True)
class ContactDecision:
    allowed: bool
    reason: str
    instructions: tuple[str, ...] = ()


def may_contact(rules: SafeContact, *, channel: str, at: time, contact_refused: bool = False) -> ContactDecision:
    if channel not in CHANNELS:
        return ContactDecision(False, f"'{channel}' is not a way we contact people.")
    if contact_refused:
        return ContactDecision(False, "The person said they do not want to be contacted.")
    if not rules.allowed:
        return ContactDecision(False, "The person asked not to be contacted, or has not told us a safe way yet.")
    if channel not in rules.allowed:
        safe = ", ".join(sorted(rules.allowed))
        return ContactDecision(False, f"{channel.capitalize()} is not a safe way to contact them. Safe: {safe}.")
    if channel in TIMED_CHANNELS and rules.safe_from and rules.safe_to:
        inside = (
            (rules.safe_from <= at <= rules.safe_to)
            if rules.safe_from <= rules.safe_to
            else (at >= rules.safe_from or at <= rules.safe_to)
        )
        if not inside:
            return ContactDecision(
                False, f"Only contact them between {rules.safe_from:%H:%M} and {rules.safe_to:%H:%M}."
            )
    instructions = []
    if channel == "phone" and rules.no_voicemail:
        instructions.append("Do not leave a voicemail.")
    if rules.notes:
        instructions.append(rules.notes)
    return ContactDecision(True, "This is a safe way to contact them.", tuple(instructions))


def safe_contact_words(data: dict[str, object] | None) -> str:
    """The person's safe-contact rules in plain words, for an agency deciding whether it can take them on."""
    rules = SafeContact.from_json(data)
    if not rules.allowed:
        return "Do not contact them: they asked not to be contacted, or have not told us a safe way yet."
    ways = [c for c in CHANNELS if c in rules.allowed]
    words = "Only by " + (", ".join(ways[:-1]) + " or " + ways[-1] if len(ways) > 1 else ways[0])
    if rules.safe_from and rules.safe_to:
        words += f", between {rules.safe_from:%H:%M} and {rules.safe_to:%H:%M}"
    if rules.no_voicemail:
        words += "; do not leave a voicemail"
    if rules.notes:
        words += f". They said: {rules.notes}"
    return words + "."
