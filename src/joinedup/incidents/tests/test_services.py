from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.testing import assert_audited
from joinedup.cases.models import Case, TimelineEntry
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.models import Incident, TriageItem
from joinedup.incidents.services import (
    incident_record,
    incident_record_with_new_person,
    public_report_submit,
    triage_match,
    triage_record_anonymous,
)
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person, PersonAgencyLink

pytestmark = pytest.mark.django_db
Build = Callable[..., IncidentInput]


def test_recording_opens_a_case_with_the_recorder_as_key_worker_and_keeps_words_verbatim(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert incident.description == "  He called me a psycho again and said he'd burn my flat.  "
    case = Case.objects.get(person=robert)
    assert (case.status, case.key_worker, case.key_worker_provisional) == ("open", nurse, True)
    assert incident.case == case
    assert incident.classification["hate_incident"] is True
    assert incident.rule_set_version == "2026.1"
    kinds = list(TimelineEntry.objects.filter(person=robert).values_list("kind", flat=True))
    assert set(kinds) == {"case_opened", "incident_recorded"}
    assert_audited("create", object_type="incidents.incident", person_uuid=robert.uuid, actor=nurse)


def test_a_second_incident_joins_the_same_open_case(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    first = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    second = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(kinds=("theft",)))
    assert first.case == second.case
    assert Case.objects.filter(person=robert).count() == 1


def test_a_closed_case_is_reopened_keeping_the_same_story(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    first = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    Case.objects.filter(pk=first.case_id).update(status="closed")
    second = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert second.case_id == first.case_id
    assert Case.objects.get(pk=first.case_id).status == "open"
    assert TimelineEntry.objects.filter(person=robert, kind="case_reopened").exists()


def test_an_unrelated_agency_cannot_record_for_or_even_find_the_person(
    housing_officer: User, housing: Agency, robert: Person, incident_input: Build
) -> None:
    with pytest.raises(NotVisible):
        incident_record(actor=housing_officer, agency=housing, person=robert, data=incident_input())
    assert not Incident.objects.exists()
    assert_audited("denied", actor=housing_officer, object_id=str(robert.uuid))


def test_invalid_input_stores_nothing(nurse: User, gp: Agency, robert: Person, incident_input: Build) -> None:
    with pytest.raises(InvalidInput) as raised:
        incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(description="   ", kinds=("bad",)))
    assert set(raised.value.fields) == {"description", "kinds"}
    assert not Incident.objects.exists()
    assert not Case.objects.exists()


def test_new_person_and_incident_are_recorded_together_or_not_at_all(
    nurse: User, gp: Agency, incident_input: Build
) -> None:
    with pytest.raises(InvalidInput):
        incident_record_with_new_person(
            actor=nurse,
            agency=gp,
            details=PersonDetails(given_name="Ann", postcode="not a postcode"),
            data=incident_input(),
        )
    assert not Person.objects.exists()
    incident = incident_record_with_new_person(
        actor=nurse, agency=gp, details=PersonDetails(given_name="Ann", family_name="Lee"), data=incident_input()
    )
    assert incident.person is not None and incident.person.given_name == "Ann"
    assert PersonAgencyLink.objects.filter(person=incident.person, agency=gp).exists()


def test_a_commissioner_cannot_record(lead_agency: Agency, incident_input: Build) -> None:
    commissioner = make_user(lead_agency, "commissioner")
    with pytest.raises(PermissionDenied):
        incident_record_with_new_person(
            actor=commissioner, agency=lead_agency, details=PersonDetails(given_name="Ann"), data=incident_input()
        )


def test_public_reports_are_owned_by_the_hub_from_the_moment_they_arrive(
    lead_agency: Agency, incident_input: Build
) -> None:
    item = public_report_submit(
        data=incident_input(reported_by="self"), identity={"given_name": "Robbie", "family_name": "Smith"}
    )
    assert item.hub == lead_agency and item.status == "waiting"
    assert item.incident.person is None and len(item.reference) == 9
    assert_audited("create", object_id=str(item.incident.uuid))


def test_without_a_hub_a_public_report_is_refused_not_lost(incident_input: Build, gp: Agency) -> None:
    with pytest.raises(Conflict):
        public_report_submit(data=incident_input(reported_by="self"), identity={})
    assert not Incident.objects.exists()


def test_hub_matches_a_report_to_an_existing_person(
    lead_agency: Agency, incident_input: Build, nurse: User, gp: Agency
) -> None:
    hub_worker = make_user(lead_agency, "practitioner")
    from joinedup.people.services import person_create

    person = person_create(
        actor=hub_worker, agency=lead_agency, details=PersonDetails(given_name="Robert", family_name="Smith")
    )
    item = public_report_submit(data=incident_input(reported_by="third_party"), identity={"given_name": "Rob"})
    incident = triage_match(actor=hub_worker, item=item, person=person)
    assert incident.person == person and incident.case is not None
    assert incident.case.key_worker == hub_worker
    assert TimelineEntry.objects.filter(person=person, kind="report_matched").exists()
    with pytest.raises(Conflict):
        triage_match(actor=hub_worker, item=TriageItem.objects.get(pk=item.pk), person=person)


def test_hub_records_a_new_person_from_the_report(lead_agency: Agency, incident_input: Build) -> None:
    hub_worker = make_user(lead_agency, "practitioner")
    item = public_report_submit(data=incident_input(reported_by="self"), identity={})
    details = PersonDetails(given_name="Robbie", contact_allowed=("text",), phone="07700 900982")
    incident = triage_match(actor=hub_worker, item=item, person=None, details=details)
    assert incident.person is not None and incident.person.safe_contact["allowed"] == ["text"]
    assert PersonAgencyLink.objects.filter(person=incident.person, agency=lead_agency, basis="triage").exists()


def test_only_the_hub_can_pick_up_reports(lead_agency: Agency, gp: Agency, incident_input: Build, nurse: User) -> None:
    item = public_report_submit(data=incident_input(reported_by="self"), identity={})
    with pytest.raises(NotVisible):
        triage_record_anonymous(actor=nurse, item=item, note="no name")


def test_an_anonymous_report_needs_a_reason_to_stay_anonymous(lead_agency: Agency, incident_input: Build) -> None:
    hub_worker = make_user(lead_agency, "practitioner")
    item = public_report_submit(data=incident_input(reported_by="self", anonymous=True), identity={})
    with pytest.raises(InvalidInput):
        triage_record_anonymous(actor=hub_worker, item=item, note=" ")
    item = triage_record_anonymous(actor=hub_worker, item=item, note="No name or contact given")
    assert item.status == "anonymous_recorded"
