"""Requests for information to agencies believed to hold records of the person (linkage), answered like a
referral: consent first (409 no_consent), once only, answered with the information or declined with a reason and
another route, overdue and escalated by check_deadlines. Services, API and pages against the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.audit.testing import assert_audited
from joinedup.cases.models import Case, Escalation, Task
from joinedup.cases.work import deadlines_check
from joinedup.consent.models import Consent
from joinedup.consent.services import consent_record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.models import Notification
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.linkage.tests.factories import Linker
from joinedup.people.models import Person
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.referrals.services import (
    ConsentAsked,
    information_request_answer,
    information_request_send,
    information_requests_send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> dict[str, Any]:
    """Robert's case at the GP; linkage believes the housing association and the mental health trust hold records
    of him (their own references H-12 and MH-77)."""
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    trust = AgencyFactory.create(slug="marsh-mh", name="Marsh Mental Health Trust", kind="mental_health")
    linker = Linker()
    me = linker.person(robert)
    linker.link(me, linker.record(housing, "H-12", given_name="Rob", family_name="Smith"), "auto", 10.0)
    linker.link(me, linker.record(trust, "MH-77", given_name="Robert", family_name="Smith"), "confirmed", 3.0)
    return {
        "case": Case.objects.get(person=robert),
        "trust": trust,
        "trust_worker": make_user(trust, "practitioner", email="worker@marsh.example"),
        "lead": make_user(housing, "safeguarding_lead", email="lead@homes.example"),
    }


def _consent(nurse: User, gp: Agency, person: Person, agency: Agency, decision: str = "given") -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=person,
        purpose="share_with_agency",
        decision=decision,
        recipient=agency,
        capacity_note="Talked it through with his advocate",
    )


def _ask(api: Any, person: Person, agency: Agency, **more: Any) -> Any:
    body = {"agency_id": str(agency.uuid), "question": "Has he been to you after incidents like this?", **more}
    return api.post(f"/api/v1/people/{person.uuid}/information-requests", body, format="json")


def test_asking_needs_consent_to_share_with_that_agency(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency, api_for: Callable[..., Any]
) -> None:
    api = api_for(nurse)
    refused = _ask(api, robert, housing)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_consent"
    assert "Riverside Homes" in refused.json()["error"]["message"]
    # Consent to another agency does not count.
    _consent(nurse, gp, robert, world["trust"])
    assert _ask(api, robert, housing).status_code == 409
    _consent(nurse, gp, robert, housing)
    sent = _ask(api, robert, housing, urgency="urgent")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["kind"] == "information" and body["service_id"] is None and body["to_agency"] == "homes"
    assert body["status"] == "sent" and body["information"] is None
    request = Referral.objects.get(uuid=body["id"])
    assert timezone.localtime(request.respond_by).date() > timezone.localdate()
    assert_audited("share", object_type="referrals.referral", actor=nurse)
    # Once only: asking again answers with the open request, and sends nothing.
    again = _ask(api, robert, housing)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Referral.objects.filter(kind="information").count() == 1


@pytest.mark.parametrize(
    ("who", "agency", "status", "code"),
    [
        pytest.param("nurse", "gp", 400, "invalid", id="not-an-agency-linkage-found-the-readers-own"),
        pytest.param("nurse", "police", 400, "invalid", id="an-agency-linkage-did-not-find"),
        pytest.param("stranger", "homes", 404, "not_found", id="a-stranger-learns-nothing"),
        pytest.param("nurse", "nowhere", 400, "invalid", id="an-unknown-agency"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(
    world: dict[str, Any],
    nurse: User,
    gp: Agency,
    police: Agency,
    robert: Person,
    housing: Agency,
    api_for: Callable[..., Any],
    who: str,
    agency: str,
    status: int,
    code: str,
) -> None:
    for recipient in (housing, gp, police):
        _consent(nurse, gp, robert, recipient)
    users = {"nurse": nurse, "stranger": make_user(AgencyFactory.create(kind="voluntary"), "practitioner")}
    agencies = {"gp": gp, "police": police, "homes": housing, "nowhere": Agency(uuid="0" * 32, name="x")}
    answer = _ask(api_for(users[who]), robert, agencies[agency])
    assert answer.status_code == status and answer.json()["error"]["code"] == code
    assert not Referral.objects.exists()


def test_no_open_case_and_empty_questions(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency, api_for: Callable[..., Any]
) -> None:
    _consent(nurse, gp, robert, housing)
    empty = _ask(api_for(nurse), robert, housing, question=" ")
    assert empty.status_code == 400 and "question" in empty.json()["error"]["fields"]
    Case.objects.filter(pk=world["case"].pk).update(status="closed")
    closed = _ask(api_for(nurse), robert, housing)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "no_open_case"


def test_the_agency_answers_and_only_full_readers_read_the_answer(
    world: dict[str, Any],
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    api_for: Callable[..., Any],
) -> None:
    _consent(nurse, gp, robert, housing)
    request, _ = information_request_send(
        actor=nurse, agency=gp, case=world["case"], to_agency=housing, question="Any concerns at home?"
    )
    # Accepting is for referrals to a service.
    officer = api_for(housing_officer)
    accept = officer.post(f"/api/v1/referrals/{request.uuid}/accept", {"named_contact": "Jo"}, format="json")
    assert accept.status_code == 409 and accept.json()["error"]["code"] == "information_request"
    empty = officer.post(f"/api/v1/referrals/{request.uuid}/answer", {"information": ""}, format="json")
    assert empty.status_code == 400
    answered = officer.post(
        f"/api/v1/referrals/{request.uuid}/answer",
        {"information": "Known to our tenancy team since 2024: two reports of a neighbour shouting at him."},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "completed" and answered.json()["information"].startswith("Known to our")
    assert Notification.objects.filter(user=nurse, text__contains="answered your request").exists()
    # The GP nurse (key worker: the whole record) reads it; an agency that knows him only by consent, and whose
    # kind of work does not need everything, does not.
    assert api_for(nurse).get(f"/api/v1/referrals/{request.uuid}").json()["information"].startswith("Known")
    peers = AgencyFactory.create(slug="peers", name="Peer Support", kind="peer_support")
    _consent(nurse, gp, robert, peers)
    peer = api_for(make_user(peers, "practitioner", email="p@peers.example"))
    assert peer.get(f"/api/v1/referrals/{request.uuid}").json()["information"] is None
    again = officer.post(f"/api/v1/referrals/{request.uuid}/answer", {"information": "More"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_open"


def test_a_decline_gives_a_reason_and_another_route_and_comes_back_as_a_task(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency, housing_officer: User
) -> None:
    _consent(nurse, gp, robert, housing)
    request, _ = information_request_send(
        actor=nurse, agency=gp, case=world["case"], to_agency=housing, question="Any concerns?"
    )
    client = Client()
    client.force_login(housing_officer)
    page = client.get(f"/referrals/{request.uuid}")
    html = page.content.decode()
    assert page.status_code == 200 and "Request for information from Riverside Homes" in html
    assert "Your reference H-12" in html and "MH-77" not in html
    missing = client.post(f"/referrals/{request.uuid}", {"action": "decline", "reason": "Not our tenant"})
    text = missing.content.decode()
    assert missing.status_code == 400 and "a decline is never a dead end" in text and "Not our tenant" in text
    done = client.post(
        f"/referrals/{request.uuid}",
        {"action": "decline", "reason": "Not our tenant", "alternative": "Ask the council's housing options team"},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == ReferralStatus.DECLINED and request.alternative.startswith("Ask the council")
    task = Task.objects.get(case=world["case"])
    assert task.title.startswith("Request for information declined by Riverside Homes")


def test_an_unanswered_request_becomes_overdue_and_escalates(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    _consent(nurse, gp, robert, housing)
    request, _ = information_request_send(
        actor=nurse, agency=gp, case=world["case"], to_agency=housing, question="Any concerns?", urgency="urgent"
    )
    deadlines_check(as_of=timezone.localtime(request.respond_by).date() + timedelta(days=1))
    request.refresh_from_db()
    assert request.status == ReferralStatus.OVERDUE
    escalation = Escalation.objects.get(item_type="referral", item_id=request.pk, level=1)
    assert "request for information to Riverside Homes" in escalation.note
    assert Notification.objects.filter(user=world["lead"]).exists()


def test_asking_several_with_consent_asked_in_place(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    with pytest.raises(InvalidInput):
        # Lacking capacity, a person cannot consent: nothing is recorded, nothing is sent.
        information_requests_send(
            actor=nurse,
            agency=gp,
            case=world["case"],
            to_agencies=[housing, world["trust"]],
            question="Any concerns?",
            consent=ConsentAsked(decision="given", has_capacity=False, note="In crisis today"),
        )
    assert not Consent.objects.exists() and not Referral.objects.exists()
    asked = information_requests_send(
        actor=nurse,
        agency=gp,
        case=world["case"],
        to_agencies=[housing, world["trust"]],
        question="Any concerns?",
        consent=ConsentAsked(decision="given", has_capacity=True, note="Easy read leaflet, his advocate present"),
    )
    assert {r.to_agency for r in asked.sent} == {housing, world["trust"]}
    assert set(Consent.objects.values_list("recipient_agency__slug", "decision")) == {
        ("homes", "given"),
        ("marsh-mh", "given"),
    }


def test_a_no_is_recorded_and_nothing_goes(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    asked = information_requests_send(
        actor=nurse,
        agency=gp,
        case=world["case"],
        to_agencies=[housing],
        question="Any concerns?",
        consent=ConsentAsked(decision="refused", has_capacity=True, note="He does not want housing to know"),
    )
    assert asked.sent == [] and asked.refused == [housing]
    assert Consent.objects.get().decision == "refused" and not Referral.objects.exists()
    with pytest.raises(Conflict):
        information_request_send(actor=nurse, agency=gp, case=world["case"], to_agency=housing, question="Still?")


def test_the_asking_page_asks_for_consent_in_place_and_keeps_what_was_typed(
    world: dict[str, Any], nurse: User, robert: Person, housing: Agency
) -> None:
    client = Client()
    client.force_login(nurse)
    path = f"/cases/{world['case'].uuid}/ask-for-information"
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and "Riverside Homes" in html and "Marsh Mental Health Trust" in html
    assert "A data protection lead confirmed these records are the same person." in html
    assert "H-12" not in html and "Rob " not in html
    chosen = {"agencies": [str(housing.uuid)], "question": "Any concerns at home?", "urgency": "routine"}
    missing = client.post(path, chosen)
    text = missing.content.decode()
    assert (
        missing.status_code == 400 and "Say whether they agree to sharing" in text and "Any concerns at home?" in text
    )
    sent = client.post(path, {**chosen, "consent_decision": "given", "has_capacity": "yes", "capacity_note": "Agreed"})
    assert sent.status_code == 302 and sent["Location"] == f"/cases/{world['case'].uuid}"
    assert Referral.objects.get().to_agency == housing
    after = client.get(path).content.decode()
    assert "Already asked" in after


def test_a_health_agency_is_not_named_to_a_reader_who_does_not_see_health(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency, housing_officer: User
) -> None:
    # Housing knows Robert by consent: it sees identity, contact, account, harm and risk — not health.
    _consent(nurse, gp, robert, housing)
    client = Client()
    client.force_login(housing_officer)
    html = client.get(f"/cases/{world['case'].uuid}/ask-for-information").content.decode()
    assert "Marsh Mental Health Trust" not in html and "1 more agency holds records of them" in html
    # The count tells no health fact: the trust is counted (housing's own record is not "another" agency to it).
    links = client.get(f"/cases/{world['case'].uuid}").content.decode()
    assert "Known to 1 other agency" in links and "Marsh" not in links


def test_the_database_holds_once_only_and_that_a_request_names_no_service(
    world: dict[str, Any], nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    _consent(nurse, gp, robert, housing)
    request, _ = information_request_send(
        actor=nurse, agency=gp, case=world["case"], to_agency=housing, question="Any concerns?"
    )
    same = {
        "case": world["case"],
        "to_agency": housing,
        "from_user": nurse,
        "from_agency": gp,
        "reason": "Again",
        "respond_by": request.respond_by,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(kind="information", **same)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(kind="service", service=None, **same)
    # Once answered, the agency can be asked again.
    information_request_answer(actor=make_user(housing, "practitioner"), referral=request, information="Nothing")
    again, sent = information_request_send(
        actor=nurse, agency=gp, case=world["case"], to_agency=housing, question="Anything since?"
    )
    assert sent and again.pk != request.pk
