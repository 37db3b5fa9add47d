"""My support on a 375-pixel phone, as the person would use it: signed in by the link the key worker gave them,
every page scanned with axe, and each page working without JavaScript too."""

from __future__ import annotations

import re
from collections.abc import Callable

import textstat
from playwright.sync_api import Browser

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.portal.services import portal_invite
from tests.browser.conftest import Visitor

PAGES = [
    "/my",
    "/my/safety-plan",
    "/my/messages",
    "/my/what-has-happened",
    "/my/who-looked",
    "/my/agreed",
    "/my/agree",
    "/my/agree/share",
    "/my/agree/meeting",
    "/my/help-asked-for",
    "/my/about-services",
    "/my/tell-us",
]


def _invite(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> str:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    return portal_invite(actor=nurse, agency=gp, person=robert, case=case, channel="text")[1]


def _reading_age(text: str) -> float:
    return textstat.flesch_kincaid_grade(text) + 5


def test_my_support_on_a_phone(
    visitor: Visitor, nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    link = _invite(nurse, gp, robert, incident_input)
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 812})
    visitor.go(link)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/my")
    for path in PAGES:
        visitor.go(path)
        main = page.locator("main").inner_text()
        assert _reading_age(main) <= 9, f"{path} reads at {_reading_age(main):.1f}"
        assert not re.search(r"hate crime|\[S\d+\]|domain\.md|_", main), f"{path}: internal words on screen"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
    visitor.go("/my/safety-plan")
    page.get_by_label("What I will do").fill("Go to my sister's on Mill Road")
    page.get_by_role("button", name="Save my part").click()
    visitor.check()
    assert "Saved" in page.locator("main").inner_text()
    visitor.go("/my/messages")
    page.get_by_role("button", name="Send").click()
    visitor.check()
    assert "Write your message" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your message").fill("Can you ring me after 2?")
    page.get_by_role("button", name="Send").click()
    visitor.check()
    assert "Can you ring me after 2?" in page.locator("main").inner_text()
    visitor.go("/my/agreed")
    page.get_by_role("link", name="Agree to something new").click()
    page.get_by_label("Let services talk about how to keep me safe, at a meeting").check()
    page.get_by_role("button", name="Next").click()
    visitor.check()
    page.get_by_role("button", name="Yes, I agree").click()
    visitor.check()
    assert "Let services talk about how to keep me safe, at a meeting" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()
    visitor.check()
    assert "You are signed out" in page.locator("main").inner_text()
    page.go_back()
    assert "Can you ring me after 2?" not in page.content(), "nothing personal one Back press away"


def test_my_support_without_javascript(
    browser: Browser,
    live_server: object,
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Callable[..., IncidentInput],
) -> None:
    link = _invite(nurse, gp, robert, incident_input)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{live_server}{link}")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/my/tell-us")
    page.get_by_label("Tell us something new").fill("He was outside my door again last night.")
    page.get_by_role("button", name="Send").click()
    assert "It is now part of your record, in your words." in page.locator("main").inner_text()
    context.close()
