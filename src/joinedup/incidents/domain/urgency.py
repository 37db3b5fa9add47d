"""When a report cannot wait: the answers that mean a crisis, and when the hub must pick a report up. Pure.

A person who says they are in danger now, thinking about ending their life, harming themselves, or unable to
keep themselves safe is shown what to do now on the very next page (999, 999 then 55 when they cannot speak,
NHS 111 option 2, Samaritans, Shout), and the report is marked urgent: the hub picks it up the same day.
Every other report is picked up within 1 working day (docs/recording.md, "Crisis help at once").
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import date

from joinedup.core.domain.calendar import add_working_days

# Risk flags, in the order they are shown. Values are stored on the incident.
DANGER_NOW = "danger_now"
SUICIDAL_THOUGHTS = "suicidal_thoughts"
SELF_HARM = "self_harm"
CANNOT_KEEP_SAFE = "cannot_keep_safe"
FLAGS = (DANGER_NOW, SUICIDAL_THOUGHTS, SELF_HARM, CANNOT_KEEP_SAFE)

FLAG_LABELS = {
    DANGER_NOW: "In danger now",
    SUICIDAL_THOUGHTS: "Thoughts of ending their life",
    SELF_HARM: "Self-harm",
    CANNOT_KEEP_SAFE: "Cannot keep themselves safe",
}


def crisis_flags(
    *, safety_now: Iterable[str] = (), impacts: Iterable[str] = (), unable_to_protect_self: str = "unknown"
) -> tuple[str, ...]:
    """Every crisis the answers show, in a fixed order. `safety_now` is the person's "right now" answer;
    the impact "suicidality" and being unable to protect themselves count too, wherever they were asked."""
    found = {flag for flag in safety_now if flag in FLAGS}
    if "suicidality" in set(impacts):
        found.add(SUICIDAL_THOUGHTS)
    if unable_to_protect_self == "yes":
        found.add(CANNOT_KEEP_SAFE)
    return tuple(flag for flag in FLAGS if flag in found)


def pick_up_by(received: date, *, urgent: bool, closed: Container[date] | None = None) -> date:
    """The day the hub must pick a report up by: the same day when urgent, otherwise the next working day."""
    return received if urgent else add_working_days(received, 1, closed)
