"""Issue 16: the person follows their own (named) harm report in their own place (My support, `/my`): where it
is, what comes next, and only the words meant for them. Telling us while signed in makes it theirs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.cases.models import Case
from joinedup.core.tests.plain_words import forbidden_in, page_text, reading_age
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.domain.route import Status, Step, note_for_person
from joinedup.harm.models import HarmReport
from joinedup.harm.services import harm_report_raise, harm_report_transition, harm_report_update
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.portal.services import portal_invite

NOTES = [
    ("the answer is for them", "investigating", "responded", True, True),
    ("the meeting, when and who", "responded", "restorative_meeting", True, True),
    ("an update to them", "investigating", "investigating", True, True),
    ("acknowledging is the service's own note", "received", "acknowledged", True, False),
    ("looking into it is the service's own note", "acknowledged", "investigating", True, False),
    ("closing keeps their view, not a note", "responded", "closed", True, False),
    ("a step by no one at the service (they gave their name)", "received", "received", False, False),
]


@pytest.mark.parametrize(("case", "was", "to", "by_staff", "shown"), NOTES, ids=[n[0] for n in NOTES])
def test_which_notes_are_words_for_the_person(case: str, was: str, to: str, by_staff: bool, shown: bool) -> None:
    assert note_for_person(from_status=was, to_status=to, by_staff=by_staff) is shown


@pytest.fixture
def signed_in(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> tuple[Client, User]:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    account, link = portal_invite(
        actor=nurse, agency=gp, person=robert, case=Case.objects.get(person=robert), channel="text"
    )
    browser = Client()
    browser.post(link)
    return browser, account.user


@pytest.mark.django_db
def test_the_person_follows_their_own_report_in_my_support(
    signed_in: tuple[Client, User], robert: Person, housing: Agency, housing_officer: User
) -> None:
    browser, user = signed_in
    empty = browser.get("/my/about-services").content.decode()
    assert "You have not told us about a service yet" in empty
    sent = browser.post(
        "/tell-us-a-service-harmed-you",
        {
            "about": str(housing.uuid),
            "description": "They told me I was making it up and lost my forms.",
            "reported_by": "person",
            "update_cadence": "weekly",
            "advocacy": "no",
        },
    )
    assert sent.status_code == 302
    report = HarmReport.objects.get()
    assert report.person == robert, "told while signed in: it is theirs"
    other = harm_report_raise(
        actor=None, data=ReportInput(reported_by="anonymous", description="Not theirs."), about_agency=housing
    )

    harm_report_transition(
        actor=housing_officer, report=report, step=Step(to=Status.ACKNOWLEDGED, note="Chase the office manager")
    )
    harm_report_update(actor=housing_officer, report=report, note="We have asked for the forms log.")
    page = browser.get("/my/about-services").content.decode()
    assert "Riverside Homes" in page and "The service has said it has it." in page
    assert "We have asked for the forms log." in page
    assert "Chase the office manager" not in page, "the service's own notes are not shown"
    assert housing_officer.name not in page and "Not theirs." not in page
    text = page_text(page)
    assert reading_age(text) <= 9 and forbidden_in(text) == []
    assert "Follow what you told us about a service" in browser.get("/my").content.decode()

    _, raw = token_issue(actor=None, user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    [mine] = api.get("/api/v1/my/harm-reports").json()["results"]
    assert mine["id"] == str(report.uuid) and mine["status"] == "acknowledged"
    assert [s["note"] for s in mine["steps"]] == ["", "We have asked for the forms log."]
    assert str(other.uuid) not in str(api.get("/api/v1/my/harm-reports").json())
