"""Once only: one open referral per case and service, one pending police report per case and set of incidents.
The database holds both rules (partial unique constraints), so a double submit — or twenty at once — makes one,
and the answer to the repeats is the first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case
from joinedup.consent.services import consent_record
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.police.domain.once import incident_key
from joinedup.police.models import PoliceReport
from joinedup.police.services import police_report_send_once
from joinedup.referrals.models import Referral, Service
from joinedup.referrals.services import referral_send_once, referral_withdraw, services_import

CONCURRENT = 20


def _setup(nurse: User, gp: Agency, robert: Person, housing: Agency, police: Agency, data: Any) -> tuple[Case, Service]:
    from joinedup.demo.services import openreferral_records

    services_import(records=openreferral_records("riverside-homes"), agency=housing, actor=None)
    incident_record(actor=nurse, agency=gp, person=robert, data=data)
    for purpose, recipient in (("refer", housing), ("report_to_police", police)):
        consent_record(
            actor=nurse,
            agency=gp,
            person=robert,
            purpose=purpose,
            decision="given",
            recipient=recipient,
            capacity_note="We talked it through",
        )
    return Case.objects.get(person=robert), Service.objects.get()


@pytest.fixture
def ready(
    nurse: User, gp: Agency, robert: Person, housing: Agency, police: Agency, incident_input: Callable[..., Any]
) -> tuple[Case, Service]:
    return _setup(nurse, gp, robert, housing, police, incident_input())


@pytest.mark.django_db
def test_a_second_referral_returns_the_first_until_it_is_closed(
    ready: tuple[Case, Service], nurse: User, gp: Agency
) -> None:
    case, service = ready
    first, sent = referral_send_once(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")
    again, sent_again = referral_send_once(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")
    assert sent and not sent_again and again.pk == first.pk
    assert Referral.objects.count() == 1
    referral_withdraw(actor=nurse, referral=first, note="He changed his mind")
    later, sent_later = referral_send_once(actor=nurse, agency=gp, case=case, service=service, reason="Again")
    assert sent_later and later.pk != first.pk


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_referral(ready: tuple[Case, Service], nurse: User, gp: Agency) -> None:
    case, service = ready
    first, _ = referral_send_once(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            case=case,
            service=service,
            to_agency=first.to_agency,
            from_user=nurse,
            from_agency=gp,
            reason="bypassing the service",
            respond_by=first.respond_by,
        )


@pytest.mark.django_db
def test_a_second_police_report_of_the_same_incidents_returns_the_first(
    ready: tuple[Case, Service], nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]
) -> None:
    case, _ = ready
    first_incident = Incident.objects.get()
    second_incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(description="More"))
    ids = [str(first_incident.uuid), str(second_incident.uuid)]
    report, sent = police_report_send_once(actor=nurse, agency=gp, case=case, incident_uuids=ids, third_party=False)
    # The same set in another order is the same report.
    again, sent_again = police_report_send_once(
        actor=nurse, agency=gp, case=case, incident_uuids=list(reversed(ids)), third_party=False
    )
    assert sent and not sent_again and again.pk == report.pk
    assert report.incident_key == incident_key([str(first_incident.pk), str(second_incident.pk)])
    # A different set is a different report.
    _, sent_other = police_report_send_once(
        actor=nurse, agency=gp, case=case, incident_uuids=[str(second_incident.uuid)], third_party=False
    )
    assert sent_other and PoliceReport.objects.count() == 2


@pytest.mark.django_db
def test_web_double_submit_redirects_to_the_first_with_a_message(ready: tuple[Case, Service], nurse: User) -> None:
    case, service = ready
    client = Client()
    client.force_login(nurse)
    body = {"reason": "Neighbour", "urgency": "routine"}
    first = client.post(f"/cases/{case.uuid}/refer/{service.uuid}", body)
    assert first.status_code == 302 and first["Location"] == f"/cases/{case.uuid}"
    second = client.post(f"/cases/{case.uuid}/refer/{service.uuid}", body, follow=True)
    referral = Referral.objects.get()
    assert second.redirect_chain[-1][0] == f"/referrals/{referral.uuid}"
    assert "already has an open referral" in second.content.decode()


@pytest.mark.django_db
def test_api_double_submit_answers_200_with_the_first(
    ready: tuple[Case, Service], nurse: User, api_for: Callable[[User], APIClient]
) -> None:
    case, service = ready
    client = api_for(nurse)
    body = {"case_id": str(case.uuid), "service_id": str(service.uuid), "reason": "Neighbour"}
    first = client.post("/api/v1/referrals", body, format="json")
    second = client.post("/api/v1/referrals", body, format="json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    incident = Incident.objects.get()
    report_body = {"incident_ids": [str(incident.uuid)], "third_party": False}
    made = client.post(f"/api/v1/cases/{case.uuid}/police-reports", report_body, format="json")
    repeat = client.post(f"/api/v1/cases/{case.uuid}/police-reports", report_body, format="json")
    assert made.status_code == 201 and repeat.status_code == 200 and made.json()["id"] == repeat.json()["id"]


def _at_once(action: Callable[[], Any]) -> list[Any]:
    """Run `action` in CONCURRENT threads released together, each on its own database connection."""
    barrier = threading.Barrier(CONCURRENT)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = action()
        except Exception as problem:
            outcome = problem
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submits_make_exactly_one(
    nurse: User, gp: Agency, robert: Person, housing: Agency, police: Agency, incident_input: Callable[..., Any]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write, so it cannot race; run on PostgreSQL (DATABASE_URL) for this")
    case, service = _setup(nurse, gp, robert, housing, police, incident_input())
    incident = Incident.objects.get()

    referrals = _at_once(
        lambda: referral_send_once(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")
    )
    assert not [r for r in referrals if isinstance(r, Exception)], referrals
    assert Referral.objects.filter(case=case, service=service).count() == 1
    assert {r[0].pk for r in referrals} == {Referral.objects.get().pk}
    assert sum(1 for r in referrals if r[1]) == 1

    reports = _at_once(
        lambda: police_report_send_once(
            actor=nurse, agency=gp, case=case, incident_uuids=[str(incident.uuid)], third_party=False
        )
    )
    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert PoliceReport.objects.filter(case=case).count() == 1
    assert sum(1 for r in reports if r[1]) == 1
