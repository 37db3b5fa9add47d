"""The case's Consent and sharing page lists what the person agreed to in plain words (it once failed to draw
as soon as a consent was recorded: templates now get presenter rows, not model objects)."""

from __future__ import annotations

from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory
from joinedup.consent.services import consent_record, consent_withdraw
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails


def test_consents_read_in_plain_words(nurse: User, gp: Agency) -> None:
    incident = incident_record_with_new_person(
        actor=nurse,
        agency=gp,
        details=PersonDetails(given_name="Mo", family_name="Ali"),
        data=IncidentInput(description="They took over my flat."),
    )
    homes = AgencyFactory.create(slug="homes", name="City Homes", kind="housing")
    given = consent_record(
        actor=nurse,
        agency=gp,
        person=incident.person,  # type: ignore[arg-type]
        purpose="share_with_agency",
        decision="given",
        recipient=homes,
        capacity_note="Asked in clinic",
    )
    consent_record(
        actor=nurse,
        agency=gp,
        person=incident.person,  # type: ignore[arg-type]
        purpose="report_to_police",
        decision="refused",
        any_partner=True,
        capacity_note="Asked in clinic",
    )
    consent_withdraw(actor=nurse, agency=gp, consent=given, note="Changed their mind")
    client = Client()
    client.force_login(nurse)
    page = client.get(f"/cases/{incident.case.uuid}/sharing")  # type: ignore[union-attr]
    text = page.content.decode()
    assert page.status_code == 200
    assert "Share their record with an agency" in text and "City Homes" in text and "Withdrawn" in text
    assert "Report to the police" in text and "Refused" in text
