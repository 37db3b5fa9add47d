"""Pages not visited by the journey tests, each scanned with axe."""

from __future__ import annotations

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD
from joinedup.demo.services import openreferral_records
from joinedup.referrals.services import services_import
from tests.browser.conftest import Visitor


def test_public_edges(visitor: Visitor, lead_agency: Agency) -> None:
    page = visitor.go("/report/resume")
    page.get_by_label("Carry on with a report").fill("NOPE-NOPE")
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert "We cannot find a report with that code" in page.locator(".govuk-error-summary").inner_text()
    visitor.go("/report/expired")
    visitor.go("/account/signed-out")


def test_locked_out_page(visitor: Visitor, gp: Agency, nurse: User) -> None:
    page = visitor.go("/account/sign-in")
    for _ in range(6):
        if page.get_by_label("Email address").count() == 0:
            break  # locked out
        page.get_by_label("Email address").fill(nurse.email)
        page.get_by_label("Password", exact=True).fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    visitor.check()
    assert "Sign-in is paused" in page.locator("h1").inner_text()


def test_directory(visitor: Visitor, nurse: User, housing: Agency) -> None:
    services_import(records=openreferral_records(), agency=None, actor=None)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go("/services?need=housing")
    assert "Tenancy Sustainment" in page.locator("main").inner_text()
    assert "Open Minds" not in page.locator("main").inner_text()
