from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.cases.models import Case, Escalation, Task
from joinedup.cases.work import case_close
from joinedup.consent.services import consent_record
from joinedup.core.domain.calendar import add_working_days
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.people.selectors import person_get
from joinedup.referrals.models import Referral, Service
from joinedup.referrals.services import (
    openreferral_problems,
    referral_accept,
    referral_decline,
    referral_send,
    referral_withdraw,
    service_to_openreferral,
    services_import,
)

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[5] / "shared" / "standards" / "openreferral-uk"


@pytest.fixture
def case(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]) -> Case:
    incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert incident.case is not None
    return incident.case


@pytest.fixture
def housing_service(housing: Agency) -> Service:
    from joinedup.demo.services import openreferral_records

    services_import(records=openreferral_records("riverside-homes"), agency=housing, actor=None)
    return Service.objects.get()


def consent_to_refer(nurse: User, gp: Agency, robert: Person, housing: Agency) -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="refer",
        decision="given",
        recipient=housing,
        capacity_note="He wants help with the neighbour",
    )


def test_a_referral_needs_consent_or_a_sharing_decision(
    case: Case, nurse: User, gp: Agency, housing_service: Service
) -> None:
    with pytest.raises(Conflict) as refused:
        referral_send(actor=nurse, agency=gp, case=case, service=housing_service, reason="Neighbour harassment")
    assert refused.value.code == "no_consent"
    assert not Referral.objects.exists()


def test_referral_lifecycle_accept_grants_access(
    case: Case,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_service: Service,
    housing_officer: User,
) -> None:
    consent_to_refer(nurse, gp, robert, housing)
    referral = referral_send(actor=nurse, agency=gp, case=case, service=housing_service, reason="Neighbour threats")
    expected = add_working_days(timezone.localdate(), 2)
    assert timezone.localtime(referral.respond_by).date() == expected
    with pytest.raises(NotVisible):
        person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test")
    referral_accept(actor=housing_officer, referral=referral, named_contact="Chris, tenancy team")
    assert person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test") == robert
    assert [t.to_status for t in referral.history.all()] == ["sent", "accepted"]
    with pytest.raises(Conflict):
        case_close(actor=nurse, case=case, outcomes_met="fully", person_feels_safer="yes", person_view="ok")


def test_a_decline_needs_a_reason_and_an_alternative_and_returns_as_a_task(
    case: Case,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_service: Service,
    housing_officer: User,
) -> None:
    consent_to_refer(nurse, gp, robert, housing)
    referral = referral_send(actor=nurse, agency=gp, case=case, service=housing_service, reason="Help")
    with pytest.raises(InvalidInput) as bad:
        referral_decline(actor=housing_officer, referral=referral, reason="Not our tenant")
    assert "alternative" in bad.value.fields
    referral_decline(
        actor=housing_officer,
        referral=referral,
        reason="Not our tenant",
        alternative="Eastmere council housing options",
    )
    task = Task.objects.get(case=case)
    assert task.owner == nurse and "Eastmere council housing options" in task.title
    with pytest.raises(Conflict):
        referral_accept(actor=housing_officer, referral=referral, named_contact="late")


def test_only_the_receiving_agency_answers(
    case: Case, nurse: User, gp: Agency, robert: Person, housing: Agency, housing_service: Service
) -> None:
    consent_to_refer(nurse, gp, robert, housing)
    referral = referral_send(actor=nurse, agency=gp, case=case, service=housing_service, reason="Help")
    with pytest.raises(NotVisible):
        referral_accept(actor=nurse, referral=referral, named_contact="me")
    referral_withdraw(actor=nurse, referral=referral, note="He moved")
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_overdue_referrals_escalate_once_per_level_and_tell_the_key_worker(
    case: Case,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_service: Service,
    lead_agency: Agency,
) -> None:
    housing_lead = make_user(housing, "safeguarding_lead")
    consent_to_refer(nurse, gp, robert, housing)
    referral = referral_send(actor=nurse, agency=gp, case=case, service=housing_service, reason="Help")
    due = timezone.localtime(referral.respond_by).date()
    after = due + timedelta(days=1)
    for _ in range(2):
        call_command("check_deadlines", "--as-of", f"{after}T12:00:00+00:00", stdout=StringIO())
    referral.refresh_from_db()
    assert referral.status == "overdue"
    assert Escalation.objects.filter(item_type="referral").count() == 1
    assert housing_lead.notifications.filter(text__contains="Unanswered").count() == 1
    assert nurse.notifications.filter(text__contains="Unanswered").count() == 1
    later = add_working_days(due, 4)
    call_command("check_deadlines", "--as-of", f"{later}T12:00:00+00:00", stdout=StringIO())
    assert sorted(Escalation.objects.filter(item_type="referral").values_list("level", flat=True)) == [1, 2]


