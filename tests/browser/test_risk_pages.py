"""Risk in Chromium: the level as a tag with its reasons behind "why", judgement, and the thresholds page."""

from __future__ import annotations

from collections.abc import Callable

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.risk.models import RiskRuleSetVersion
from tests.browser.conftest import Visitor


def test_person_page_explains_the_level_and_refuses_to_lower_it(
    visitor: Visitor, nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(impacts=("suicidality",)))
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/people/{robert.uuid}")
    assert "High risk" in page.locator("h1").inner_text()
    page.get_by_text("Why high risk").click()
    visitor.check()
    why = page.locator(".govuk-details__text").inner_text()
    assert "thoughts of ending their life" in why and "rule set risk-identification version 2026.1" in why
    page.get_by_label("Standard").check()
    page.get_by_label("Your reasons").fill("He seemed calmer today")
    page.get_by_role("button", name="Record judgement").click()
    visitor.check()
    assert "never lower an actuarial high" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Your reasons").input_value() == "He seemed calmer today"
    assert "He called me a psycho" in page.locator("main").inner_text(), "their own words are on the page"


def test_lead_admin_publishes_thresholds(visitor: Visitor, lead_agency: Agency) -> None:
    admin = make_user(lead_agency, "agency_admin", email="admin@lead.example")
    visitor.sign_in(admin.email, TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("link", name="Risk thresholds for the partnership").click()
    visitor.check()
    page.get_by_label("Score for medium risk").fill("9")
    page.get_by_role("button", name="Publish new version").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter a version" in summary
    page.get_by_label("New version").fill("2026.2")
    page.get_by_role("button", name="Publish new version").click()
    visitor.check()
    assert "medium score must be lower than the high score" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Score for medium risk").fill("5")
    page.get_by_role("button", name="Publish new version").click()
    visitor.check()
    assert "Risk thresholds 2026.2 published" in page.locator("main").inner_text()
    assert RiskRuleSetVersion.objects.get().thresholds["medium_score"] == 5


def test_others_cannot_open_the_thresholds_page(visitor: Visitor, gp: Agency, nurse: User) -> None:
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    response = visitor.page.goto(visitor.base_url + "/risk/thresholds")
    assert response is not None and response.status in {403, 404}
    visitor.check()
