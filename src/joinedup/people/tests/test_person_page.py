from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.audit.testing import assert_audited
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.risk.models import RiskAssessment

pytestmark = pytest.mark.django_db


def test_the_person_page_tells_the_story_and_is_audited(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    client = Client()
    client.force_login(nurse)
    html = client.get(f"/people/{robert.uuid}").content.decode()
    assert "Robert Smith" in html and "risk" in html
    assert "He called me a psycho again" in html
    assert "Case opened" in html and "Incident recorded" in html
    assert_audited("view", object_type="people.person", person_uuid=robert.uuid, actor=nurse)


def test_judgement_through_the_page(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(kinds=("verbal_abuse",), strands=()))
    client = Client()
    client.force_login(nurse)
    empty = client.post(f"/people/{robert.uuid}", {})
    assert empty.status_code == 400 and "Give the reasons for your judgement" in empty.content.decode()
    done = client.post(f"/people/{robert.uuid}", {"level": "high", "reasons": "Threats with a knife"})
    assert done.status_code == 302
    latest = RiskAssessment.objects.filter(person=robert).first()
    assert latest is not None and latest.level == "high"


def test_an_unrelated_agency_gets_404(housing_officer: User, robert: Person) -> None:
    client = Client()
    client.force_login(housing_officer)
    assert client.get(f"/people/{robert.uuid}").status_code == 404
    assert_audited("denied", actor=housing_officer)
