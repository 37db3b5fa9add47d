"""The second factor in Chromium, with axe on every page: enrolment with an authenticator app at first sign-in,
recovery codes, the verify step (wrong code, then right), and a passkey through Chromium's virtual
authenticator. Required by the setting here, as in production."""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.models import AuditEntry
from tests.browser.conftest import Visitor


@pytest.fixture(autouse=True)
def required(settings: Any) -> None:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = True


def app_code(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key (RFC 6238, 30-second steps, 6 digits)."""
    return str(totp(b32decode(key.replace(" ", "")), 30, -30 * steps_ahead, 6)).zfill(6)


def test_enrol_with_an_app_then_verify(visitor: Visitor, gp: Agency) -> None:
    user = make_user(gp, email="nurse@gp.example", name="Nia Evans")
    visitor.sign_in("nurse@gp.example", TEST_PASSWORD)
    page = visitor.page
    assert "/account/second-factor/set-up" in page.url
    assert page.locator("h1").inner_text() == "Set up a second way to prove it is you"
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    key = page.locator("#secret-key").inner_text()

    page.get_by_label("Code from your authenticator app").fill("123")
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert "Enter the 6 numbers" in page.locator(".govuk-error-summary").inner_text()

    page.get_by_label("Code from your authenticator app").fill(app_code(key))
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Your recovery codes"
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("button", name="I have saved my recovery codes").click()
    visitor.check()
    assert page.url.endswith("/my-work")

    visitor.go("/account/security")
    assert "Authenticator app" in page.locator(".govuk-summary-list").inner_text()
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in("nurse@gp.example", TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "Check it is you"
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: ")
    page.get_by_text("If you cannot use your authenticator app").click()
    visitor.check()
    # django-otp slows every device down after a wrong code (1 s, then doubling); a person takes longer than that
    # to find a recovery code, so the test waits as they would.
    page.wait_for_timeout(2500)
    page.get_by_label("Code from your authenticator app").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.url.endswith("/my-work")
    assert AuditEntry.objects.filter(actor=user, action="sign_in", details__method="recovery code").exists()


def test_enrol_and_verify_with_a_passkey(visitor: Visitor, gp: Agency) -> None:
    user = make_user(gp, email="passkey@gp.example")
    # Chromium's virtual authenticator stands in for a fingerprint reader (Chrome DevTools Protocol WebAuthn).
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
    visitor.sign_in("passkey@gp.example", TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("button", name=re.compile("passkey", re.I)).click()
    page.wait_for_url(re.compile(r"/account/second-factor/recovery-codes"))
    visitor.check()
    assert len(page.locator("#recovery-codes li").all_inner_texts()) == 10
    assert AuditEntry.objects.filter(actor=user, summary="Second factor set up: passkey").exists()
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in("passkey@gp.example", TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "Check it is you"
    page.get_by_role("button", name=re.compile("passkey", re.I)).click()
    page.wait_for_url(re.compile(r"/my-work$"))
    visitor.check()
    assert AuditEntry.objects.filter(actor=user, action="sign_in", details__method="passkey").exists()


def test_password_pages_pass_axe(visitor: Visitor, gp: Agency, settings: Any) -> None:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = False
    make_user(gp, email="nurse@gp.example")
    page = visitor.go("/account/password/reset")
    page.get_by_role("button", name="Send the link").click()
    visitor.check()
    assert "Enter your email address" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Email address").fill("nurse@gp.example")
    page.get_by_role("button", name="Send the link").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Check your email"
    visitor.go("/account/password/reset/MQ/set-password")
    assert page.locator("h1").inner_text() == "This link no longer works"

    visitor.sign_in("nurse@gp.example", TEST_PASSWORD)
    page.get_by_role("link", name="your sign-in settings").click()
    visitor.check()
    page.get_by_role("link", name="Change your password").click()
    visitor.check()
    page.get_by_label("Current password").fill("wrong")
    page.get_by_label("New password", exact=True).fill("a-different-long-passphrase")
    page.get_by_label("New password again").fill("a-different-long-passphrase")
    page.get_by_role("button", name="Change password").click()
    visitor.check()
    assert "Your current password is not right" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Current password").fill(TEST_PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-different-long-passphrase")
    page.get_by_label("New password again").fill("a-different-long-passphrase")
    page.get_by_role("button", name="Change password").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Your password has been changed"
