"""Issue 13's pages in Chromium with axe on every page: case notes, Find a case and handing to the hub on My work,
withdrawing and completing referrals, Victims' Code rights and updates, and one event told by two people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.cases.models import Case, Handover
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_record
from joinedup.keywork.models import CaseNote
from joinedup.people.models import Person
from joinedup.police.services import police_report_send
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_accept, referral_send
from joinedup.referrals.tests.test_once_only import _setup
from tests.browser.conftest import Visitor


def test_a_note_from_the_case_then_find_the_case_and_hand_it_to_the_hub(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    lead_agency: Agency,
    incident_input: Callable[..., IncidentInput],
) -> None:
    make_user(lead_agency, "key_worker", email="duty@lead.example", name="Dee Duty")
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=lead_agency,
        capacity_note="He wants the hub to help",
    )
    case = Case.objects.get(person=robert)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/story")
    page.get_by_role("link", name="Add a note").click()
    visitor.check()
    page.get_by_label("Note", exact=True).fill("He is staying with his sister this week.")
    page.get_by_role("button", name="Add note").click()
    visitor.check()
    assert "Choose what the note is about" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Note", exact=True).input_value() == "He is staying with his sister this week."
    page.get_by_label("Contact and how to reach them").check()
    page.get_by_role("button", name="Add note").click()
    visitor.check()
    assert "Note added to their story" in page.locator("main").inner_text()
    assert CaseNote.objects.get().field_group == "contact"

    page = visitor.go("/my-work")
    page.get_by_label("Find a case").fill("Bob Smith")
    page.get_by_role("button", name="Search").click()
    visitor.check()
    assert "1 person found" in page.locator("main").inner_text()
    page.get_by_role("link", name="Open case").click()
    visitor.check()

    page = visitor.go("/my-work")
    assert "Cases you hold until a key worker is chosen" in page.locator("main").inner_text()
    page.get_by_role("button", name="Hand over to the hub").click()
    visitor.check()
    assert "Asked Dee Duty at the hub to take over Robert Smith" in page.locator("main").inner_text()
    assert "Waiting for the hub" in page.locator("main").inner_text()
    assert Handover.objects.get().to_user.email == "duty@lead.example"


def test_withdraw_and_complete_referrals_from_pages(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    police: Agency,
    incident_input: Callable[..., IncidentInput],
) -> None:
    case, service = _setup(nurse, gp, robert, housing, police, incident_input())
    first = referral_send(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/support")
    page.get_by_role("link", name="Tenancy Sustainment and Neighbour Nuisance", exact=True).click()
    visitor.check()
    page.get_by_role("button", name="Withdraw this referral").click()
    visitor.check()
    page.get_by_role("button", name="Withdraw referral").click()
    visitor.check()
    assert "Say why you are withdrawing it" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Why you are withdrawing it").fill("He has found help elsewhere")
    page.get_by_role("button", name="Withdraw referral").click()
    visitor.check()
    first.refresh_from_db()
    assert first.status == "withdrawn"
    page.get_by_role("button", name="Sign out").click()

    second = referral_send(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour again")
    referral_accept(actor=housing_officer, referral=second, named_contact="Sam")
    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page = visitor.go(f"/referrals/{second.uuid}")
    page.get_by_role("link", name="Record the work as complete").click()
    visitor.check()
    page.get_by_label("What your service did").fill("Moved him to a flat away from number 4")
    page.get_by_role("button", name="Record as complete").click()
    visitor.check()
    assert Referral.objects.get(pk=second.pk).status == "completed"


def test_mark_rights_met_and_record_an_update_given(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    police: Agency,
    incident_input: Callable[..., IncidentInput],
) -> None:
    case, _ = _setup(nurse, gp, robert, housing, police, incident_input())
    report = police_report_send(
        actor=nurse,
        agency=gp,
        case=case,
        incident_uuids=[str(Incident.objects.get().uuid)],
        third_party=False,
        update_cadence="weekly",
    )
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/police-reports/{report.uuid}")
    page.get_by_role("link", name="Mark as met (right 5)").click()
    visitor.check()
    page.get_by_role("button", name="Mark as met").click()
    visitor.check()
    assert "Say what was done" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What was done").fill("Compensation leaflet given and explained")
    page.get_by_role("button", name="Mark as met").click()
    visitor.check()
    assert "Right 5 recorded as met" in page.locator("main").inner_text()
    page.get_by_role("link", name="Record an update given").first.click()
    visitor.check()
    assert "every week" in page.locator("main").inner_text()
    page.get_by_label("By phone").check()
    page.get_by_label("What they were told").fill("The suspect has been interviewed")
    page.get_by_role("button", name="Record the update").click()
    visitor.check()
    assert "Update given by phone" in page.locator("main").inner_text()


def test_one_event_told_by_a_friend_too(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Callable[..., IncidentInput],
) -> None:
    day = date(2026, 10, 2)
    attack = incident_record(
        actor=nurse,
        agency=gp,
        person=robert,
        data=incident_input(
            description="He punched me outside the shop.",
            kinds=("physical_assault",),
            occurred_on=day,
            location_kind="street",
            perpetrators=(PerpetratorInput("neighbour", "number 4"),),
        ),
    )
    friend = incident_record(
        actor=nurse,
        agency=gp,
        person=robert,
        data=incident_input(
            description="I saw the man from number 4 hit Rob.",
            reported_by="third_party",
            reporter={"name": "Jo", "relationship": "friend"},
            kinds=("physical_assault",),
            occurred_on=day,
            location_kind="street",
            perpetrators=(PerpetratorInput("neighbour", "number 4"),),
        ),
    )
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/incidents/{friend.uuid}")
    page.get_by_role("link", name="This is another account of an event already recorded").click()
    visitor.check()
    page.get_by_role("button", name="Keep as another account").click()
    visitor.check()
    assert "Choose the incident this is another account of" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("2 October 2026 — likely the same event").check()
    page.get_by_role("button", name="Keep as another account").click()
    visitor.check()
    assert "It now counts once" in page.locator("main").inner_text()
    page = visitor.go(f"/incidents/{attack.uuid}")
    assert "Also told by: a friend (third party)" in page.locator("main").inner_text()
