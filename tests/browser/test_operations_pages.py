"""Pages added for operations (issue 19): the subject access page, and the outage page. axe on each page."""

from __future__ import annotations

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.people.models import Person
from tests.browser.conftest import Visitor


def test_subject_access_page(visitor: Visitor, gp: Agency, robert: Person) -> None:
    """A data protection lead finds the copy of everything held from the person's page."""
    lead = make_user(gp, "data_protection_lead", email="dpo@gp.example", name="Dana Protection")
    visitor.sign_in(lead.email, TEST_PASSWORD)
    page = visitor.go(f"/people/{robert.uuid}")
    visitor.check()
    page.get_by_role("link", name="A copy of everything held").click()
    visitor.check()
    assert "A copy of everything held about this person" in page.locator("h1").inner_text()
    assert page.get_by_role("button", name="Download as data (JSON)").is_visible()
