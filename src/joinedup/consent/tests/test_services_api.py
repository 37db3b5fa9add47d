from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.testing import assert_audited
from joinedup.cases.models import TimelineEntry
from joinedup.consent.contact import contact_attempt
from joinedup.consent.domain.rules import Para18Answers, SharingInput
from joinedup.consent.services import consent_cover, consent_record, consent_withdraw, sharing_decision_record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.people.models import ContactAttempt, Person
from joinedup.people.selectors import person_get

pytestmark = pytest.mark.django_db


def test_consent_to_share_gives_access_and_withdrawal_takes_it_away_at_once(
    nurse: User, gp: Agency, robert: Person, housing: Agency, housing_officer: User
) -> None:
    with pytest.raises(NotVisible):
        person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test")
    consent = consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=housing,
        capacity_note="Talked it through at his pace",
    )
    assert person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test") == robert
    assert consent_cover(person=robert, purpose="share_with_agency", recipient=housing).covered
    consent_withdraw(actor=nurse, agency=gp, consent=consent, note="Changed his mind")
    with pytest.raises(NotVisible):
        person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test")
    assert not consent_cover(person=robert, purpose="share_with_agency", recipient=housing).covered
    assert TimelineEntry.objects.filter(person=robert, kind="consent_changed").count() == 2
    with pytest.raises(Conflict):
        consent_withdraw(actor=nurse, agency=gp, consent=consent)


def test_capacity_is_decision_specific_and_recorded(nurse: User, gp: Agency, robert: Person) -> None:
    with pytest.raises(InvalidInput) as raised:
        consent_record(
            actor=nurse,
            agency=gp,
            person=robert,
            purpose="refer",
            decision="given",
            has_capacity=False,
            capacity_note="Very distressed today",
        )
    assert "capacity.has_capacity" in raised.value.fields
    with pytest.raises(InvalidInput) as raised:
        consent_record(actor=nurse, agency=gp, person=robert, purpose="refer", decision="given", capacity_note=" ")
    assert "capacity.note" in raised.value.fields


def _sharing(recipient: Agency, **kw: Any) -> SharingInput:
    base: dict[str, Any] = {
        "purpose": "share_with_agency",
        "recipient_agency_ids": (recipient.pk,),
        "lawful_basis": "public_task",
        "special_category_condition": "safeguarding_para18",
        "consent_status": "not_sought_risk",
        "necessity": "Men have moved into his flat; housing must act now to protect him.",
        "tell_person": False,
        "why_not_tell": "They are in the flat and read his post",
        "review_on": timezone.localdate() + timedelta(days=14),
        "para18": Para18Answers(True, True, True, True, "not_sought_risk", True),
    }
    base.update(kw)
    return SharingInput(**base)


def test_only_a_lead_may_share_without_consent(
    nurse: User, gp: Agency, robert: Person, housing: Agency, housing_officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        sharing_decision_record(actor=nurse, agency=gp, person=robert, data=_sharing(housing))
    lead = make_user(gp, "safeguarding_lead")
    decision = sharing_decision_record(actor=lead, agency=gp, person=robert, data=_sharing(housing))
    assert decision.review_on is not None
    assert person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test") == robert
    assert_audited("share", person_uuid=robert.uuid, actor=lead)
    entry = TimelineEntry.objects.get(person=robert, kind="sharing_decision")
    assert "not told yet" in entry.summary


def test_contact_goes_through_the_safe_contact_rules(nurse: User, gp: Agency, robert: Person) -> None:
    # Robert allowed texts only.
    with pytest.raises(Conflict) as refused:
        contact_attempt(actor=nurse, agency=gp, person=robert, channel="letter", purpose="Appointment letter")
    assert refused.value.code == "channel_not_allowed"
    assert ContactAttempt.objects.get().outcome == "refused"
    assert_audited("denied", person_uuid=robert.uuid, object_type="people.contact")
    attempt = contact_attempt(actor=nurse, agency=gp, person=robert, channel="text", purpose="Check-in")
    assert attempt.outcome == "made"
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="contact",
        decision="refused",
        any_partner=True,
        capacity_note="Clear and calm: nobody is to contact him",
    )
    with pytest.raises(Conflict, match="do not want to be contacted"):
        contact_attempt(actor=nurse, agency=gp, person=robert, channel="text", purpose="Check-in")


def test_access_log_shows_who_looked(
    nurse: User,
    gp: Agency,
    robert: Person,
    api_for: Callable[[User], APIClient],
    incident_input: Callable[..., Any],
) -> None:
    from joinedup.incidents.services import incident_record

    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())  # nurse is now key worker
    colleague = make_user(gp, "practitioner", name="Curious Colleague")
    api_for(colleague).get(f"/api/v1/people/{robert.uuid}")
    log = api_for(nurse).get(f"/api/v1/people/{robert.uuid}/access-log").json()
    viewers = [(e["actor"]["name"], e["actor"]["agency"], e["purpose"]) for e in log["results"]]
    assert ("Curious Colleague", gp.name, "API read") in viewers
    assert {"at", "actor", "action", "purpose"} == set(log["results"][0])
    assert api_for(colleague).get(f"/api/v1/people/{robert.uuid}/access-log").status_code == 403
    dpl = make_user(gp, "data_protection_lead")
    assert api_for(dpl).get(f"/api/v1/people/{robert.uuid}/access-log").status_code == 200


