from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import user_deactivate
from joinedup.accounts.tests.factories import make_user
from joinedup.cases.domain.rules import closure_problems, escalation_level
from joinedup.cases.models import Case, Escalation, Handover, Task, TimelineEntry
from joinedup.cases.work import (
    case_close,
    handover_accept,
    handover_decline,
    handover_request,
    task_complete,
    task_create,
)
from joinedup.core.domain.calendar import add_working_days, working_days_between
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.models import Notification
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]) -> Case:
    incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert incident.case is not None
    return incident.case


# --- pure rules ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "safer", "view", "reason", "field"),
    [
        ("fully", "yes", "I feel safe now", "", None),
        ("partly", "not_asked", "", "He moved away and left no contact", None),
        ("fully", "yes", "  ", "", "person_view"),
        ("fully", "not_asked", "", "", "not_asked_reason"),
        ("mostly", "yes", "ok", "", "outcomes_met"),
        ("fully", "maybe", "ok", "", "person_feels_safer"),
    ],
    ids=[
        "S19-their-view",
        "S19-why-not-asked",
        "S19-view-required",
        "S19-reason-required",
        "S19-outcomes-met",
        "S19-feels-safer",
    ],
)
def test_closure_needs_the_persons_outcome(met: str, safer: str, view: str, reason: str, field: str | None) -> None:
    problems = closure_problems(outcomes_met=met, person_feels_safer=safer, person_view=view, not_asked_reason=reason)
    assert (field in problems) if field else problems == {}


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 20), 2, date(2026, 11, 24)),  # Friday + 2 → Tuesday
        (date(2026, 12, 23), 2, date(2026, 12, 29)),  # over Christmas Day and Boxing Day (Monday 28th substitute)
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Good Friday 26 March, Easter Monday 29 March 2027
        (date(2026, 8, 28), 1, date(2026, 9, 1)),  # summer bank holiday 31 August 2026
    ],
    ids=["weekend", "christmas", "easter", "august-bank-holiday"],
)
def test_working_days_skip_weekends_and_england_and_wales_bank_holidays(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected
    assert working_days_between(start, expected) == days


def test_escalation_levels() -> None:
    today = date(2026, 11, 23)
    assert escalation_level(due_on=today, today=today, working_days_overdue=0) == 0
    assert escalation_level(due_on=today - timedelta(days=1), today=today, working_days_overdue=1) == 1
    assert escalation_level(due_on=today - timedelta(days=7), today=today, working_days_overdue=5) == 2


# --- services ------------------------------------------------------------------------------------------------


def test_handover_keeps_the_key_worker_accountable_until_accepted(case: Case, nurse: User, gp: Agency) -> None:
    colleague = make_user(gp, "key_worker", email="kw@gp.example")
    handover = handover_request(actor=nurse, case=case, to_user=colleague, reason="I am moving teams")
    case.refresh_from_db()
    assert case.key_worker == nurse
    assert Notification.objects.filter(user=colleague).exists()
    with pytest.raises(Conflict):
        handover_request(actor=nurse, case=case, to_user=colleague, reason="again")
    handover_accept(actor=colleague, handover=handover)
    case.refresh_from_db()
    assert (case.key_worker, case.key_worker_provisional) == (colleague, False)
    assert case.key_worker_history.count() == 2
    assert TimelineEntry.objects.filter(case=case, kind="key_worker_assigned").exists()


def test_a_declined_handover_needs_a_reason_and_changes_nothing(case: Case, nurse: User, gp: Agency) -> None:
    colleague = make_user(gp, "key_worker")
    handover = handover_request(actor=nurse, case=case, to_user=colleague, reason="Leave")
    with pytest.raises(InvalidInput):
        handover_decline(actor=colleague, handover=handover, reason=" ")
    handover_decline(actor=colleague, handover=handover, reason="My caseload is full")
    case.refresh_from_db()
    assert case.key_worker == nurse
    assert "My caseload is full" in Notification.objects.filter(user=nurse).first().text  # type: ignore[union-attr]
    stranger = make_user(gp, "practitioner")
    second = handover_request(actor=nurse, case=case, to_user=colleague, reason="Please, I'm off sick")
    from joinedup.access.decision import NotVisible

    with pytest.raises(NotVisible):
        handover_accept(actor=stranger, handover=second)


def test_handover_to_an_agency_that_does_not_know_the_person_needs_consent(
    case: Case, nurse: User, housing_officer: User
) -> None:
    with pytest.raises(Conflict) as refused:
        handover_request(actor=nurse, case=case, to_user=housing_officer, reason="Housing lead")
    assert refused.value.code == "no_consent"


def test_tasks_and_closure(case: Case, nurse: User) -> None:
    with pytest.raises(InvalidInput) as bad:
        task_create(actor=nurse, case=case, title=" ", owner=nurse, due_on=timezone.localdate() - timedelta(days=1))
    assert {"title", "due_on"} <= set(bad.value.fields)
    task = task_create(
        actor=nurse, case=case, title="Check-in call", owner=nurse, due_on=timezone.localdate() + timedelta(days=7)
    )
    with pytest.raises(Conflict) as blocked:
        case_close(actor=nurse, case=case, outcomes_met="fully", person_feels_safer="yes", person_view="Safer")
    assert blocked.value.code == "open_items" and "Check-in call" in blocked.value.fields["open_items"][0]
    task_complete(actor=nurse, task=task, note="He is OK")
    with pytest.raises(InvalidInput):
        case_close(actor=nurse, case=case, outcomes_met="fully", person_feels_safer="yes")
    case_close(
        actor=nurse,
        case=case,
        outcomes_met="partly",
        person_feels_safer="yes",
        person_view="I can go out again, but I still worry",
    )
    case.refresh_from_db()
    assert case.status == "closed"
    assert "I can go out again" in TimelineEntry.objects.get(case=case, kind="case_closed").summary


def test_deadlines_escalate_once_per_level(case: Case, nurse: User, gp: Agency, lead_agency: Agency) -> None:
    lead = make_user(gp, "safeguarding_lead")
    partner_lead = make_user(lead_agency, "safeguarding_lead")
    today = timezone.localdate()
    Task.objects.create(case=case, title="Call back", owner=nurse, owner_agency=gp, due_on=today, created_by=nurse)
    out = StringIO()
    later = today + timedelta(days=1)
    call_command("check_deadlines", "--as-of", f"{later}T09:00:00+00:00", stdout=out)
    call_command("check_deadlines", "--as-of", f"{later}T10:00:00+00:00", stdout=StringIO())
    assert Escalation.objects.count() == 1
    assert Notification.objects.filter(user=lead).count() == 1
    much_later = add_working_days(today, 5)
    call_command("check_deadlines", "--as-of", f"{much_later}T09:00:00+00:00", stdout=StringIO())
    call_command("check_deadlines", "--as-of", f"{much_later}T09:00:00+00:00", stdout=StringIO())
    assert sorted(Escalation.objects.values_list("level", flat=True)) == [1, 2]
    assert Notification.objects.filter(user=partner_lead).count() == 1
    assert "overdue tasks: 1" in out.getvalue()


def test_a_key_worker_with_open_cases_cannot_be_deactivated(case: Case, nurse: User) -> None:
    with pytest.raises(Conflict) as refused:
        user_deactivate(actor=None, user=nurse)
    assert refused.value.code == "holds_open_cases" and "Robert Smith" in refused.value.message
    from joinedup.cases.models import CaseStatus

    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    assert user_deactivate(actor=None, user=nurse).is_active is False


# --- API -----------------------------------------------------------------------------------------------------


def test_cases_api(
    case: Case, nurse: User, gp: Agency, housing_officer: User, api_for: Callable[[User], APIClient]
) -> None:
    client = api_for(nurse)
    listed = client.get("/api/v1/cases").json()
    assert listed["results"][0]["id"] == str(case.uuid)
    one = client.get(f"/api/v1/cases/{case.uuid}").json()
    assert one["key_worker"] == {"id": str(nurse.uuid), "name": nurse.name, "agency": gp.name}
    timeline = client.get(f"/api/v1/cases/{case.uuid}/timeline").json()
    assert {"at", "kind", "summary", "actor", "agency", "subject", "withheld"} <= set(timeline["results"][0])
    assert set(timeline["results"][0]) <= {"at", "kind", "summary", "actor", "agency", "subject", "withheld", "account"}
    assert one["incident_ids"] == [e["subject"]["id"] for e in timeline["results"] if e["kind"] == "incident_recorded"]
    assert client.get(f"/api/v1/cases/{case.uuid}/timeline?kind=case_opened").json()["count"] == 1
    assert api_for(housing_officer).get(f"/api/v1/cases/{case.uuid}").status_code == 404
    colleague = make_user(gp, "key_worker")
    handover = client.post(
        f"/api/v1/cases/{case.uuid}/handover", {"to_user_id": str(colleague.uuid), "reason": "Leaving"}, format="json"
    )
    assert handover.status_code == 201 and handover.json()["status"] == "pending"
    assert api_for(nurse).post(f"/api/v1/handovers/{handover.json()['id']}/accept").status_code == 404
    accepted = api_for(colleague).post(f"/api/v1/handovers/{handover.json()['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["key_worker"]["id"] == str(colleague.uuid)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    task = api_for(colleague).post(
        f"/api/v1/cases/{case.uuid}/tasks",
        {"title": "Visit", "owner_user_id": str(colleague.uuid), "due_on": due},
        format="json",
    )
    assert task.status_code == 201
    blocked = api_for(colleague).post(
        f"/api/v1/cases/{case.uuid}/close",
        {"outcomes_met": "fully", "person_feels_safer": "yes", "person_view": "ok"},
        format="json",
    )
    assert blocked.status_code == 409 and blocked.json()["error"]["fields"]["open_items"]
    assert api_for(colleague).post(f"/api/v1/tasks/{task.json()['id']}/complete", {}, format="json").status_code == 200
    no_view = api_for(colleague).post(
        f"/api/v1/cases/{case.uuid}/close", {"outcomes_met": "fully", "person_feels_safer": "yes"}, format="json"
    )
    assert no_view.status_code == 400 and "person_view" in no_view.json()["error"]["fields"]
    closed = api_for(colleague).post(
        f"/api/v1/cases/{case.uuid}/close",
        {
            "outcomes_met": "fully",
            "person_feels_safer": "not_asked",
            "not_asked_reason": "Moved away, no contact details",
        },
        format="json",
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert Handover.objects.get().status == "accepted"


def test_check_deadlines_loop_arguments_are_checked() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 60 seconds"):
        call_command("check_deadlines", "--every", "5", stdout=StringIO())
    with pytest.raises(CommandError, match="ISO date-time"):
        call_command("check_deadlines", "--as-of", "yesterday", stdout=StringIO())
