"""The person's own place: invited through a safe channel, signed in by a one-time link, their own record only,
every read audited like anyone's, their own parts of the plan, messages and something new in their words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.audit.models import AuditEntry
from joinedup.cases.domain.safety_plan import Plan
from joinedup.cases.models import Case, SafetyPlanVersion, TimelineEntry
from joinedup.cases.safety import safety_plan_save
from joinedup.core.errors import Conflict
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record, incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person
from joinedup.portal.models import Message
from joinedup.portal.services import portal_invite


@pytest.fixture
def invited(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> tuple[User, str]:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    account, link = portal_invite(actor=nurse, agency=gp, person=robert, case=case, channel="text")
    return account.user, link


def test_an_invitation_goes_only_by_a_safe_channel(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    with pytest.raises(Conflict) as refused:
        portal_invite(actor=nurse, agency=gp, person=robert, case=case, channel="letter")
    assert refused.value.code == "channel_not_allowed"
    assert not User.objects.filter(portal__person=robert).exists()


def test_the_link_signs_in_once(invited: tuple[User, str], robert: Person) -> None:
    _, link = invited
    browser = Client()
    opened = browser.get(link)
    assert opened.status_code == 200 and "Press the button to sign in" in opened.content.decode(), (
        "opening spends nothing"
    )
    assert browser.post(link).status_code == 302
    home = browser.get("/my")
    assert home.status_code == 200 and "Your key worker" in home.content.decode()
    assert "no-store" in home["Cache-Control"]
    again = Client().get(link)
    assert again.status_code == 400 and "does not work any more" in again.content.decode(), "single use"


def test_their_own_record_only(invited: tuple[User, str], robert: Person, nurse: User, gp: Agency) -> None:
    user, _ = invited
    _, raw = token_issue(actor=None, user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    me = api.get("/api/v1/me").json()
    assert me["person_id"] == str(robert.uuid) and me["roles"] == ["service_user"]
    assert api.get("/api/v1/my/case").status_code == 200
    assert api.get(f"/api/v1/people/{robert.uuid}").status_code == 404, "the practitioners' API is not theirs"
    other = incident_record_with_new_person(
        actor=nurse,
        agency=gp,
        details=PersonDetails(given_name="Ann", family_name="Other"),
        data=IncidentInput(description="Someone else"),
    )
    assert api.get(f"/api/v1/incidents/{other.uuid}").status_code == 404
    assert api.get(f"/api/v1/cases/{other.case.uuid}").status_code == 404  # type: ignore[union-attr]
    looks = AuditEntry.objects.filter(actor=user, person_uuid=robert.uuid, action="view")
    assert looks.count() == 1, "their reads are audited like anyone's"


def test_they_change_their_own_parts_and_say_something_new(
    invited: tuple[User, str], robert: Person, nurse: User
) -> None:
    user, link = invited
    browser = Client()
    browser.post(link)
    response = browser.post("/my/safety-plan", {"what_i_will_do": "Go to my sister's on Mill Road"})
    assert response.status_code == 302
    version = SafetyPlanVersion.objects.get()
    assert version.by_person and version.changed_parts == ["what_i_will_do"]
    case = Case.objects.get(person=robert)
    with pytest.raises(Conflict):
        safety_plan_save(actor=user, case=case, plan=Plan(practical_steps=("home_security",)), by_person=True)
    browser.post("/my/tell-us", {"text": "He was outside again last night."})
    entry = TimelineEntry.objects.get(kind="note", person=robert, details__account="He was outside again last night.")
    assert entry.field_groups == ["account"]
    browser.post("/my/messages", {"text": "Can you call me after 2?"})
    assert Message.objects.filter(from_person=True, kind="message").count() == 1
    notification = case.key_worker.notifications.order_by("-id").first()  # type: ignore[attr-defined]
    assert notification is not None and "after 2" not in notification.text, "never the words in a notification"


def test_who_looked_reads_one_line_per_look(invited: tuple[User, str], robert: Person, nurse: User) -> None:
    _, link = invited
    staff = Client()
    staff.force_login(nurse)
    staff.get(f"/people/{robert.uuid}")
    browser = Client()
    browser.post(link)
    page = browser.get("/my/who-looked").content.decode()
    assert page.count("Reading the person&#39;s record") == 1
