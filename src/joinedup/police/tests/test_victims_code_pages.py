"""Nothing only in the API: marking a Victims' Code right met, and recording an update given, from pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.incidents.models import Incident
from joinedup.people.models import Person
from joinedup.police.models import PoliceReport
from joinedup.police.services import outcome_record, police_report_send, tracker
from joinedup.referrals.tests.test_once_only import _setup

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(
    nurse: User, gp: Agency, robert: Person, housing: Agency, police: Agency, incident_input: Callable[..., Any]
) -> PoliceReport:
    case, _ = _setup(nurse, gp, robert, housing, police, incident_input())
    return police_report_send(
        actor=nurse,
        agency=gp,
        case=case,
        incident_uuids=[str(Incident.objects.get().uuid)],
        third_party=False,
        update_cadence="weekly",
    )


def status_of(report: PoliceReport, number: int) -> str:
    return next(r.status for r in tracker(report)["rights"] if r.number == number)


def test_mark_a_right_met_with_evidence(report: PoliceReport, nurse: User) -> None:
    client = client_for(nurse)
    page = client.get(f"/police-reports/{report.uuid}").content.decode()
    assert f"/police-reports/{report.uuid}/rights/5" in page
    assert client.get(f"/police-reports/{report.uuid}/rights/13").status_code == 404
    bad = client.post(f"/police-reports/{report.uuid}/rights/5", {"text": "Leaflet", "on_0": "31", "on_1": "2"})
    assert bad.status_code == 400 and "Leaflet" in bad.content.decode()
    done = client.post(f"/police-reports/{report.uuid}/rights/5", {"text": "Compensation leaflet given in person"})
    assert done.status_code == 302 and done["Location"] == f"/police-reports/{report.uuid}"
    assert status_of(report, 5) == "met"


def test_record_an_update_at_their_cadence_and_right_6_stays_met_after_the_outcome(
    report: PoliceReport, nurse: User, police: Agency
) -> None:
    from joinedup.accounts.tests.factories import make_user

    client = client_for(nurse)
    page = client.get(f"/police-reports/{report.uuid}/update").content.decode()
    assert "every week" in page
    assert client.post(f"/police-reports/{report.uuid}/update", {"summary": "x"}).status_code == 400
    done = client.post(
        f"/police-reports/{report.uuid}/update", {"how": "phone", "summary": "Suspect interviewed; no charge yet"}
    )
    assert done.status_code == 302
    assert status_of(report, 6) == "met"
    liaison = make_user(police, "police_liaison", email="liaison@police.example")
    outcome_record(actor=liaison, report=report, outcome="charged", reason="")
    report.refresh_from_db()
    assert status_of(report, 6) == "met"


def test_only_those_working_the_case_reach_the_pages(report: PoliceReport, housing_officer: User) -> None:
    assert client_for(housing_officer).get(f"/police-reports/{report.uuid}/update").status_code == 404
    assert client_for(housing_officer).get(f"/police-reports/{report.uuid}/rights/5").status_code == 404