def test_consent_api(
    nurse: User, robert: Person, housing: Agency, housing_officer: User, api_for: Callable[[User], APIClient]
) -> None:
    client = api_for(nurse)
    body = {
        "person_id": str(robert.uuid),
        "purpose": "share_with_agency",
        "recipient_agency_id": str(housing.uuid),
        "decision": "given",
        "capacity": {"has_capacity": True, "note": "Easy read leaflet, his sister present"},
    }
    created = client.post("/api/v1/consents", body, format="json")
    assert created.status_code == 201, created.json()
    listed = client.get(f"/api/v1/people/{robert.uuid}/consents").json()
    assert listed["results"][0]["recipient_agency"]["slug"] == housing.slug
    assert api_for(housing_officer).get(f"/api/v1/people/{robert.uuid}").status_code == 200
    withdrawn = client.post(f"/api/v1/consents/{created.json()['id']}/withdraw", {}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn"] is True
    assert api_for(housing_officer).get(f"/api/v1/people/{robert.uuid}").status_code == 404
    again = client.post(f"/api/v1/consents/{created.json()['id']}/withdraw", {}, format="json")
    assert again.status_code == 409
    bad = client.post("/api/v1/consents", {**body, "capacity": {"has_capacity": False, "note": "x"}}, format="json")
    assert bad.status_code == 400 and "capacity.has_capacity" in bad.json()["error"]["fields"]


def test_sharing_decision_api(
    nurse: User, gp: Agency, robert: Person, housing: Agency, api_for: Callable[[User], APIClient]
) -> None:
    body = {
        "person_id": str(robert.uuid),
        "purpose": "share_with_agency",
        "recipient_agency_ids": [str(housing.uuid)],
        "lawful_basis": "public_task",
        "special_category_condition": "safeguarding_para18",
        "consent_status": "refused",
        "necessity": "He is at serious risk of losing his home to the men.",
        "tell_person": True,
        "para18": {
            "necessary_to_protect": True,
            "care_and_support_needs": True,
            "experiencing_or_at_risk_of_harm": True,
            "unable_to_protect_self": True,
            "substantial_public_interest": True,
        },
    }
    assert api_for(nurse).post("/api/v1/sharing-decisions", body, format="json").status_code == 403
    lead = make_user(gp, "data_protection_lead")
    created = api_for(lead).post("/api/v1/sharing-decisions", body, format="json")
    assert created.status_code == 201, created.json()
    incomplete = api_for(lead).post("/api/v1/sharing-decisions", {**body, "tell_person": False}, format="json")
    assert incomplete.status_code == 400
    assert {"why_not_tell", "review_on"} <= set(incomplete.json()["error"]["fields"])


def test_contact_api(nurse: User, robert: Person, api_for: Callable[[User], APIClient]) -> None:
    client = api_for(nurse)
    refused = client.post(
        f"/api/v1/people/{robert.uuid}/contacts", {"channel": "visit", "purpose": "Home visit"}, format="json"
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "channel_not_allowed"
    made = client.post(
        f"/api/v1/people/{robert.uuid}/contacts", {"channel": "text", "purpose": "Check-in"}, format="json"
    )
    assert made.status_code == 201


def test_minimum_necessary_for_an_agency_known_only_by_consent(
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    api_for: Callable[[User], APIClient],
    incident_input: Callable[..., Any],
) -> None:
    from joinedup.access.domain.minimum import Group, groups_for
    from joinedup.incidents.services import incident_record

    incident = incident_record(
        actor=nurse, agency=gp, person=robert, data=incident_input(impacts=("suicidality",), injuries="cut hand")
    )
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=housing,
        capacity_note="Agreed after we read it together",
    )
    seen = api_for(housing_officer).get(f"/api/v1/incidents/{incident.uuid}").json()
    assert seen["withheld_groups"] == ["health", "safeguarding"]
    assert "impacts" not in seen and "injuries" not in seen and "safeguarding" not in seen["classification"]
    assert seen["description"] and seen["kinds"], "housing sees what happened"
    full = api_for(nurse).get(f"/api/v1/incidents/{incident.uuid}").json()
    assert full["withheld_groups"] == [] and full["impacts"] == ["suicidality"]
    page = __import__("django.test", fromlist=["Client"]).Client()
    page.force_login(housing_officer)
    html = page.get(f"/incidents/{incident.uuid}").content.decode()
    assert "cut hand" not in html and "Not shown: not needed by your agency" in html
    # The rule itself, as a table row per kind of agency.
    assert groups_for(
        bases_by_agency={1: {"consent"}},
        kinds_by_agency={1: "fire_rescue"},
        actor_agencies=frozenset({1}),
        is_key_worker=False,
    ) == {Group.IDENTITY, Group.CONTACT, Group.HARM, Group.RISK}
    assert groups_for(
        bases_by_agency={1: {"consent"}},
        kinds_by_agency={1: "mental_health"},
        actor_agencies=frozenset({1}),
        is_key_worker=False,
    ) == frozenset(Group)
