"""A consent names its recipient, and consent to one recipient never covers another (issue 11, docs/consent.md).

The regression: consent recorded through the API for a victim support service was stored with no recipient and then
covered a referral to housing or to the crisis team."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.cases.models import Case
from joinedup.consent.directory import ServiceRecipient
from joinedup.consent.models import Consent
from joinedup.consent.selectors import consents_to_ask_again
from joinedup.consent.services import consent_cover, consent_record, consent_withdraw
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person, PersonAgencyLink
from joinedup.referrals.models import Referral, Service
from joinedup.referrals.selectors import service_recipient
from joinedup.referrals.services import referral_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim_support(db: None) -> Agency:
    return AgencyFactory.create(slug="vs", name="Victim Support", kind="victim_support")


@pytest.fixture
def crisis(db: None) -> Agency:
    return AgencyFactory.create(slug="crisis", name="Eastmere Crisis Team", kind="mental_health")


def _service(agency: Agency, name: str, need: str) -> Service:
    return Service.objects.create(organization_name=agency.name, name=name, agency=agency, needs=[need])


@pytest.fixture
def vs_hate_crime(victim_support: Agency) -> Service:
    return _service(victim_support, "Hate Crime Support", "victim_support")


@pytest.fixture
def vs_general(victim_support: Agency) -> Service:
    return _service(victim_support, "General Victim Care", "victim_support")


@pytest.fixture
def housing_tenancy(housing: Agency) -> Service:
    return _service(housing, "Tenancy Sustainment", "housing")


@pytest.fixture
def crisis_line(crisis: Agency) -> Service:
    return _service(crisis, "Crisis Line", "mental_health")


@pytest.fixture
def case(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]) -> Case:
    incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert incident.case is not None
    return incident.case


def _as_recipient(service: Service) -> ServiceRecipient:
    found = service_recipient(service.uuid)
    assert found is not None
    return found


def test_consent_for_one_service_covers_that_service_only(
    case: Case,
    nurse: User,
    gp: Agency,
    robert: Person,
    vs_hate_crime: Service,
    vs_general: Service,
    housing_tenancy: Service,
    crisis_line: Service,
) -> None:
    consent = consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="refer",
        decision="given",
        service=_as_recipient(vs_hate_crime),
        capacity_note="He asked for hate crime support",
    )
    assert (consent.recipient_kind, consent.recipient_service_uuid) == ("service", vs_hate_crime.uuid)
    assert consent.recipient_agency == vs_hate_crime.agency, "the owning agency is captured when recorded"
    for other in (housing_tenancy, crisis_line, vs_general):
        with pytest.raises(Conflict) as refused:
            referral_send(actor=nurse, agency=gp, case=case, service=other, reason="Support")
        assert refused.value.code == "no_consent", other.name
    assert not Referral.objects.exists()
    sent = referral_send(actor=nurse, agency=gp, case=case, service=vs_hate_crime, reason="Hate crime support")
    assert sent.to_agency == vs_hate_crime.agency


def test_a_consent_without_a_recipient_is_refused(nurse: User, gp: Agency, robert: Person, housing: Agency) -> None:
    with pytest.raises(InvalidInput) as nobody:
        consent_record(actor=nurse, agency=gp, person=robert, purpose="refer", decision="given", capacity_note="ok")
    assert "recipient" in nobody.value.fields
    with pytest.raises(InvalidInput) as both:
        consent_record(
            actor=nurse,
            agency=gp,
            person=robert,
            purpose="refer",
            decision="given",
            recipient=housing,
            any_partner=True,
            capacity_note="ok",
        )
    assert "recipient" in both.value.fields
    assert not Consent.objects.exists()


def test_any_partner_is_recorded_as_the_persons_choice_and_covers_everyone(
    case: Case, nurse: User, gp: Agency, robert: Person, housing_tenancy: Service, crisis_line: Service
) -> None:
    consent = consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="refer",
        decision="given",
        any_partner=True,
        capacity_note="He said any of the partner agencies may help; we went through who they are",
    )
    assert consent.recipient_kind == "any_partner" and consent.recipient_agency is None
    referral_send(actor=nurse, agency=gp, case=case, service=housing_tenancy, reason="Neighbour")
    referral_send(actor=nurse, agency=gp, case=case, service=crisis_line, reason="Distress")


def test_withdrawing_a_service_consent_keeps_access_the_agency_still_has_by_its_own_consent(
    nurse: User, gp: Agency, robert: Person, victim_support: Agency, vs_hate_crime: Service
) -> None:
    def knows() -> bool:
        return PersonAgencyLink.objects.filter(person=robert, agency=victim_support, basis="consent").exists()

    by_service = consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        service=_as_recipient(vs_hate_crime),
        capacity_note="Agreed",
    )
    assert knows(), "sharing with a service shares with the agency that runs it"
    assert consent_cover(person=robert, purpose="share_with_agency", recipient=victim_support).covered
    by_agency = consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=victim_support,
        capacity_note="Agreed",
    )
    consent_withdraw(actor=nurse, agency=gp, consent=by_service)
    assert knows()
    consent_withdraw(actor=nurse, agency=gp, consent=by_agency)
    assert not knows()


def test_a_signpost_only_service_cannot_be_named(nurse: User, gp: Agency, robert: Person) -> None:
    leaflet = Service.objects.create(organization_name="Helpline", name="Helpline", agency=None)
    with pytest.raises(InvalidInput) as refused:
        consent_record(
            actor=nurse,
            agency=gp,
            person=robert,
            purpose="refer",
            decision="given",
            service=_as_recipient(leaflet),
            capacity_note="ok",
        )
    assert "service_id" in refused.value.fields


def _body(robert: Person, **recipient: Any) -> dict[str, Any]:
    return {
        "person_id": str(robert.uuid),
        "purpose": "refer",
        "decision": "given",
        "capacity": {"has_capacity": True, "note": "We talked it through"},
        **recipient,
    }


def test_api_service_id_is_honoured_and_covers_no_other_recipient(
    case: Case,
    nurse: User,
    robert: Person,
    vs_hate_crime: Service,
    housing_tenancy: Service,
    crisis_line: Service,
    api_for: Callable[[User], APIClient],
) -> None:
    client = api_for(nurse)
    created = client.post("/api/v1/consents", _body(robert, service_id=str(vs_hate_crime.uuid)), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["service"] == {"id": str(vs_hate_crime.uuid), "name": "Hate Crime Support"}
    assert body["recipient_agency"]["slug"] == "vs" and body["any_partner"] is False and body["ask_again"] is False
    assert body["recipient_description"] == "Hate Crime Support (Victim Support)"
    for other in (housing_tenancy, crisis_line):
        refused = client.post(
            "/api/v1/referrals",
            {"case_id": str(case.uuid), "service_id": str(other.uuid), "reason": "Support", "urgency": "routine"},
            format="json",
        )
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_consent", other.name
    sent = client.post(
        "/api/v1/referrals",
        {"case_id": str(case.uuid), "service_id": str(vs_hate_crime.uuid), "reason": "Support", "urgency": "routine"},
        format="json",
    )
    assert sent.status_code == 201, sent.json()


@pytest.mark.parametrize(
    ("recipient", "field"),
    [
        ({}, "recipient"),
        ({"recipient_agency_id": None, "service_id": None}, "recipient"),
        ({"any_partner": False}, "recipient"),
        ({"service_id": "00000000-0000-4000-8000-000000000000"}, "service_id"),
        ({"recipient_agency_id": "00000000-0000-4000-8000-000000000000"}, "recipient_agency_id"),
        ({"any_partner": True, "service_id": "SERVICE"}, "recipient"),
        ({"recipient_agency_id": "AGENCY", "service_id": "SERVICE"}, "recipient"),
    ],
    ids=[
        "S41-nothing",
        "S41-nulls",
        "S41-any-partner-false",
        "S41-unknown-service",
        "S41-unknown-agency",
        "S41-any-partner-and-service",
        "S41-agency-and-service",
    ],
)
def test_api_refuses_a_consent_that_does_not_name_exactly_one_known_recipient(
    recipient: dict[str, Any],
    field: str,
    nurse: User,
    robert: Person,
    housing: Agency,
    vs_hate_crime: Service,
    api_for: Callable[[User], APIClient],
) -> None:
    filled = {
        k: {"SERVICE": str(vs_hate_crime.uuid), "AGENCY": str(housing.uuid)}.get(v, v) if isinstance(v, str) else v
        for k, v in recipient.items()
    }
    answer = api_for(nurse).post("/api/v1/consents", _body(robert, **filled), format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"]
    assert not Consent.objects.exists()


def test_api_any_partner(nurse: User, robert: Person, api_for: Callable[[User], APIClient]) -> None:
    created = api_for(nurse).post("/api/v1/consents", _body(robert, any_partner=True), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["any_partner"] is True and created.json()["recipient_agency"] is None


def _sharing_body(robert: Person, **recipients: Any) -> dict[str, Any]:
    return {
        "person_id": str(robert.uuid),
        "purpose": "refer",
        "lawful_basis": "public_task",
        "special_category_condition": "health_social_care",
        "consent_status": "not_sought_risk",
        "necessity": "He is at serious risk and needs specialist hate crime support now.",
        "tell_person": True,
        **recipients,
    }


def test_sharing_decision_api_honours_service_id_exactly(
    case: Case,
    gp: Agency,
    robert: Person,
    nurse: User,
    vs_hate_crime: Service,
    vs_general: Service,
    housing: Agency,
    api_for: Callable[[User], APIClient],
) -> None:
    lead = api_for(make_user(gp, "safeguarding_lead"))
    unknown = lead.post(
        "/api/v1/sharing-decisions",
        _sharing_body(robert, service_id="00000000-0000-4000-8000-000000000000"),
        format="json",
    )
    assert unknown.status_code == 400 and "service_id" in unknown.json()["error"]["fields"]
    both = lead.post(
        "/api/v1/sharing-decisions",
        _sharing_body(robert, service_id=str(vs_hate_crime.uuid), recipient_agency_ids=[str(housing.uuid)]),
        format="json",
    )
    assert both.status_code == 400 and "service_id" in both.json()["error"]["fields"]
    neither = lead.post("/api/v1/sharing-decisions", _sharing_body(robert), format="json")
    assert neither.status_code == 400 and "recipient_agency_ids" in neither.json()["error"]["fields"]
    created = lead.post(
        "/api/v1/sharing-decisions", _sharing_body(robert, service_id=str(vs_hate_crime.uuid)), format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["service"]["id"] == str(vs_hate_crime.uuid)
    assert created.json()["recipient_agency_ids"] == [str(vs_hate_crime.agency.uuid)]  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        referral_send(actor=nurse, agency=gp, case=case, service=vs_general, reason="Support")
    referral_send(actor=nurse, agency=gp, case=case, service=vs_hate_crime, reason="Support")


def test_consent_page_asks_who_it_is_for_and_says_so(
    nurse: User, robert: Person, housing: Agency, vs_hate_crime: Service
) -> None:
    page = Client()
    page.force_login(nurse)
    url = f"/people/{robert.uuid}/consent"
    base = {"purpose": "refer", "decision": "given", "has_capacity": "yes", "capacity_note": "Easy read"}
    nobody = page.post(url, base)
    assert nobody.status_code == 400
    html = nobody.content.decode()
    assert "Choose who this is for" in html and "Easy read" in html, "the error is specific and keeps what was typed"
    no_service = page.post(url, {**base, "recipient_kind": "service"})
    assert no_service.status_code == 400 and "Choose the service this is for" in no_service.content.decode()
    no_agency = page.post(url, {**base, "recipient_kind": "agency"})
    assert no_agency.status_code == 400 and "Choose the agency this is for" in no_agency.content.decode()
    done = page.post(url, {**base, "recipient_kind": "service", "recipient_service": str(vs_hate_crime.uuid)})
    assert done.status_code == 302
    page.post(url, {**base, "recipient_kind": "any_partner", "purpose": "contact"})
    listed = page.get(url).content.decode()
    assert "Hate Crime Support (Victim Support)" in listed
    assert "any partner agency (the person&#39;s own choice)" in listed
    kinds = sorted(Consent.objects.values_list("recipient_kind", flat=True))
    assert kinds == ["any_partner", "service"]


def test_old_consent_without_a_recipient_covers_nobody_and_asks_again(
    nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    Consent.objects.create(
        person=robert,
        purpose="share_with_agency",
        recipient_kind="unspecified",
        decision="given",
        capacity_note="Recorded before recipients were required",
        recorded_by=nurse,
        recorded_by_agency=gp,
    )
    cover = consent_cover(person=robert, purpose="share_with_agency", recipient=housing)
    assert not cover.covered and cover.basis == "unspecified"
    assert consents_to_ask_again(actor=nurse, person=robert) == 1
    assert consents_to_ask_again(actor=make_user(housing, "practitioner"), person=robert) == 0
    page = Client()
    page.force_login(nurse)
    person_page = page.get(f"/people/{robert.uuid}").content.decode()
    assert "Ask again: a consent did not say who it was for" in person_page
    consent_page = page.get(f"/people/{robert.uuid}/consent").content.decode()
    assert "not said who it was for" in consent_page
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=housing,
        capacity_note="Asked again: housing only",
    )
    assert consents_to_ask_again(actor=nurse, person=robert) == 0
    assert consent_cover(person=robert, purpose="share_with_agency", recipient=housing).covered


@pytest.mark.django_db(transaction=True)
def test_the_migration_does_not_turn_old_consents_into_consent_to_everyone(
    nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("consent", "0001_initial")])
    old = executor.loader.project_state([("consent", "0001_initial")]).apps.get_model("consent", "Consent")
    common = {"person_id": robert.pk, "decision": "given", "recorded_by_id": nurse.pk, "recorded_by_agency_id": gp.pk}
    old.objects.create(purpose="refer", recipient_agency_id=None, **common)
    old.objects.create(purpose="refer", recipient_agency_id=housing.pk, **common)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    kinds = dict(Consent.objects.values_list("recipient_agency_id", "recipient_kind"))
    assert kinds == {None: "unspecified", housing.pk: "agency"}
    police = AgencyFactory.create(slug="police-force", kind="police")
    assert not consent_cover(person=robert, purpose="refer", recipient=police).covered
    assert consent_cover(person=robert, purpose="refer", recipient=housing).covered
