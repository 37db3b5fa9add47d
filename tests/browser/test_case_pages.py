"""My work and the case page in Chromium: tasks, handover, closure with the person's outcome. axe on each page."""

from __future__ import annotations

import re
from collections.abc import Callable

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.cases.models import Case
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from tests.browser.conftest import Visitor


def test_case_work_from_my_work_to_closure(
    visitor: Visitor,
    browser: object,
    live_server: object,
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Callable[..., IncidentInput],
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    colleague = make_user(gp, "key_worker", email="kw@gp.example", name="Kim Worker")
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("link", name="Robert Smith").click()
    visitor.check()
    assert "In their own words" in page.locator("main").inner_text()
    for part in ("Story", "Support", "Risk", "Sharing", "Police and Victims' Code", "Close"):
        page.locator(".app-sub-navigation").get_by_role("link", name=part).click()
        visitor.check()

    page.locator(".app-sub-navigation").get_by_role("link", name="Tasks and contacts").click()
    visitor.check()
    page.get_by_role("link", name="Add a task").click()
    visitor.check()
    page.get_by_role("button", name="Add task").click()
    visitor.check()
    assert "Say what needs doing" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What needs doing").fill("Check-in call")
    page.get_by_label("Who owns it").select_option(label=nurse.name)
    page.get_by_role("button", name="Add task").click()
    visitor.check()
    assert "Task added." in page.locator("main").inner_text()
    assert page.url.endswith(f"/cases/{case.uuid}/tasks"), "back where the action began"

    page.locator(".app-sub-navigation").get_by_role("link", name="Close").click()
    visitor.check()
    assert "Check-in call" in page.locator("main").inner_text(), "open tasks are listed before closing"
    page.get_by_label("Their view, in their own words").fill("I feel a bit safer")
    page.get_by_label("Partly").first.check()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Close the case").click()
    visitor.check()
    assert "Check-in call" in page.locator(".govuk-error-summary").inner_text(), "open tasks block closure"
    assert page.get_by_label("Their view, in their own words").input_value() == "I feel a bit safer", "kept"
    page.locator(".app-sub-navigation").get_by_role("link", name="Tasks and contacts").click()
    page.get_by_role("button", name=re.compile(r"Mark done\W+Check-in call")).click()
    visitor.check()

    page.locator(".app-sub-navigation").get_by_role("link", name="Summary").click()
    page.get_by_role("link", name="Hand over to a colleague").click()
    visitor.check()
    page.get_by_label("New key worker").select_option(label="Kim Worker")
    page.get_by_label("Why you are handing over").fill("I am moving to the hospital team")
    page.get_by_role("button", name="Ask them to take over").click()
    visitor.check()
    assert "You stay the key worker until they accept" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in(colleague.email, TEST_PASSWORD)
    assert "asks you to become key worker for Robert Smith" in page.locator("main").inner_text()
    page.get_by_role("button", name="Accept Robert Smith").click()
    visitor.check()
    case.refresh_from_db()
    assert case.key_worker == colleague
    page.locator(".app-sub-navigation").get_by_role("link", name="Close").click()
    page.get_by_label("Their view, in their own words").fill("I feel a bit safer")
    page.locator("#id_outcomes_met-2").check()
    page.locator("#id_person_feels_safer-2").check()
    page.get_by_role("button", name="Close the case").click()
    visitor.check()
    assert "Case closed with the person's outcome." in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.status == "closed"
