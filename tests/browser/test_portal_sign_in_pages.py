"""Signing in to My support on a 375-pixel phone, in Chromium with axe on every page: adding a passkey and
signing in with it alone (Chromium's virtual authenticator stands in for the phone's fingerprint reader), the
extra check after a link, and getting a new link by email without JavaScript. Plain words: reading age 9 or under,
measured as on the other My support pages. Production's setting is on: a person is never sent to the
practitioners' second-factor pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import textstat
from django.core import mail
from playwright.sync_api import Browser, Page

from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditEntry
from joinedup.cases.models import Case
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person
from joinedup.people.services import person_create
from joinedup.portal.models import PortalAccount
from joinedup.portal.services import portal_invite, sign_in_link
from tests.browser.conftest import Visitor

PHONE = {"width": 375, "height": 812}


@pytest.fixture(autouse=True)
def production(settings: Any) -> None:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = True


def _reading_age(text: str) -> float:
    return textstat.flesch_kincaid_grade(text) + 5


def _plain(page: Page, what: str) -> None:
    main = page.locator("main").inner_text()
    assert _reading_age(main) <= 9, f"{what} reads at {_reading_age(main):.1f}"
    assert not re.search(r"hate crime|joinedup|_", main, re.I), f"{what}: internal words on screen"
    assert page.title().endswith("– My support"), f"{what}: a neutral name in the title ({page.title()})"
    assert page.get_by_role("button", name="Exit this page").count() == 1, f"{what}: quick exit"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what} scrolls sideways on a phone ({width}px)"


def _warm_up(page: Page, base_url: str) -> None:
    """The live server's first answer loads everything (seconds on a busy machine): not what is tested here."""
    page.goto(f"{base_url}/my/signed-out", timeout=60_000)


def _fresh_link(account: PortalAccount) -> str:
    return sign_in_link(User.objects.get(pk=account.user_id))


def _open_link(phone: Visitor, link: str) -> None:
    """Open the link, then press Sign in: opening alone spends nothing (email scanners open links too)."""
    phone.go(link)
    phone.page.get_by_role("button", name="Sign in").click()
    phone.check()


@pytest.fixture
def account(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> PortalAccount:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    return portal_invite(actor=nurse, agency=gp, person=robert, case=case, channel="text")[0]


@pytest.fixture
def phone(visitor: Visitor) -> Visitor:
    """The visitor on a phone with a platform authenticator (fingerprint reader) that keeps passkeys."""
    visitor.page.set_viewport_size(PHONE)
    _warm_up(visitor.page, visitor.base_url)
    cdp = visitor.page.context.new_cdp_session(visitor.page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return visitor


def test_add_a_passkey_then_sign_in_with_it_alone(phone: Visitor, account: PortalAccount) -> None:
    page = phone.page
    _open_link(phone, _fresh_link(account))
    assert page.url.endswith("/my"), "never the practitioners' second-factor set-up"
    page.get_by_role("link", name="Sign in faster on this phone").click()
    phone.check()
    _plain(page, "the passkeys page")
    assert "You have no passkey yet." in page.locator("main").inner_text()
    page.get_by_role("button", name="Add a passkey on this phone").click()
    page.get_by_text(re.compile(r"^Added on ")).wait_for()
    phone.check()
    _plain(page, "the passkeys page with a passkey")
    assert AuditEntry.objects.filter(actor=account.user, summary="Passkey added to their own place").exists()

    page.get_by_role("button", name="Sign out").click()
    phone.check()
    _plain(page, "the signed-out page")
    page.get_by_role("button", name="Sign in with your passkey").click()
    page.wait_for_url(re.compile(r"//[^/]+/my$"))
    phone.check()
    assert "Your key worker" in page.locator("main").inner_text()
    assert AuditEntry.objects.filter(
        actor=account.user, action="sign_in", summary="Signed in to their own place with their passkey"
    ).exists()


def test_ask_for_the_passkey_too_after_a_link(phone: Visitor, account: PortalAccount) -> None:
    page = phone.page
    _open_link(phone, _fresh_link(account))
    phone.go("/my/passkeys")
    page.get_by_role("button", name="Add a passkey on this phone").click()
    page.get_by_text(re.compile(r"^Added on ")).wait_for()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Save").click()
    phone.check()
    assert "After a link, we will ask for your passkey too." in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    _open_link(phone, _fresh_link(account))
    assert "/my/passkey-check" in page.url
    _plain(page, "the passkey check after a link")
    assert page.get_by_role("navigation", name="Menu").count() == 0, "no menu that only leads back here"
    assert "Lost your phone?" in page.locator("main").inner_text()
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(re.compile(r"//[^/]+/my$"))
    phone.check()


def test_a_link_that_no_longer_works_offers_the_ways_back_in(phone: Visitor, account: PortalAccount) -> None:
    page = phone.page
    link = _fresh_link(account)
    _open_link(phone, link)
    page.get_by_role("button", name="Sign out").click()
    phone.go(link)
    assert page.locator("h1").inner_text() == "This link does not work any more"
    _plain(page, "the used-link page")
    assert page.get_by_role("button", name="Sign in with your passkey").is_visible()
    page.get_by_role("link", name="get a new link by email").click()
    phone.check()
    _plain(page, "the new-link page")
    page.get_by_role("button", name="Email me a new link").click()
    phone.check()
    assert page.title().startswith("Error: ")
    assert "Enter your email address" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your email address").fill("someone@example.org")
    page.get_by_role("button", name="Email me a new link").click()
    phone.check()
    _plain(page, "the new-link answer")


def test_a_new_link_by_email_without_javascript(
    browser: Browser, live_server: object, nurse: User, gp: Agency, incident_input: Callable[..., IncidentInput]
) -> None:
    person = person_create(
        actor=nurse,
        agency=gp,
        details=PersonDetails(
            given_name="Amira", family_name="Khan", email="amira@example.org", contact_allowed=("email",)
        ),
    )
    incident_record(actor=nurse, agency=gp, person=person, data=incident_input())
    portal_invite(actor=nurse, agency=gp, person=person, case=Case.objects.get(person=person), channel="email")
    mail.outbox.clear()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    _warm_up(page, str(live_server))
    main = page.locator("main").inner_text()
    assert "To sign in with a passkey, turn on JavaScript. Or use a new link." in main
    assert _reading_age(main) <= 9
    page.get_by_role("link", name="get a new link by email").click()
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Email me a new link").click()
    assert "Enter your email address, like name@example.com" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Your email address").input_value() == "not an address", "nothing typed is lost"
    page.get_by_label("Your email address").fill("amira@example.org")
    page.get_by_role("button", name="Email me a new link").click()
    main = page.locator("main").inner_text()
    assert "If this email is on your record, we have sent a new link. It works once, for 15 minutes." in main
    assert _reading_age(main) <= 9
    # The live server commits each request, so the email went: open its link in this browser.
    link = next(w for w in mail.outbox[-1].body.split() if "/my/sign-in?sesame=" in w)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/my") and "Your key worker" in page.locator("main").inner_text()
    page.goto(f"{live_server}/my/passkeys")
    assert "To add a passkey, this page needs JavaScript, and it is off." in page.locator("main").inner_text()
    context.close()
