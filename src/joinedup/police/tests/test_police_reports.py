from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.cases.models import Case
from joinedup.consent.services import consent_record
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(nurse: User, gp: Agency, robert: Person, police: Agency, incident_input: Callable[..., Any]) -> Incident:
    robert.communication_needs = "Needs an intermediary; easy read"
    robert.save(update_fields=["communication_needs"])
    return incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())


def test_police_report_needs_consent_and_carries_the_words_verbatim(
    nurse: User,
    gp: Agency,
    robert: Person,
    police: Agency,
    reported: Incident,
    api_for: Callable[[User], APIClient],
) -> None:
    case = Case.objects.get(person=robert)
    client = api_for(nurse)
    body = {"incident_ids": [str(reported.uuid)], "third_party": False, "update_cadence": "weekly"}
    refused = client.post(f"/api/v1/cases/{case.uuid}/police-reports", body, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_consent"
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="He wants it reported; we read the form together",
    )
    created = client.post(f"/api/v1/cases/{case.uuid}/police-reports", body, format="json")
    assert created.status_code == 201, created.json()
    package = created.json()["package"]
    assert package["incidents"][0]["in_their_own_words"] == reported.description
    assert package["incidents"][0]["perceived_hostility"]["perceived_by"] == ["The person themselves"]
    assert "A registered intermediary" in package["victim"]["reasonable_adjustments"]
    assert package["victim"]["safe_contact"]["allowed"] == ["text"]

    pdf = client.get(f"/api/v1/police-reports/{created.json()['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "In their own words" in text and "psycho" in text and "Robert Smith" in text


def test_third_party_anonymous_report_carries_only_what_was_agreed(
    robert: Person, police: Agency, reported: Incident, api_for: Callable[[User], APIClient], nurse: User, gp: Agency
) -> None:
    advocacy = Agency.objects.create(slug="advocacy", name="Eastmere Advocacy", kind="advocacy")
    advocate = make_user(advocacy, "practitioner")
    from joinedup.cases.services import agency_knows_person

    agency_knows_person(person=robert, agency=advocacy, basis="recorded")
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="Through his advocate, anonymously",
    )
    case = Case.objects.get(person=robert)
    body = {"incident_ids": [str(reported.uuid)], "third_party": True, "anonymous": True}
    created = api_for(advocate).post(f"/api/v1/cases/{case.uuid}/police-reports", body, format="json").json()
    victim = created["package"]["victim"]
    assert victim["anonymous"] is True and "name" not in victim and "Eastmere Advocacy" in victim["contact_through"]
    not_third = api_for(advocate).post(
        f"/api/v1/cases/{case.uuid}/police-reports", {**body, "third_party": False}, format="json"
    )
    assert not_third.status_code == 400 and "anonymous" in not_third.json()["error"]["fields"]


def test_liaison_records_reference_and_outcome_and_the_tracker_follows(
    nurse: User,
    gp: Agency,
    robert: Person,
    police: Agency,
    reported: Incident,
    api_for: Callable[[User], APIClient],
) -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="Agreed",
    )
    case = Case.objects.get(person=robert)
    report = (
        api_for(nurse)
        .post(f"/api/v1/cases/{case.uuid}/police-reports", {"incident_ids": [str(reported.uuid)]}, format="json")
        .json()
    )
    liaison = make_user(police, "police_liaison")
    other_officer = make_user(police, "practitioner")
    assert (
        api_for(other_officer)
        .post(f"/api/v1/police-reports/{report['id']}/crime-reference", {"crime_reference": "X"}, format="json")
        .status_code
        == 404
    )
    done = api_for(liaison).post(
        f"/api/v1/police-reports/{report['id']}/crime-reference", {"crime_reference": "EM/2026/4411"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "crime_recorded"
    nfa = api_for(liaison).post(
        f"/api/v1/police-reports/{report['id']}/outcome", {"outcome": "nfa_victim_does_not_support"}, format="json"
    )
    assert nfa.status_code == 400 and "reason" in nfa.json()["error"]["fields"]
    api_for(liaison).post(
        f"/api/v1/police-reports/{report['id']}/outcome",
        {"outcome": "nfa_victim_does_not_support", "reason": "He did not want to go to court"},
        format="json",
    )
    tracker = api_for(nurse).get(f"/api/v1/people/{robert.uuid}/victims-code").json()["reports"][0]
    rights = {r["number"]: r for r in tracker["rights"]}
    assert rights[2]["status"] == "met" and "EM/2026/4411" in " ".join(rights[2]["evidence"])
    assert rights[9]["status"] == "due"
    assert {"most_serious_crime", "vulnerable", "intimidated"} <= {b["code"] for b in tracker["enhanced_rights"]}
    api_for(nurse).post(
        f"/api/v1/police-reports/{report['id']}/evidence",
        {"right": 9, "text": "Explained the outcome in person"},
        format="json",
    )
    tracker = api_for(nurse).get(f"/api/v1/people/{robert.uuid}/victims-code").json()["reports"][0]
    assert {r["number"]: r for r in tracker["rights"]}[9]["status"] == "met"


def test_non_crime_outcome_applies_the_2023_code(
    nurse: User,
    gp: Agency,
    robert: Person,
    police: Agency,
    reported: Incident,
    api_for: Callable[[User], APIClient],
) -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="Agreed",
    )
    case = Case.objects.get(person=robert)
    report = (
        api_for(nurse)
        .post(f"/api/v1/cases/{case.uuid}/police-reports", {"incident_ids": [str(reported.uuid)]}, format="json")
        .json()
    )
    liaison = make_user(police, "police_liaison")
    out = (
        api_for(liaison)
        .post(
            f"/api/v1/police-reports/{report['id']}/non-crime",
            {
                "trivial": False,
                "irrational": False,
                "malicious": False,
                "real_risk_of_significant_harm_or_offence": False,
            },
            format="json",
        )
        .json()
    )
    assert out["non_crime"]["record"] is True and out["non_crime"]["retain_subject_data"] is False
    assert Incident.objects.get(pk=reported.pk).description == reported.description, "the care record keeps it all"


def test_without_the_font_the_pdf_is_refused_not_altered(
    nurse: User,
    gp: Agency,
    robert: Person,
    police: Agency,
    reported: Incident,
    api_for: Callable[[User], APIClient],
    settings: Any,
) -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="Agreed",
    )
    case = Case.objects.get(person=robert)
    report = (
        api_for(nurse)
        .post(f"/api/v1/cases/{case.uuid}/police-reports", {"incident_ids": [str(reported.uuid)]}, format="json")
        .json()
    )
    settings.JOINEDUP_PDF_FONT = "/nowhere/font.ttf"
    refused = api_for(nurse).get(f"/api/v1/police-reports/{report['id']}/pdf")
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "pdf_unavailable"
