"""The retention job and the subject access export (issue 19 §6), against real records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited
from joinedup.cases.models import Case
from joinedup.core.models import IdempotencyRecord, Notification
from joinedup.dataprotection.services import retention_apply
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> Person:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    return robert


@pytest.fixture
def dp_lead(gp: Agency) -> User:
    return make_user(gp, "data_protection_lead", email="dpo@gp.example", name="Dana Protection")


def test_nothing_recent_is_deleted(recorded: Person) -> None:
    counts = retention_apply(actor=None)
    assert counts["person"] == 0 and Person.objects.filter(pk=recorded.pk).exists()


def test_open_case_keeps_the_person_however_old(recorded: Person) -> None:
    later = timezone.now() + timedelta(days=20 * 365)
    assert retention_apply(actor=None, now=later, dry_run=True)["person"] == 0


def test_person_past_the_period_is_deleted_with_everything_and_audited(recorded: Person, nurse: User) -> None:
    Case.objects.filter(person=recorded).update(status="closed", closed_at=timezone.now())
    Notification.objects.create(user=nurse, text="Old news")
    IdempotencyRecord.objects.create(
        user=nurse, key="k", endpoint="x", request_fingerprint="f", response_status=201, response_body={}
    )
    later = timezone.now() + timedelta(days=11 * 365)
    dry = retention_apply(actor=None, now=later, dry_run=True)
    assert dry["person"] == 1 and dry["notification"] == 1 and dry["idempotency_record"] == 1
    assert Person.objects.filter(pk=recorded.pk).exists(), "a dry run deletes nothing"
    counts = retention_apply(actor=None, now=later)
    assert counts["person"] == 1 and counts["person_skipped"] == 0
    assert not Person.objects.filter(pk=recorded.pk).exists()
    assert not Incident.objects.filter(person_id=recorded.pk).exists()
    assert not Notification.objects.exists() and not IdempotencyRecord.objects.exists()
    deleted = AuditEntry.objects.get(person_uuid=recorded.uuid, details__deleted=True)
    assert deleted.purpose == "Retention schedule"
    # The audit trail about the person is kept for its own, longer period.
    assert AuditEntry.objects.filter(person_uuid=recorded.uuid).exclude(pk=deleted.pk).exists()
    assert_audited("update", object_type="dataprotection.retention")


def test_apply_retention_command(recorded: Person) -> None:
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("Would delete: person: 0")
    with pytest.raises(CommandError):
        call_command("apply_retention", "--as-of", "0001-01-01", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("apply_retention", "--as-of", "9999-01-01", stdout=StringIO())


def test_subject_access_export_json_pdf_and_audit(
    recorded: Person, dp_lead: User, nurse: User, housing: Agency, api_for: Callable[[User], APIClient]
) -> None:
    answer = api_for(dp_lead).get(f"/api/v1/people/{recorded.uuid}/subject-access")
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    export = answer.json()
    assert export["person"]["given_name"] == recorded.given_name
    assert {"incidents.incident", "cases.case", "cases.timelineentry", "people.personagencylink"} <= set(
        export["records"]
    )
    description = Incident.objects.get(person=recorded).description
    assert export["records"]["incidents.incident"][0]["description"] == description
    assert export["access_log"], "who looked is part of what is held"
    assert_audited("export", person_uuid=recorded.uuid, actor=dp_lead)

    pdf = api_for(dp_lead).get(f"/api/v1/people/{recorded.uuid}/subject-access/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert recorded.given_name in text and description.split()[0] in text

    assert api_for(nurse).get(f"/api/v1/people/{recorded.uuid}/subject-access").status_code == 403
    elsewhere = make_user(housing, "data_protection_lead", email="dpo@housing.example")
    assert api_for(elsewhere).get(f"/api/v1/people/{recorded.uuid}/subject-access").status_code == 404


def test_subject_access_page_and_downloads(recorded: Person, dp_lead: User) -> None:
    client = Client()
    client.force_login(dp_lead)
    person_page = client.get(f"/people/{recorded.uuid}").content.decode()
    assert "A copy of everything held" in person_page
    page = client.get(f"/people/{recorded.uuid}/subject-access")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    download = client.get(f"/people/{recorded.uuid}/subject-access.json")
    assert download.status_code == 200 and json.loads(download.content)["about"]["id"] == str(recorded.uuid)


def test_subject_access_command(recorded: Person, dp_lead: User, nurse: User, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    call_command(
        "subject_access_export",
        str(recorded.uuid),
        "--requested-by",
        dp_lead.email,
        "--output",
        str(target),
        stdout=StringIO(),
    )
    assert json.loads(target.read_text())["about"]["id"] == str(recorded.uuid)
    for bad in (
        ["not-a-uuid", "--requested-by", dp_lead.email, "--output", str(tmp_path / "a.json")],
        [str(recorded.uuid), "--requested-by", "nobody@example.com", "--output", str(tmp_path / "b.json")],
        [str(recorded.uuid), "--requested-by", nurse.email, "--output", str(tmp_path / "c.json")],
        [str(recorded.uuid), "--requested-by", dp_lead.email, "--output", str(target)],
    ):
        with pytest.raises(CommandError):
            call_command("subject_access_export", *bad, stdout=StringIO())
