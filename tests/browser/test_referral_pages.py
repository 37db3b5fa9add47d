"""Referring from the case, answering in the receiving agency's inbox, and the overdue view. axe on each page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD
from joinedup.cases.models import Case, Task
from joinedup.cases.work import deadlines_check
from joinedup.consent.services import consent_record
from joinedup.demo.services import openreferral_records
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.referrals.models import Referral
from joinedup.referrals.services import services_import
from tests.browser.conftest import Visitor


def test_refer_decline_with_alternative_then_refer_again_and_accept(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> None:
    services_import(records=openreferral_records("riverside-homes"), agency=housing, actor=None)
    services_import(records=openreferral_records("eastmere-victim-support"), agency=None, actor=None)
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/support")
    assert "Housing can act because the person harming them is a neighbour" in page.locator("main").inner_text()
    page.get_by_role("link", name="Refer to Tenancy Sustainment and Neighbour Nuisance").click()
    visitor.check()
    assert "no consent or sharing decision" in page.locator(".govuk-warning-text").inner_text().lower()
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="refer",
        decision="given",
        recipient=housing,
        capacity_note="He asked us to",
    )
    page.get_by_role("button", name="Send referral").click()
    visitor.check()
    assert "Say why you are referring them" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Why you are referring them").fill("Neighbour at number 4 threatens to burn his flat")
    page.get_by_role("button", name="Send referral").click()
    visitor.check()
    assert "Referred to Tenancy Sustainment" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page.get_by_role("link", name="1 waiting for an answer").click()
    visitor.check()
    page.get_by_role("link", name="Robert Smith").click()
    visitor.check()
    page.get_by_label("Why you are declining").fill("He is not our tenant")
    page.get_by_role("button", name="Decline referral").click()
    visitor.check()
    assert "a decline is never a dead end" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("A service that could help instead").select_option(label="Victim Support Eastmere")
    page.get_by_role("button", name="Decline referral").click()
    visitor.check()
    assert Referral.objects.get().status == "declined"
    assert "Victim Support Eastmere" in Task.objects.get(case=case).title


def test_overdue_referrals_come_first_in_the_inbox(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> None:
    from joinedup.referrals.models import Service
    from joinedup.referrals.services import referral_send

    services_import(records=openreferral_records("riverside-homes"), agency=housing, actor=None)
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="refer",
        decision="given",
        recipient=housing,
        capacity_note="Agreed",
    )
    referral = referral_send(actor=nurse, agency=gp, case=case, service=Service.objects.get(), reason="Neighbour")
    deadlines_check(as_of=timezone.localtime(referral.respond_by).date() + timedelta(days=1))
    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page = visitor.go("/referrals/incoming")
    assert "Overdue" in page.locator("table").inner_text()
    page.get_by_role("link", name="Robert Smith").click()
    visitor.check()
    page.get_by_label("Who will contact them?").fill("Chris Doyle, tenancy team")
    page.get_by_role("button", name="Accept referral").click()
    visitor.check()
    assert Referral.objects.get().status == "accepted"