def test_openreferral_import_export_round_trip_is_valid(housing: Agency, tmp_path: Path) -> None:
    from joinedup.demo.services import openreferral_records

    records = openreferral_records()
    services_import(records=records, agency=None, actor=None)
    again = services_import(records=records, agency=None, actor=None)
    assert again == {"created": 0, "updated": len(records)}, "re-importing updates rather than duplicates"
    for service in Service.objects.all():
        exported = service_to_openreferral(service)
        assert openreferral_problems(exported) == []
        assert exported["x_joinedup"]["needs"] == service.needs
    out = tmp_path / "directory.json"
    call_command("export_services", str(out), stdout=StringIO())
    listing = json.loads(out.read_text())
    assert listing["total_items"] == len(records) and all(openreferral_problems(s) == [] for s in listing["contents"])


def test_a_bad_file_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "not-a-uuid", "name": "", "status": "open"}]))
    with pytest.raises(CommandError, match="not valid Open Referral UK"):
        call_command("import_services", str(bad), stdout=StringIO())
    assert not Service.objects.exists()
    with pytest.raises(CommandError, match="No file"):
        call_command("import_services", str(tmp_path / "missing.json"), stdout=StringIO())


def test_the_vendored_schema_is_the_shared_one() -> None:
    if not SHARED.exists():
        pytest.skip("shared/ is not beside this checkout")
    from joinedup.referrals.services import SCHEMA_PATH

    assert SCHEMA_PATH.read_text() == (SHARED / "schema" / "service.json").read_text()


def test_referrals_api(
    case: Case,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_service: Service,
    housing_officer: User,
    api_for: Callable[[User], APIClient],
) -> None:
    client = api_for(nurse)
    suggestions = client.get(f"/api/v1/cases/{case.uuid}/suggestions").json()
    housing_suggestion = next(s for s in suggestions if s["kind"] == "housing")
    assert str(housing_service.uuid) in housing_suggestion["services"] and housing_suggestion["covered"] is False
    body = {"case_id": str(case.uuid), "service_id": str(housing_service.uuid), "reason": "Neighbour threats"}
    refused = client.post("/api/v1/referrals", body, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_consent"
    consent_to_refer(nurse, gp, robert, housing)
    sent = client.post("/api/v1/referrals", body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert sent.status_code == 201 and sent.json()["status"] == "sent" and sent.json()["respond_by"]
    assert (
        client.post("/api/v1/referrals", body, format="json", HTTP_IDEMPOTENCY_KEY="r-1").json()["id"]
        == sent.json()["id"]
    )
    inbox = api_for(housing_officer).get("/api/v1/referrals?direction=incoming").json()
    assert inbox["results"][0]["id"] == sent.json()["id"]
    declined = api_for(housing_officer).post(
        f"/api/v1/referrals/{sent.json()['id']}/decline", {"reason": "Full"}, format="json"
    )
    assert declined.status_code == 400 and "alternative" in declined.json()["error"]["fields"]
    accepted = api_for(housing_officer).post(
        f"/api/v1/referrals/{sent.json()['id']}/accept", {"named_contact": "Chris Doyle"}, format="json"
    )
    assert accepted.status_code == 200
    one = client.get(f"/api/v1/referrals/{sent.json()['id']}").json()
    assert [h["to_status"] for h in one["history"]] == ["sent", "accepted"] and one["escalations"] == []
    stranger = make_user(Agency.objects.create(slug="x", name="X", kind="gp"), "practitioner")
    assert api_for(stranger).get(f"/api/v1/referrals/{sent.json()['id']}").status_code == 404
    directory = client.get("/api/v1/services?need=housing").json()
    assert directory["results"][0]["name"] == housing_service.name
    export = client.get("/api/v1/openreferral/services").json()
    assert export["total_items"] == 1 and openreferral_problems(export["contents"][0]) == []
