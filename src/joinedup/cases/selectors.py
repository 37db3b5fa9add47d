"""Reading the shared story: the timeline, scoped to people the actor may see."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.access.decision import NotVisible, actor_facts
from joinedup.access.domain.policy import SubjectFacts
from joinedup.access.door import Seen, read
from joinedup.accounts.models import User
from joinedup.cases.models import Case, CaseStatus, Escalation, Handover, Task, TimelineEntry
from joinedup.core.domain.partnership import CASEWORK_ROLES
from joinedup.people.models import Person
from joinedup.people.selectors import agency_links, people_known_to


def timeline_for_person(*, person: Person) -> QuerySet[TimelineEntry]:
    """The person's timeline, newest first. Callers have already been allowed to see the person
    (people.selectors.person_get, audited); the query is one, whatever the page shows."""
    return TimelineEntry.objects.filter(person=person).select_related("actor", "agency").order_by("-at", "-id")


def open_case(*, person: Person) -> Case | None:
    return Case.objects.filter(person=person, status="open").select_related("key_worker", "key_worker_agency").first()


def police_report_sent_for(*, person: Person) -> bool:
    """Was a report to the police sent for the person? Through the relation the police app adds to a case (it
    sits above this one, so it is named, not imported)."""
    return Case.objects.filter(person=person, police_reports__isnull=False).exists()


def latest_case(*, person: Person) -> Case | None:
    """The person's open case, else their most recent one (the person's own place shows what last happened)."""
    return (
        Case.objects.filter(person=person)
        .select_related("key_worker", "key_worker_agency")
        .order_by("-status", "-opened_at")  # "open" sorts after "closed": reversed, an open case comes first
        .first()
    )


def case_read(
    *, actor: User, case_uuid: uuid.UUID | str, purpose: str, audit_action: str = "view"
) -> tuple[Case, Seen]:
    """A case through the one door: 404 unless the actor may see the person, one audit entry, and the field
    groups this actor may see of the person's record."""

    try:
        case = Case.objects.select_related("person", "key_worker", "key_worker_agency").get(uuid=case_uuid)
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing
    # The case row just read is the person's open case, if it is open: its facts need no second look-up.
    facts = replace(person_facts(case.person, open_case=case), kind="case")
    seen = read(
        actor, "case.view", case, facts=facts, purpose=purpose, person_uuid=case.person.uuid, audit_action=audit_action
    )
    return case, seen


def case_get(*, actor: User, case_uuid: uuid.UUID | str, purpose: str) -> Case:
    return case_read(actor=actor, case_uuid=case_uuid, purpose=purpose)[0]


def cases_visible(*, actor: User, status: str | None = None) -> QuerySet[Case]:
    """Cases of people the actor may see, highest risk first. Callers audit what they show."""

    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    cases = Case.objects.filter(Q(key_worker=actor) | Q(person_id__in=people_known_to(agencies)))
    if status:
        cases = cases.filter(status=status)
    return cases.select_related("person", "key_worker", "key_worker_agency").order_by("risk_rank", "-opened_at", "id")


def my_cases(*, user: User, risk: str | None = None) -> QuerySet[Case]:
    """A key worker's open cases, highest risk first: an index range (case_key_worker_rank). Only the columns
    My work shows and audits are read — a page of 25 builds 50 small objects, not 75 whole rows."""
    cases = Case.objects.filter(key_worker=user, status="open")
    if risk:
        cases = cases.filter(risk_level=risk)
    return cases.select_related("person").only(*MY_WORK_COLUMNS).order_by("risk_rank", "opened_at", "id")


MY_WORK_COLUMNS = (
    "uuid",
    "status",
    "key_worker_id",
    "risk_level",
    "risk_rank",
    "opened_at",
    "person__uuid",
    "person__given_name",
    "person__family_name",
)


def provisional_cases_query(*, user: User) -> QuerySet[Case]:
    """A few among a key worker's thousands of open cases: a range of their own partial index
    (case_held_until_chosen), not a filter over every case the user holds."""
    pending = Handover.objects.filter(case=OuterRef("pk"), status=Handover.Status.PENDING)
    return (
        Case.objects.filter(key_worker=user, key_worker_provisional=True, status=CaseStatus.OPEN)
        .annotate(handover_waiting=Exists(pending))
        .select_related("person")
        # What My work shows and audits of each: not the whole case and person rows.
        .only(
            "uuid", "status", "key_worker_id", "opened_at", "person__uuid", "person__given_name", "person__family_name"
        )
        .order_by("opened_at", "id")[:50]
    )


def provisional_cases(*, user: User) -> list[Case]:
    """Open cases the user holds only until a key worker is chosen, oldest first, each marked with whether a
    handover is already waiting. My work audits them with the rest of its list."""
    return list(provisional_cases_query(user=user))


