"""The three doors in Chromium: every page scanned with axe, error paths, and no JavaScript for the public."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.incidents.models import Incident, TriageItem
from joinedup.incidents.tests.test_journeys import INCIDENT_ANSWERS
from joinedup.people.models import Person
from tests.browser.conftest import Visitor


def answer(page: Page, answers: dict[str, Any]) -> None:
    """Fill one question page the way a person would: tick, choose and type, then Continue."""
    for name, value in answers.items():
        values = value if isinstance(value, list) else [value]
        if page.locator(f"[name='{name}']").count() == 0:
            continue  # a question this journey does not ask
        field = page.locator(f"[name='{name}']").first
        kind = field.get_attribute("type") or field.evaluate("e => e.tagName.toLowerCase()")
        if kind in {"radio", "checkbox"}:
            for v in values:
                page.locator(f"[name='{name}'][value='{v}']").check()
        else:
            field.fill(str(value))


def walk(visitor: Visitor, answers: dict[str, dict[str, Any]]) -> None:
    page = visitor.page
    for _ in range(30):
        if page.url.endswith("/check"):
            return
        slug = page.url.rstrip("/").rsplit("/", 1)[1]
        answer(page, answers[slug])
        page.get_by_role("button", name="Continue").click()
        visitor.check()
    raise AssertionError("the journey does not end")


def test_self_report_with_errors_and_exit_this_page(visitor: Visitor, lead_agency: Agency) -> None:
    page = visitor.go("/")
    assert page.locator(".govuk-exit-this-page").count() == 1
    page.get_by_role("button", name="Start now").click()
    visitor.check()
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    visitor.check()
    assert "Select who it happened to" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("It happened to me").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    # An empty answer: an error on the field, linked from the summary.
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_description"
    walk(visitor, INCIDENT_ANSWERS)
    assert "Called me a nutter." in page.locator("main").inner_text()
    # Change an answer from check-your-answers and come straight back.
    page.get_by_role("link", name="Change where did it happen?").click()
    visitor.check()
    page.get_by_label("In a shop, park or other public place").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.url.endswith("/report/check")
    page.get_by_role("button", name="Send").click()
    visitor.check()
    assert "We have your report" in page.locator("h1").inner_text()
    assert Incident.objects.get().location_kind == "shop_or_public_place"


def test_self_report_works_without_javascript(browser: Browser, live_server: Any, lead_agency: Agency) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/report/start")
    page.check("input[value=self]")
    page.click("button:has-text('Continue')")

    class NoScan(Visitor):
        def check(self) -> None:  # axe needs JavaScript; the JavaScript-on tests scan these pages
            return None

    walk(NoScan(page=page, base_url=str(live_server)), INCIDENT_ANSWERS)
    page.click("button:has-text('Send')")
    assert "We have your report" in page.inner_text("h1")
    context.close()
    assert TriageItem.objects.count() == 1


def test_third_party_anonymous_report(visitor: Visitor, lead_agency: Agency) -> None:
    page = visitor.go("/report/start")
    page.get_by_label("It happened to someone else").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    answers = {**INCIDENT_ANSWERS, "name": {"give_name": "no"}, "reporter": {"person_knows": "no"}}
    walk(visitor, answers)
    page.get_by_role("button", name="Send").click()
    visitor.check()
    incident = Incident.objects.get()
    assert incident.reported_by == "third_party" and incident.anonymous


def test_practitioner_records_for_a_matched_person_and_sees_the_reasons(
    visitor: Visitor, gp: Agency, nurse: User, robert: Person
) -> None:
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("button", name="Record what happened to someone").click()
    visitor.check()
    page.get_by_role("button", name="Search").click()  # no name: an error
    visitor.check()
    assert "Enter a first name or a last name" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("First name").fill("Bob")
    page.get_by_label("Last name").fill("Smyth")
    page.get_by_role("button", name="Search").click()
    visitor.check()
    page.get_by_role("button", name="Choose Robert Smith").click()
    visitor.check()
    walk(visitor, INCIDENT_ANSWERS)
    page.get_by_role("button", name="Record incident").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Called me a nutter." in main
    assert "Hate incident (perceived)" in main
    assert "Perception is enough to record it" in main
    assert Incident.objects.get().person == robert


def test_hub_worker_picks_up_a_report(visitor: Visitor, lead_agency: Agency) -> None:
    from joinedup.incidents.domain.recording import IncidentInput
    from joinedup.incidents.services import public_report_submit

    public_report_submit(
        data=IncidentInput(
            description="They took my bank card.", reported_by="self", kinds=("financial_exploitation",)
        ),
        identity={"given_name": "Jo", "family_name": "Bloggs"},
    )
    worker = make_user(lead_agency, "practitioner", email="hub@lead.example")
    visitor.sign_in(worker.email, TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("link", name="1 report is waiting").click()
    visitor.check()
    page.locator("table a").first.click()
    visitor.check()
    page.get_by_role("button", name="Keep as anonymous record").click()
    visitor.check()
    assert "Say why this report stays anonymous" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_role("button", name="Record as a new person").click()
    visitor.check()
    assert "They took my bank card." in page.locator("main").inner_text()
    assert isinstance(worker, User)
