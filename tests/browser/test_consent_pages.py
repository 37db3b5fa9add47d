"""Consent, sharing without consent and who-looked-at-my-record, in Chromium with axe."""

from __future__ import annotations

from collections.abc import Callable

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.consent.models import Consent, SharingDecision
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.referrals.models import Service
from tests.browser.conftest import Visitor


def test_record_and_withdraw_consent(visitor: Visitor, nurse: User, robert: Person, housing: Agency) -> None:
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/people/{robert.uuid}")
    page.get_by_role("link", name="Consent and sharing").click()
    visitor.check()
    page.get_by_role("button", name="Record their decision").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose what it is for" in summary and "Say how you supported them" in summary
    assert "Choose who this is for" in summary
    page.get_by_label("Share their record with an agency").check()
    page.get_by_label("An agency", exact=True).check()
    page.get_by_label("Yes, they agree").check()
    page.get_by_label("How did you support them to decide?").fill("Easy read, and time to think it over")
    page.get_by_role("button", name="Record their decision").click()
    visitor.check()
    assert "Choose the agency this is for" in page.locator(".govuk-error-summary").inner_text()
    typed = page.get_by_label("How did you support them to decide?").input_value()
    assert typed == "Easy read, and time to think it over", "what was typed is kept"
    page.get_by_label("Which agency?").select_option(label=housing.name)
    page.get_by_role("button", name="Record their decision").click()
    visitor.check()
    assert "Consent recorded." in page.locator("main").inner_text()
    assert housing.name in page.locator("table").inner_text()
    page.get_by_role("button", name=f"Withdraw consent to share their record with an agency, {housing.name}").click()
    visitor.check()
    assert "no longer covers anything" in page.locator("main").inner_text()
    assert Consent.objects.get().withdrawn_at is not None


def test_a_lead_shares_without_consent_with_the_para_18_checks(
    visitor: Visitor, gp: Agency, robert: Person, housing: Agency
) -> None:
    lead = make_user(gp, "safeguarding_lead", email="lead@gp.example")
    visitor.sign_in(lead.email, TEST_PASSWORD)
    page = visitor.go(f"/people/{robert.uuid}/sharing-decision")
    page.get_by_label("Share their record with an agency").check()
    page.get_by_label(housing.name).check()
    page.get_by_label("Not sought: asking would increase the risk").check()
    page.get_by_label("Art 6(1)(e) public task").check()
    page.get_by_label("Art 9(2)(g) substantial public interest").check()
    page.get_by_label("Why is sharing necessary and proportionate?").fill(
        "Men have moved into his flat and housing must act to protect him."
    )
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record the decision to share").click()
    visitor.check()
    assert "The person must be at risk" in page.locator(".govuk-error-summary").inner_text()
    for label in (
        "Sharing is necessary to protect them",
        "They have needs for care and support",
        "They are experiencing, or at risk of, harm",
        "Because of those needs they cannot protect",
        "It is necessary for reasons of substantial public interest",
    ):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Record the decision to share").click()
    visitor.check()
    assert "The decision to share is recorded" in page.locator("main").inner_text()
    assert SharingDecision.objects.get().para18["substantial_public_interest"] is True


def test_key_worker_sees_who_looked(
    visitor: Visitor, nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/people/{robert.uuid}")
    page.get_by_role("link", name="Who has looked at this record").click()
    visitor.check()
    table = page.locator("table").inner_text()
    assert nurse.name in table and "Reading the person's record" in table


def test_consent_for_one_service_and_an_old_consent_that_must_be_asked_again(
    visitor: Visitor, nurse: User, gp: Agency, robert: Person, housing: Agency
) -> None:
    Service.objects.create(
        organization_name=housing.name, name="Tenancy Sustainment", agency=housing, needs=["housing"]
    )
    Consent.objects.create(
        person=robert,
        purpose="refer",
        recipient_kind="unspecified",
        decision="given",
        capacity_note="Recorded before recipients were required",
        recorded_by=nurse,
        recorded_by_agency=gp,
    )
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/people/{robert.uuid}")
    assert "Ask again: a consent did not say who it was for" in page.locator("main").inner_text()
    page.get_by_role("link", name="Ask them who they agree to").click()
    visitor.check()
    assert "not said who it was for" in page.locator("table").inner_text()
    page.get_by_label("Refer them to a service").check()
    page.get_by_label("A service", exact=True).check()
    page.get_by_label("Which service?").select_option(label=f"Tenancy Sustainment ({housing.name})")
    page.get_by_label("Yes, they agree").check()
    page.get_by_label("How did you support them to decide?").fill("Asked again: this service only")
    page.get_by_role("button", name="Record their decision").click()
    visitor.check()
    assert f"Tenancy Sustainment ({housing.name})" in page.locator("table").inner_text()
    assert "Ask again" not in page.locator("main").inner_text()
    assert Consent.objects.filter(recipient_kind="service").count() == 1
