"""Reporting to the police from the case, the liaison inbox and the Victims' Code tracker, in Chromium with axe."""

from __future__ import annotations

from collections.abc import Callable

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.cases.models import Case
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.police.models import PoliceReport
from tests.browser.conftest import Visitor


def test_report_then_liaison_records_the_crime_and_the_tracker_follows(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    police: Agency,
    incident_input: Callable[..., IncidentInput],
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="He wants them to know",
    )
    case = Case.objects.get(person=robert)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/police")
    page.get_by_role("link", name="Report to the police").click()
    visitor.check()
    page.get_by_role("button", name="Send to the police").click()
    visitor.check()
    assert "Choose the incidents to report" in page.locator(".govuk-error-summary").inner_text()
    page.locator("#id_incidents").check()
    page.get_by_label("They report with us directly").check()
    page.get_by_label("Every week").check()
    page.get_by_role("button", name="Send to the police").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "He called me a psycho again" in main and "Victims' Code" in main
    page.get_by_role("button", name="Sign out").click()

    liaison = make_user(police, "police_liaison", email="liaison@police.example")
    visitor.sign_in(liaison.email, TEST_PASSWORD)
    page.get_by_role("link", name="Reports to the police").click()
    visitor.check()
    page.get_by_role("link", name="Robert Smith").click()
    visitor.check()
    page.get_by_role("button", name="Record crime reference").click()
    visitor.check()
    assert "Enter the crime reference" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Crime reference").fill("EM/2026/4411")
    page.get_by_role("button", name="Record crime reference").click()
    visitor.check()
    assert PoliceReport.objects.get().crime_reference == "EM/2026/4411"
    assert "Crime reference EM/2026/4411" in page.locator("table").inner_text()
