"""The authorisation matrix for people's records, generated from data: every role × relationship to the person ×
endpoint, against an oracle written from the rules in docs/access-and-audit.md (not from the code)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.consent.services import consent_record, consent_withdraw
from joinedup.core.domain.partnership import Role
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails

RELATIONS = [
    "recording_agency",
    "unrelated_agency",
    "consented_agency",
    "consent_withdrawn_agency",
    "referral_accepted_agency",
]
ENDPOINTS = [
    "person",
    "risk",
    "consents",
    "incident",
    "access_log",
    "sharing_decision",
    "person_page",
    "case_page",
    # Linkage: which other agencies know them (person.links.view), and asking them for information.
    "links",
    "ask_page",
]
CASEWORK = {"practitioner", "key_worker", "safeguarding_lead", "police_liaison", "panel_chair", "data_protection_lead"}


def expected(role: str, relation: str, endpoint: str) -> int:
    knows = relation in {"recording_agency", "consented_agency", "referral_accepted_agency"}
    if role not in CASEWORK or not knows:
        return 404  # not even that the person exists
    if endpoint == "access_log":
        return 200 if role == "data_protection_lead" else 403
    if endpoint == "sharing_decision":
        return 201 if role in {"safeguarding_lead", "data_protection_lead"} else 403
    return 200


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    recording = AgencyFactory.create(slug="recording", kind="gp")
    agencies = {
        "recording_agency": recording,
        "unrelated_agency": AgencyFactory.create(slug="unrelated", kind="housing"),
        "consented_agency": AgencyFactory.create(slug="consented", kind="housing"),
        "consent_withdrawn_agency": AgencyFactory.create(slug="withdrawn", kind="fire_rescue"),
        "referral_accepted_agency": AgencyFactory.create(slug="referred", kind="victim_support"),
    }
    recorder = make_user(recording, "practitioner", email="recorder@example.org")
    incident = incident_record_with_new_person(
        actor=recorder,
        agency=recording,
        details=PersonDetails(given_name="Mo", family_name="Ali"),
        data=IncidentInput(description="They took over my flat.", kinds=("cuckooing",)),
    )
    person = incident.person
    assert person is not None
    consent_record(
        actor=recorder,
        agency=recording,
        person=person,
        purpose="share_with_agency",
        decision="given",
        recipient=agencies["consented_agency"],
        capacity_note="Discussed with him",
    )
    withdrawn = consent_record(
        actor=recorder,
        agency=recording,
        person=person,
        purpose="share_with_agency",
        decision="given",
        recipient=agencies["consent_withdrawn_agency"],
        capacity_note="Discussed with him",
    )
    consent_withdraw(actor=recorder, agency=recording, consent=withdrawn)
    # An agency that knows the person because it accepted a referral.
    from joinedup.referrals.models import Service
    from joinedup.referrals.services import referral_accept, referral_send

    referred = agencies["referral_accepted_agency"]
    service = Service.objects.create(
        organization_name="Referred", name="Support", agency=referred, needs=["victim_support"]
    )
    consent_record(
        actor=recorder,
        agency=recording,
        person=person,
        purpose="refer",
        decision="given",
        recipient=referred,
        capacity_note="He asked for support",
    )
    assert incident.case is not None
    referral = referral_send(actor=recorder, agency=recording, case=incident.case, service=service, reason="Support")
    referral_accept(
        actor=make_user(referred, "practitioner", email="acceptor@example.org"), referral=referral, named_contact="Ben"
    )
    return {"agencies": agencies, "person": person, "incident": incident}


def call(client: APIClient, endpoint: str, world: dict[str, Any], agency: Agency) -> int:
    person = world["person"]
    paths = {
        "person": f"/api/v1/people/{person.uuid}",
        "risk": f"/api/v1/people/{person.uuid}/risk",
        "consents": f"/api/v1/people/{person.uuid}/consents",
        "incident": f"/api/v1/incidents/{world['incident'].uuid}",
        "access_log": f"/api/v1/people/{person.uuid}/access-log",
        "links": f"/api/v1/people/{person.uuid}/links",
    }
    if endpoint in paths:
        return client.get(paths[endpoint]).status_code
    if endpoint in {"person_page", "case_page", "ask_page"}:
        from django.test import Client

        browser = Client()
        browser.force_login(world["user"])
        case_path = f"/cases/{world['incident'].case.uuid}"
        path = {
            "person_page": f"/people/{person.uuid}",
            "case_page": case_path,
            "ask_page": f"{case_path}/ask-for-information",
        }[endpoint]
        return browser.get(path).status_code
    body = {
        "person_id": str(person.uuid),
        "purpose": "share_with_agency",
        "recipient_agency_ids": [str(agency.uuid)],
        "lawful_basis": "public_task",
        "special_category_condition": "health_social_care",
        "consent_status": "not_sought_risk",
        "necessity": "He cannot keep them out of the flat and is at risk.",
        "tell_person": False,
        "why_not_tell": "They read his messages",
        "review_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "agency": agency.slug,
    }
    return client.post("/api/v1/sharing-decisions", body, format="json").status_code


@pytest.mark.parametrize(
    ("role", "relation", "endpoint"),
    list(itertools.product([r.value for r in Role], RELATIONS, ENDPOINTS)),
)
def test_matrix(world: dict[str, Any], role: str, relation: str, endpoint: str) -> None:
    agency = world["agencies"][relation]
    user: User = make_user(agency, role)
    world["user"] = user
    _, raw = token_issue(actor=None, user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert call(client, endpoint, world, agency) == expected(role, relation, endpoint)


# The person's own role (service_user), from docs/portal.md and docs/access-and-audit.md: a person with their own
# place reads their own record through /my/… only; the practitioners' API and pages are not theirs (404, not even
# their own record), and another person's place never shows this person's record.
PERSON_RELATIONS = ["the_person", "another_person"]
MY_ENDPOINTS = [
    "/api/v1/my/case",
    "/api/v1/my/timeline",
    "/api/v1/my/referrals",
    "/api/v1/my/access-log",
    "/api/v1/my/consents",
    "/api/v1/my/safety-plan",
    "/api/v1/my/messages",
    "/my",
    "/my/what-has-happened",
    "/my/who-looked",
    "/my/agreed",
    "/my/help-asked-for",
    "/my/safety-plan",
    "/my/messages",
    "/my/passkeys",
]


def expected_for_person(relation: str, endpoint: str) -> int:
    if endpoint in ENDPOINTS:
        return 404
    return 200


def _portal_user(world: dict[str, Any], relation: str) -> User:
    from joinedup.portal.services import portal_invite

    recorder = User.objects.get(email="recorder@example.org")
    recording = world["agencies"]["recording_agency"]
    if relation == "the_person":
        person, case = world["person"], world["incident"].case
    else:
        other = incident_record_with_new_person(
            actor=recorder,
            agency=recording,
            details=PersonDetails(
                given_name="Ann", family_name="Other", phone="07700 900111", contact_allowed=("text",)
            ),
            data=IncidentInput(description="Someone shouted at me."),
        )
        person, case = other.person, other.case
    # The invitation goes only by a channel their safe-contact rules allow: let Mo be texted, as Ann already is.
    allowed = person.safe_contact.get("allowed", [])
    if "text" not in allowed:
        person.safe_contact = {**person.safe_contact, "allowed": [*allowed, "text"]}
        person.phone = person.phone or "07700 900222"
        person.save(update_fields=["safe_contact", "phone"])
    account, _ = portal_invite(actor=recorder, agency=recording, person=person, case=case, channel="text")
    return account.user


@pytest.mark.parametrize(
    ("relation", "endpoint"), list(itertools.product(PERSON_RELATIONS, [*ENDPOINTS, *MY_ENDPOINTS]))
)
def test_matrix_for_the_person(world: dict[str, Any], relation: str, endpoint: str) -> None:
    from django.test import Client

    user = _portal_user(world, relation)
    world["user"] = user
    if endpoint in ENDPOINTS:
        _, raw = token_issue(actor=None, user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        status = call(client, endpoint, world, world["agencies"]["recording_agency"])
        assert status == expected_for_person(relation, endpoint)
        return
    if endpoint.startswith("/api/"):
        _, raw = token_issue(actor=None, user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        answer = client.get(endpoint)
    else:
        browser = Client()
        browser.force_login(user)
        answer = browser.get(endpoint)
    assert answer.status_code == expected_for_person(relation, endpoint)
    mo = world["person"]
    shown = answer.content.decode()
    if relation == "another_person":
        assert str(mo.uuid) not in shown and "Mo Ali" not in shown and "took over my flat" not in shown
