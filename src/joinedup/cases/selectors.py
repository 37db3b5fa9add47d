"""Reading the shared story: the timeline, scoped to people the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from joinedup.cases.models import Case, TimelineEntry
from joinedup.people.models import Person


def timeline_for_person(*, person: Person) -> QuerySet[TimelineEntry]:
    """The person's timeline, newest first. Callers have already been allowed to see the person
    (people.selectors.person_get, audited); the query is one, whatever the page shows."""
    return TimelineEntry.objects.filter(person=person).select_related("actor", "agency").order_by("-at", "-id")


def open_case(*, person: Person) -> Case | None:
    return Case.objects.filter(person=person, status="open").select_related("key_worker", "key_worker_agency").first()
