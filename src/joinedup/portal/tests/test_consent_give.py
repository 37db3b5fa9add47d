"""Giving a new consent in My support: one purpose, one agency the person chose (or every agency at the safety
meeting, in those words), recorded as theirs, the key worker told, and nothing saved when the choice is wrong."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import AgencyFactory
from joinedup.cases.models import Case
from joinedup.consent.models import Consent
from joinedup.consent.services import consent_cover
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.models import Notification
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.portal.services import consent_give, portal_invite


@pytest.fixture
def invited(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> tuple[User, str]:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    account, link = portal_invite(actor=nurse, agency=gp, person=robert, case=case, channel="text")
    return account.user, link


@pytest.fixture
def housing(db: None) -> Agency:
    return AgencyFactory(slug="city-homes", name="City Homes", kind="housing")


def test_they_agree_to_one_agency_only(invited: tuple[User, str], robert: Person, housing: Agency, gp: Agency) -> None:
    user, _ = invited
    consent = consent_give(actor=user, person=robert, choice_slug="share", recipient=housing)
    assert consent.recorded_by == user and consent.recorded_by_agency == gp, "theirs, for the key worker's agency"
    assert consent_cover(person=robert, purpose="share_with_agency", recipient=housing).covered
    other = AgencyFactory(slug="other-homes", name="Other Homes", kind="housing")
    assert not consent_cover(person=robert, purpose="share_with_agency", recipient=other).covered
    case = Case.objects.get(person=robert)
    told = Notification.objects.filter(user=case.key_worker).order_by("-id").first()
    assert told is not None and "agreed to something new" in told.text and "City Homes" not in told.text
    with pytest.raises(Conflict) as again:
        consent_give(actor=user, person=robert, choice_slug="share", recipient=housing)
    assert again.value.code == "already_given"


def test_the_safety_meeting_means_every_agency_there(invited: tuple[User, str], robert: Person) -> None:
    user, _ = invited
    consent = consent_give(actor=user, person=robert, choice_slug="meeting", recipient=None)
    assert consent.recipient_kind == "any_partner" and consent.purpose == "discuss_at_panel"


@pytest.mark.parametrize(
    ("slug", "kind", "field"),
    [("police", "housing", "recipient"), ("share", None, "recipient"), ("contact", "housing", "purpose")],
)
def test_a_wrong_choice_saves_nothing(
    invited: tuple[User, str], robert: Person, slug: str, kind: str | None, field: str
) -> None:
    user, _ = invited
    recipient = AgencyFactory(slug="somewhere", name="Somewhere", kind=kind) if kind else None
    with pytest.raises(InvalidInput) as refused:
        consent_give(actor=user, person=robert, choice_slug=slug, recipient=recipient)
    assert field in refused.value.fields
    assert not Consent.objects.filter(person=robert).exists()


def test_in_the_api(invited: tuple[User, str], robert: Person, police: Agency) -> None:
    user, _ = invited
    _, raw = token_issue(actor=None, user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    made = api.post(
        "/api/v1/my/consents", {"purpose": "report_to_police", "recipient_agency_id": str(police.uuid)}, format="json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["for"] == "City Police"
    assert api.post("/api/v1/my/consents", {"purpose": "refer"}, format="json").status_code == 400
    unknown = api.post(
        "/api/v1/my/consents",
        {"purpose": "refer", "recipient_agency_id": "00000000-0000-0000-0000-000000000000"},
        format="json",
    )
    assert unknown.status_code == 400 and "recipient_agency_id" in unknown.json()["error"]["fields"]
    listed = api.get("/api/v1/my/consents").json()["results"]
    assert [c["purpose"] for c in listed] == ["report_to_police"]


def test_on_the_page(invited: tuple[User, str], robert: Person, housing: Agency) -> None:
    _, link = invited
    browser = Client()
    browser.post(link)
    assert "Agree to something new" in browser.get("/my/agreed").content.decode()
    missing = browser.post("/my/agree", {})
    assert missing.status_code == 400 and "Choose what you agree to" in missing.content.decode()
    assert browser.post("/my/agree", {"choice": "share"}).url == "/my/agree/share"
    nobody = browser.post("/my/agree/share", {})
    assert nobody.status_code == 400 and "Choose a service" in nobody.content.decode()
    done = browser.post("/my/agree/share", {"recipient": str(housing.uuid)}, follow=True)
    page = done.content.decode()
    assert "Done. Your key worker has been told." in page
    assert "Let a service see what happened to me: City Homes" in page
