"""Key work reads: finding a case, and the cases a practitioner holds only until a key worker is chosen. Selectors
never write: the pages that show these audit one entry per person shown through the one door
(access.door.read_list)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.access import door
from joinedup.accounts.models import User
from joinedup.cases.models import Case, CaseStatus, Handover
from joinedup.cases.selectors import cases_visible
from joinedup.incidents.models import TriageItem
from joinedup.keywork.domain.search import read_query
from joinedup.keywork.models import CaseNote
from joinedup.people.domain import matching
from joinedup.people.models import Person
from joinedup.people.selectors import identity_from_text

SEARCH_PURPOSE = "Finding a case on My work"
SEARCH_LIMIT = 20


@dataclass
class Found:
    person: Person
    cases: list[Case] = field(default_factory=list)


_OPEN_FIRST = ("-status", "person__family_name", "person__given_name", "-opened_at", "id")  # "open" > "closed"


def case_search(*, actor: User, q: str) -> list[Found]:
    """Cases by the person's name (nicknames count: Bob finds Robert), date of birth, a report reference, or the
    start of the case id — only among cases the actor may see (cases.selectors.cases_visible, the scope of people
    search), open cases first. The page audits one entry per person shown."""
    query = read_query(q)
    if not (query.text or query.case_id_prefix or query.report_reference):
        return []
    door.allow_list(actor, "person.search", purpose=SEARCH_PURPOSE)
    cases = cases_visible(actor=actor)
    if query.case_id_prefix:
        cases = cases.filter(uuid__startswith=query.case_id_prefix)
    elif query.report_reference:
        cases = cases.filter(
            person_id__in=TriageItem.objects.filter(reference=query.report_reference).values("incident__person_id")
        )
    else:
        identity = identity_from_text(query.text)
        words = [w for w in (identity.given_name, identity.family_name) if w]
        if not words and identity.date_of_birth is None:
            return []
        if identity.date_of_birth is not None:
            cases = cases.filter(person__date_of_birth=identity.date_of_birth)
        if identity.given_name:
            cases = cases.filter(
                person__given_key=matching.given_key(identity.given_name),
                person__family_key__startswith=matching.name_key(identity.family_name),
            )
        elif identity.family_name:
            word = identity.family_name
            cases = cases.filter(
                Q(person__family_key__startswith=matching.name_key(word))
                | Q(person__given_key=matching.given_key(word))
            )
    by_person: dict[int, Found] = {}
    for case in cases.order_by(*_OPEN_FIRST)[:SEARCH_LIMIT]:
        by_person.setdefault(case.person_id, Found(case.person)).cases.append(case)
    return list(by_person.values())


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


def case_notes(*, case: Case) -> list[CaseNote]:
    """The notes on a case, newest first. The caller has already been allowed to see the case (case_get, audited)."""
    return list(CaseNote.objects.filter(case=case).select_related("author", "author_agency"))