def my_tasks(*, user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(owner=user, status=Task.Status.OPEN)
        .select_related("case", "case__person")
        .order_by("due_on", "id")
    )


def handovers_waiting(*, user: User) -> QuerySet[Handover]:
    return (
        Handover.objects.filter(to_user=user, status=Handover.Status.PENDING)
        .select_related("case", "case__person", "from_user")
        .order_by("requested_at")
    )


def timeline_for_case(*, case: Case, kind: str | None = None) -> QuerySet[TimelineEntry]:
    """The person's whole story (every case of theirs), newest first, optionally one kind of event."""
    entries = timeline_for_person(person=case.person)
    return entries.filter(kind=kind) if kind else entries


def incident_ids_for_case(*, case: Case) -> list[str]:
    """The incidents in the person's story on this case, oldest first, from the timeline the story app owns
    (cases never reads the incidents app's tables)."""
    return list(
        TimelineEntry.objects.filter(case=case, kind="incident_recorded", object_type="incidents.incident")
        .order_by("at", "id")
        .values_list("object_id", flat=True)
    )


def open_tasks(*, case: Case) -> QuerySet[Task]:
    return case.tasks.filter(status=Task.Status.OPEN).select_related("owner").order_by("due_on", "id")


def tasks_of(*, case: Case) -> QuerySet[Task]:
    return case.tasks.select_related("owner").order_by("status", "due_on", "id")


def pending_handover(*, case: Case) -> Handover | None:
    return case.handovers.filter(status=Handover.Status.PENDING).select_related("to_user").first()


def pending_handover_to(*, case: Case) -> str | None:
    """The name of the colleague a pending handover of the case waits for (at most one is pending)."""
    return case.handovers.filter(status=Handover.Status.PENDING).values_list("to_user__name", flat=True).first()


def task_of(*, case: Case, task_uuid: uuid.UUID | str) -> Task | None:
    return Task.objects.filter(uuid=task_uuid, case=case).select_related("case", "case__person").first()


def handover_for(*, user: User, handover_uuid: uuid.UUID | str) -> Handover | None:
    """A handover sent to this user (anyone else's answers 404)."""

    try:
        return Handover.objects.select_related("case", "case__person").filter(uuid=handover_uuid, to_user=user).first()
    except (ValueError, ValidationError):
        return None


def task_by_uuid(*, task_uuid: uuid.UUID | str) -> Task | None:
    """A task by its id, for the caller to read its case through the one door before showing anything."""

    try:
        return Task.objects.select_related("case", "case__person").filter(uuid=task_uuid).first()
    except (ValueError, ValidationError):
        return None


def escalations_for(*, item_type: str, item_id: int) -> list[Any]:

    return list(Escalation.objects.filter(item_type=item_type, item_id=item_id).order_by("at", "id"))


# ---------------------------------------------------------------- access facts about a person
# Who may see a person, and what of their record, depends on the agencies that know them (people) and on who holds
# their open case (here): so the person's access facts are built in the cases app, which sits above people.


def person_facts(person: Person, *, open_case: Case | None = None) -> SubjectFacts:
    """`open_case` is the person's open case where the caller has just read it from the database: a person has
    at most one open case (case_one_open_case_per_person), so its key worker is the one keeper, not looked up
    again."""
    links = frozenset(agency_links([person.pk])[person.pk])
    if open_case is not None and open_case.status == CaseStatus.OPEN and open_case.person_id == person.pk:
        keepers = frozenset({open_case.key_worker_id})
    else:
        keepers = frozenset(
            Case.objects.filter(person=person, status="open").order_by().values_list("key_worker_id", flat=True)
        )
    return SubjectFacts(
        kind="person",
        agency_ids=frozenset(agency for agency, _, _ in links),
        key_worker_ids=keepers,
        links=links,
        personal=True,
        person_ids=frozenset({person.pk}),
    )


def people_facts(person_ids: list[int]) -> dict[int, SubjectFacts]:
    """The access facts of many people in two queries, for list pages and list APIs that show a field group
    (the risk level) per row."""
    links = agency_links(person_ids)
    keepers: dict[int, set[int]] = {pid: set() for pid in person_ids}
    for person_id, keeper in Case.objects.filter(person_id__in=person_ids, status="open").values_list(
        "person_id", "key_worker_id"
    ):
        keepers[person_id].add(keeper)
    return {
        pid: SubjectFacts(
            kind="person",
            agency_ids=frozenset(a for a, _, _ in links[pid]),
            key_worker_ids=frozenset(keepers[pid]),
            links=frozenset(links[pid]),
            personal=True,
            person_ids=frozenset({pid}),
        )
        for pid in person_ids
    }
