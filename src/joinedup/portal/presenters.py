"""What the person is shown of their own record, in plain words (a reading age of 9 or under, tested)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.accounts.selectors import passkeys_of
from joinedup.cases.models import Case, Task
from joinedup.cases.safety import current_version, plan_from_json
from joinedup.consent.selectors import access_log
from joinedup.people.models import Person
from joinedup.portal import selectors
from joinedup.referrals import selectors as referral_selectors
from joinedup.risk import selectors as risk_selectors

LEVEL_WORDS = {
    "high": "We are very worried about your safety. Many services will work together to keep you safe.",
    "medium": "We are worried about your safety. We will keep a close eye and check in with you.",
    "standard": "We will keep checking in with you. Tell us if things get worse.",
}
LOOK_WORDS = {
    "view": "looked at your record",
    "create": "added to your record",
    "update": "changed your record",
    "export": "printed or downloaded your record",
    "share": "shared your record",
}
KIND_WORDS = {
    "incident_recorded": "What happened was written down",
    "case_opened": "We started working with you",
    "case_reopened": "We started working with you again",
    "key_worker_assigned": "You have a new key worker",
    "risk_changed": "We looked again at how safe you are",
    "consent_changed": "What you agreed to changed",
    "contact": "We got in touch",
    "referral": "We asked a service to help",
    "signpost": "We gave you details of a service",
    "police_report": "The police were told",
    "case_closed": "We stopped working with you",
    "safety_plan": "Your safety plan changed",
}


@dataclass(frozen=True)
class NextStep:
    what: str
    by: date | None


@dataclass(frozen=True)
class Home:
    person: Person
    case: Case | None
    key_worker: str
    key_worker_agency: str
    level_words: str
    next_steps: list[NextStep]


def home(person: Person, case: Case | None) -> Home:
    steps: list[NextStep] = []
    if case is not None:
        for r in referral_selectors.awaiting_answer(case=case):
            what = "what they know about you" if r.is_information_request else f"about {r.about}"
            steps.append(NextStep(f"{r.to_agency.name} will answer {what}", r.respond_by.date()))
        version = current_version(case=case)
        if version is not None:
            for promise in plan_from_json(version.content).what_services_will_do:
                steps.append(NextStep(f"{promise.who} will {promise.what[:1].lower() + promise.what[1:]}", promise.by))
        for task in case.tasks.filter(status=Task.Status.OPEN).order_by("due_on")[:3]:
            steps.append(NextStep(f"{task.owner.name} will {task.title[:1].lower() + task.title[1:]}", task.due_on))
    risk = risk_selectors.risk_current(person=person)
    return Home(
        person=person,
        case=case,
        key_worker=case.key_worker.name if case else "",
        key_worker_agency=case.key_worker_agency.name if case else "",
        level_words=LEVEL_WORDS.get(risk.level, ""),
        next_steps=sorted(steps, key=lambda s: s.by or date.max),
    )


@dataclass(frozen=True)
class StoryLine:
    at: datetime
    what: str
    detail: str


def story(person: Person) -> list[StoryLine]:
    return [
        StoryLine(e.at, KIND_WORDS.get(e.kind, "Something happened"), e.summary)
        for e in selectors.story_for_person(person=person)[:50]
    ]


@dataclass(frozen=True)
class Look:
    at: datetime
    who: str
    agency: str
    what: str
    why: str


def who_looked(person: Person) -> list[Look]:
    """One line per look: who, which agency, when, why (the one door writes one entry per look)."""
    looks: list[Look] = []
    for e in access_log(person=person)[:100]:
        you = e.actor_id is not None and e.actor_name == person.display_name and not e.actor_agency_name
        looks.append(
            Look(
                at=e.at,
                who="You" if you else (e.actor_name or "The system"),
                agency="" if you else e.actor_agency_name,
                what=LOOK_WORDS.get(e.action, "used your record"),
                why=_why(e),
            )
        )
    return looks


def _why(entry: Any) -> str:
    return str(entry.purpose or entry.summary or "")


@dataclass(frozen=True)
class PasskeyRow:
    """One of the person's passkeys, as they see it: when it was added and last used (nothing technical)."""

    id: int
    added: date | None
    last_used: date | None


def _local_date(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def passkey_rows(user: User) -> list[PasskeyRow]:
    return [
        PasskeyRow(id=p.pk, added=_local_date(p.created_at), last_used=_local_date(p.last_used_at))
        for p in passkeys_of(user)
    ]
