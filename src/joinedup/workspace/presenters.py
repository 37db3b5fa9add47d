"""The case in sub-pages, the person's page and My work, composed from each app's selectors and presenters.

Every page reads its subject once through the one door (access/door.py) and gets back the field groups this
reader may see; everything put in front of a template below comes through a presenter that keeps only those
groups — derived text included (risk reasons, suggestions, timeline summaries, tags). A template never decides
access: it shows what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from joinedup.access.decision import actor_facts
from joinedup.access.domain.minimum import GROUP_WORDS
from joinedup.access.door import Seen
from joinedup.accounts.models import Agency, User
from joinedup.cases import selectors as case_selectors
from joinedup.cases.models import Case, CaseStatus, Task
from joinedup.cases.presenters import StoryItem, story_items
from joinedup.consent.contact import contact_check
from joinedup.incidents import selectors as incident_selectors
from joinedup.people import linked
from joinedup.people.domain.contact import ContactDecision
from joinedup.people.models import ContactAttempt, Person
from joinedup.people.selectors import contacts_of
from joinedup.referrals import selectors as referral_selectors
from joinedup.referrals.presenters import present_referrals
from joinedup.risk import selectors as risk_selectors
from joinedup.risk.models import RiskAssessment
from joinedup.risk.presenters import RiskShown, present_risk


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str


SECTIONS = (
    Section("summary", "Summary", "cases:case"),
    Section("story", "Story", "cases:story"),
    Section("support", "Support", "cases:support"),
    Section("risk", "Risk", "cases:risk"),
    Section("plan", "Safety plan", "cases:plan"),
    Section("messages", "Messages", "cases:messages"),
    Section("sharing", "Sharing", "cases:sharing"),
    Section("police", "Police and Victims' Code", "cases:police"),
    Section("tasks", "Tasks and contacts", "cases:tasks"),
    Section("close", "Close", "cases:close"),
)


@dataclass(frozen=True)
class Account:
    at: datetime
    by: str
    words: str
    incident_uuid: Any


@dataclass
class CaseHeader:
    """What every sub-page of the case shows at the top."""

    case: Case
    person: Person
    current: str
    # The level beside the name (None where the reader's agency does not see the risk group). For an open case it
    # is the case's own stored level, which cases.services.case_risk_level_set keeps in step with every stored
    # assessment (and My work lists): no sub-page reads the assessment, or runs the rules, just to show it.
    risk_level: str | None
    # The whole assessment, for the pages that show why (the Risk sub-page) or use it (Support).
    risk: RiskShown | None
    withheld_words: list[str]
    can_manage: bool
    open: bool
    sections: tuple[Section, ...] = SECTIONS


def header(actor: User, case: Case, seen: Seen, current: str, *, risk: RiskAssessment | None = None) -> CaseHeader:
    """The top of every sub-page. `risk` is the person's current assessment, where the page reads it anyway."""
    is_open = case.status == CaseStatus.OPEN
    if risk is None and not is_open and seen.sees("risk"):
        risk = risk_selectors.risk_current(person=case.person)  # a closed case's level stopped following
    shown = present_risk(risk, seen)
    level = None if not seen.sees("risk") else shown.level if shown is not None else case.risk_level
    return CaseHeader(
        case=case,
        person=case.person,
        current=current,
        risk_level=level,
        risk=shown,
        withheld_words=[GROUP_WORDS[g] for g in seen.withheld],
        can_manage=seen.decide(actor, "case.manage").allowed,
        open=is_open,
    )


@dataclass(frozen=True)
class NextTask:
    title: str
    due_on: date
    owner_name: str


@dataclass(frozen=True)
class AwaitedAnswer:
    overdue: bool
    to_agency_name: str
    service_name: str
    respond_by: datetime


@dataclass
class Summary:
    """The case's first screen. Each line is read as the plain values it shows (no model objects built, no
    JSON decoded for fields the screen does not show): this page is the one practitioners open most."""

    accounts: list[Account]
    wants: str | None
    next_tasks: list[NextTask]
    awaiting: list[AwaitedAnswer]
    handover_to: str | None  # the colleague a pending handover waits for
    today: date = field(default_factory=timezone.localdate)


def accounts_for(person: Person, seen: Seen, *, limit: int) -> list[Account]:
    """The person's own words, newest first: only to readers who may see the account group."""
    if not seen.sees("account"):
        return []
    rows = incident_selectors.accounts_of(person=person, limit=limit).values_list(
        "created_at", "recording_agency__name", "description", "uuid"
    )
    return [Account(at, agency or "", words, uuid) for at, agency, words, uuid in rows]


def summary(case: Case, seen: Seen) -> Summary:
    tasks = (
        [
            NextTask(*row)
            for row in case_selectors.open_tasks(case=case)[:5].values_list("title", "due_on", "owner__name")
        ]
        if seen.sees("account")
        else []
    )
    # Each listed only where its groups are seen (a request to a health agency names a health fact).
    awaiting = (
        [
            AwaitedAnswer(r.status == "overdue", r.to_agency.name, r.about, r.respond_by)
            for r in present_referrals(list(referral_selectors.awaiting_answer(case=case)), seen)[0]
        ]
        if seen.sees("harm")
        else []
    )
    return Summary(
        accounts=accounts_for(case.person, seen, limit=3),
        wants=case.desired_outcomes if seen.sees("account") else None,
        next_tasks=tasks,
        awaiting=awaiting,
        handover_to=case_selectors.pending_handover_to(case=case),
    )


@dataclass(frozen=True)
class KnownElsewhere:
    """Linkage's "known to N other agencies" on the case summary: a count, never the other records."""

    count: int
    can_ask: bool


def known_elsewhere(actor: User, case: Case, seen: Seen) -> KnownElsewhere | None:
    """Shown only where the policy lets this reader see the person's links (`person.links.view`, decided on the
    facts the case read already holds: no query), and only when there is something to say. One query: a count."""
    if not seen.decide(actor, "person.links.view").allowed:
        return None
    count = linked.agencies_elsewhere_count(case.person, reader_agencies=actor_facts(actor).agency_ids)
    return KnownElsewhere(count=count, can_ask=case.status == "open") if count else None


def story(case: Case, seen: Seen, entries: list[Any]) -> list[StoryItem]:
    return story_items(entries, seen)


@dataclass
class TasksAndContacts:
    tasks: list[Task]
    contacts: list[ContactAttempt]
    safe_now: dict[str, ContactDecision]
    shows_tasks: bool
    shows_contacts: bool
    today: date = field(default_factory=timezone.localdate)


def tasks_and_contacts(case: Case, seen: Seen, agency: Agency | None) -> TasksAndContacts:
    """Tasks, contacts and whether it is safe to contact the person now — for the reader's own agency (a refusal
    of contact may name one agency)."""

    shows_tasks, shows_contacts = seen.sees("account"), seen.sees("contact")
    return TasksAndContacts(
        tasks=list(case_selectors.tasks_of(case=case)) if shows_tasks else [],
        contacts=list(contacts_of(person=case.person, limit=20)) if shows_contacts else [],
        safe_now=contact_check(person=case.person, agency=agency) if shows_contacts else {},
        shows_tasks=shows_tasks,
        shows_contacts=shows_contacts,
    )
