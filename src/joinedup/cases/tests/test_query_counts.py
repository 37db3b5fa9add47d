"""The case page and My work use a fixed number of queries, however long the story or the caseload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case, Task
from joinedup.cases.selectors import case_read
from joinedup.cases.work import case_facts
from joinedup.incidents.services import incident_record, incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


def count(client: Client, path: str) -> int:
    client.get(path)  # warm: first reads create cache rows and first risk assessments
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_case_page_queries_do_not_grow_with_the_timeline(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    client = Client()
    client.force_login(nurse)
    small = count(client, f"/cases/{case.uuid}")
    for n in range(40):
        incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
        Task.objects.create(
            case=case,
            title=f"Task {n}",
            owner=nurse,
            owner_agency=gp,
            created_by=nurse,
            due_on=timezone.localdate() + timedelta(days=n),
        )
    assert count(client, f"/cases/{case.uuid}") == small


def test_my_work_queries_do_not_grow_with_the_caseload(
    nurse: User, gp: Agency, incident_input: Callable[..., Any]
) -> None:
    client = Client()
    client.force_login(nurse)

    def add(n: int) -> None:
        for i in range(n):
            incident = incident_record_with_new_person(
                actor=nurse,
                agency=gp,
                details=PersonDetails(given_name=f"Person{i}", family_name="Test"),
                data=incident_input(),
            )
            assert incident.case is not None
            Task.objects.create(
                case=incident.case,
                title="Call",
                owner=nurse,
                owner_agency=gp,
                created_by=nurse,
                due_on=timezone.localdate(),
            )

    add(2)
    small = count(client, "/my-work")
    add(30)
    assert count(client, "/my-work") == small


def test_a_case_read_decides_on_the_same_facts_with_one_query_fewer(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]
) -> None:
    """case_read knows an open case's key worker from the row it read (one open case per person): the door
    decides on exactly the facts case_facts gathers, open or closed."""
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    _, seen = case_read(actor=nurse, case_uuid=case.uuid, purpose="Testing")
    assert seen.facts == case_facts(case)
    Case.objects.filter(pk=case.pk).update(status="closed")
    closed = Case.objects.get(pk=case.pk)
    _, seen = case_read(actor=nurse, case_uuid=case.uuid, purpose="Testing")
    assert seen.facts == case_facts(closed) and not seen.facts.key_worker_ids
