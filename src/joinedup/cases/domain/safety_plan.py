"""A safety plan, co-produced by the person and their key worker (seed 000: "the person's voice decides"; domain.md
§6–7). Pure: its parts, who may write each, and what a change must contain.

The person's own parts are in their words and only they (or the key worker writing down what they say) change
them; what services will do is the services' promise, each with who and by when, so it can be followed up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The person's parts: what they notice, where and who is safe, what they will do.
PERSON_PARTS = ("warning_signs", "safe_places_and_people", "what_i_will_do")
# The services' parts.
SERVICE_PARTS = ("what_services_will_do", "numbers_to_call", "practical_steps")
PARTS = PERSON_PARTS + SERVICE_PARTS

LABELS = {
    "warning_signs": "Signs that things are getting worse",
    "safe_places_and_people": "Safe places and people",
    "what_i_will_do": "What I will do",
    "what_services_will_do": "What services will do, and by when",
    "numbers_to_call": "Numbers to call",
    "practical_steps": "Practical steps",
}
PERSON_LABELS = {
    "warning_signs": "Signs that things are getting worse for me",
    "safe_places_and_people": "Places and people where I feel safe",
    "what_i_will_do": "What I will do",
}
PRACTICAL_STEPS = {
    "fire_safety_visit": "A home fire safety visit (alarms, letterbox protection)",
    "home_security": "Home security: locks, a door chain, a video doorbell",
    "changing_routines": "Changing routines: times and routes",
    "online_safety": "Online safety: blocking, privacy settings, keeping evidence",
}
# Always on the plan, whatever else is written: what to do in an emergency or a crisis.
STANDING_NUMBERS = (
    "999 in an emergency. If you cannot speak, stay on the line and press 55 when asked.",
    "NHS 111, option 2, for urgent mental health help, any time.",
    "Samaritans: call 116 123, free, any time.",
    "Text SHOUT to 85258 for free text support, any time.",
)
MAX_TEXT = 4000
MAX_PROMISES = 30


@dataclass(frozen=True)
class Promise:
    """What a service will do, who will do it, and by when."""

    what: str
    who: str
    by: date | None


@dataclass(frozen=True)
class Plan:
    warning_signs: str = ""
    safe_places_and_people: str = ""
    what_i_will_do: str = ""
    what_services_will_do: tuple[Promise, ...] = ()
    numbers_to_call: str = ""
    practical_steps: tuple[str, ...] = field(default_factory=tuple)


def plan_problems(plan: Plan, *, today: date) -> dict[str, list[str]]:
    """What is wrong with a plan as written: each problem on its field, in plain words."""
    problems: dict[str, list[str]] = {}
    for name in ("warning_signs", "safe_places_and_people", "what_i_will_do", "numbers_to_call"):
        if len(getattr(plan, name)) > MAX_TEXT:
            problems[name] = [f"Write {MAX_TEXT:,} characters or fewer"]
    if len(plan.what_services_will_do) > MAX_PROMISES:
        problems["what_services_will_do"] = [f"List {MAX_PROMISES} things or fewer"]
    for index, promise in enumerate(plan.what_services_will_do):
        key = f"what_services_will_do.{index}"
        if not promise.what.strip():
            problems[key] = ["Say what the service will do"]
        elif not promise.who.strip():
            problems[key] = ["Say who will do it"]
        elif promise.by is None:
            problems[key] = ["Say by when"]
        elif promise.by < today:
            problems[key] = ["The date must be today or later"]
    unknown = [s for s in plan.practical_steps if s not in PRACTICAL_STEPS]
    if unknown:
        problems["practical_steps"] = ["Choose from the practical steps listed"]
    return problems


def changed_parts(before: Plan | None, after: Plan) -> list[str]:
    """Which parts a new version changes (the history says who changed what)."""
    if before is None:
        return [p for p in PARTS if getattr(after, p)]
    return [p for p in PARTS if getattr(before, p) != getattr(after, p)]


def person_may_change(parts: list[str]) -> bool:
    """The person changes their own parts; the services' promises are the services' to change."""
    return all(p in PERSON_PARTS for p in parts)
