"""The foundation's pages in Chromium, each scanned with axe (WCAG 2.2 AA)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from tests.browser.conftest import Visitor


@pytest.mark.parametrize("path", ["/", "/accessibility", "/privacy", "/cookies", "/account/sign-in", "/nope"])
def test_public_pages_pass_axe(visitor: Visitor, path: str) -> None:
    page = visitor.go(path)
    assert page.locator("h1").count() == 1
    assert "JoinedUp" in page.locator(".govuk-generic-header").inner_text()


def test_skip_link_is_first_and_goes_to_main_content(visitor: Visitor) -> None:
    page = visitor.go("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"


def test_sign_in_errors_then_my_work_then_sign_out(visitor: Visitor, gp: Agency) -> None:
    make_user(gp, "practitioner", email="nurse@gp.example", name="Nia Evans")
    page = visitor.go("/account/sign-in")
    page.get_by_role("button", name="Sign in").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address" in summary.inner_text()
    assert page.title().startswith("Error: ")

    page.get_by_label("Email address").fill("nurse@gp.example")
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    visitor.check()
    assert page.get_by_label("Email address").input_value() == "nurse@gp.example", "what they typed is kept"

    visitor.sign_in("nurse@gp.example", TEST_PASSWORD)
    assert page.url.endswith("/my-work")
    assert page.locator("h1").inner_text() == "My work"
    assert "Nia Evans" in page.locator(".app-account-bar").inner_text()

    page.get_by_role("button", name="Sign out").click()
    visitor.check()
    assert page.url.endswith("/account/signed-out")


def test_sign_in_works_without_javascript(browser: object, live_server: object, gp: Agency) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    make_user(gp, email="nojs@gp.example")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/account/sign-in")
    page.fill("#id_email", "nojs@gp.example")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    assert page.url.endswith("/my-work")
    context.close()


def test_commissioner_sees_why_no_records(visitor: Visitor, lead_agency: Agency, user_in: Callable[..., User]) -> None:
    user_in(lead_agency, "commissioner", email="c@lead.example")
    visitor.sign_in("c@lead.example", TEST_PASSWORD)
    assert "records are not shown to you" in visitor.page.locator("main").inner_text()


def test_api_docs_render_without_a_cdn_and_within_the_csp(visitor: Visitor, gp: Agency) -> None:
    make_user(gp, email="dev@gp.example")
    visitor.sign_in("dev@gp.example", TEST_PASSWORD)
    visitor.page.goto(visitor.base_url + "/api/v1/docs")
    visitor.page.wait_for_selector(".swagger-ui .info", timeout=10_000)
    assert "JoinedUp API" in visitor.page.locator(".swagger-ui .info").inner_text()
