"""Harm caused by services: the person tells us from the start page, the agency answers step by step, and the
lead partner reads the figures. axe on each page."""

from __future__ import annotations

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.harm.models import HarmReport
from tests.browser.conftest import Visitor


def test_tell_us_a_service_harmed_you_then_the_agency_answers(
    visitor: Visitor, housing: Agency, housing_officer: User, lead_agency: Agency
) -> None:
    page = visitor.go("/")
    page.get_by_role("link", name="Tell us a service harmed you").click()
    visitor.check()
    page.get_by_label("Which service is it about?").select_option(label="Riverside Homes")
    page.get_by_label("What happened?").fill("They said I was making it up and lost my forms.")
    page.get_by_role("button", name="Send").click()
    visitor.check()
    assert "Say who is telling us" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("What happened?").input_value() == "They said I was making it up and lost my forms."
    page.get_by_label("Me — it happened to me").check()
    page.get_by_label("I was judged or treated unfairly because of who I am").check()
    page.get_by_label("Feeling scared").check()
    page.get_by_label("Someone to say sorry").check()
    page.get_by_label("Every week").check()
    page.get_by_label("Yes, please").check()
    page.get_by_role("button", name="Send").click()
    visitor.check()
    assert "We have your report" in page.locator("main").inner_text()
    report = HarmReport.objects.get()

    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    visitor.go("/harm/reports")
    page.get_by_role("link", name="They said I was making it up").click()
    visitor.check()
    assert "Acknowledge the report" in page.locator(".govuk-inset-text").inner_text()
    page.get_by_label("Acknowledged").check()
    page.get_by_role("button", name="Save this step").click()
    visitor.check()
    page.get_by_label("What you told them").fill("We have asked the office for the forms log.")
    page.get_by_role("button", name="Record the update").click()
    visitor.check()
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.last_update_at is not None


def test_the_lead_partner_reads_the_figures(visitor: Visitor, lead_agency: Agency) -> None:
    staff = make_user(lead_agency, "practitioner", email="figures@lead.example")
    visitor.sign_in(staff.email, TEST_PASSWORD)
    page = visitor.go("/harm/measures")
    assert "What went wrong" in page.locator("main").inner_text()
