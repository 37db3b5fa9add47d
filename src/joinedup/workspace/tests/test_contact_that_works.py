"""Contact that works (issue 13): the reporter's details reach the hub and the key worker; a receiving agency
sees the person's safe-contact rules, and nothing else, before it accepts; the police package carries the numbers
and addresses the person allowed for the police, and no others."""

from __future__ import annotations

from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record, incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails
from joinedup.police.services import police_report_send
from joinedup.referrals.models import Service
from joinedup.referrals.services import referral_send


def _person(nurse: User, gp: Agency, allowed: tuple[str, ...]) -> tuple[object, object]:
    incident = incident_record_with_new_person(
        actor=nurse,
        agency=gp,
        details=PersonDetails(
            given_name="Mo",
            family_name="Ali",
            address="4 Mill Lane",
            postcode="EM1 2AB",
            phone="07700 900123",
            email="mo@example.org",
            contact_allowed=allowed,
            contact_notes="Not after 6pm",
        ),
        data=IncidentInput(description="They took over my flat.", kinds=("cuckooing",)),
    )
    return incident.person, incident.case


def test_a_friends_details_reach_the_key_worker(nurse: User, gp: Agency, robert: object) -> None:
    incident = incident_record(
        actor=nurse,
        agency=gp,
        person=robert,  # type: ignore[arg-type]
        data=IncidentInput(
            description="My friend Rob was pushed over.",
            reported_by="third_party",
            reporter={"name": "Sam", "relationship": "friend", "phone": "07700 900999", "email": ""},
        ),
    )
    client = Client()
    client.force_login(nurse)
    page = client.get(f"/incidents/{incident.uuid}").content.decode()
    assert "Sam (friend)" in page and "07700 900999" in page


def test_the_receiving_agency_sees_the_safe_contact_rules_before_accepting(nurse: User, gp: Agency) -> None:
    person, case = _person(nurse, gp, ("text",))
    homes = AgencyFactory.create(slug="homes", kind="housing")
    service = Service.objects.create(organization_name="Homes", name="Tenancy", agency=homes, needs=["housing"])
    consent_record(
        actor=nurse, agency=gp, person=person, purpose="refer", decision="given", recipient=homes, capacity_note="Yes"
    )
    referral = referral_send(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")
    client = Client()
    client.force_login(make_user(homes, "practitioner", email="officer@homes.example"))
    page = client.get(f"/referrals/{referral.uuid}").content.decode()
    assert "Only by text. They said: Not after 6pm." in page
    assert "07700 900123" not in page and "4 Mill Lane" not in page, "the rules, nothing else"


def test_the_police_package_carries_what_the_person_allowed(nurse: User, gp: Agency) -> None:
    police = AgencyFactory.create(slug="police", kind="police")
    person, case = _person(nurse, gp, ("letter",))
    consent_record(
        actor=nurse,
        agency=gp,
        person=person,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="Yes",
    )
    incident_uuid = str(case.timeline.filter(kind="incident_recorded").first().object_id)  # type: ignore[attr-defined]
    report = police_report_send(actor=nurse, agency=gp, case=case, incident_uuids=[incident_uuid], third_party=False)
    safe = report.package["victim"]["safe_contact"]
    assert safe["address"] == "4 Mill Lane EM1 2AB" and safe["phone"] == "" and safe["email"] == ""
