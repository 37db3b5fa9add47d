"""Linkage in Chromium: the review queue, one pair with its evidence and a decision, and the run's figures; and
what a key worker sees of it — known to another agency, asking it for information, and its answer."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.cases.models import Case
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink
from joinedup.linkage.tests.factories import Linker
from joinedup.people.models import Person
from joinedup.referrals.models import Referral
from tests.browser.conftest import Visitor


def _a_pair_to_review(lead_agency: Agency, gp: Agency) -> RecordLink:
    now = timezone.now()
    run = LinkageRun.objects.create(
        backend="duckdb",
        status="finished",
        started_at=now,
        finished_at=now,
        figures={"agency_records": 2, "joinedup_people": 0, "pairs_scored": 1, "auto_links": 0, "clusters_multi": 0},
    )
    left = AgencyRecord.objects.create(
        agency=lead_agency,
        source_id="ASC-1",
        given_name="Bob",
        family_name="Hargreaves",
        date_of_birth="31/02/1971",
        postcode="EM1 4QT",
        imported_at=now,
        updated_at=now,
        flags=["date_of_birth_impossible"],
    )
    right = AgencyRecord.objects.create(
        agency=gp,
        source_id="GP-9",
        given_name="Robert",
        family_name="Hargreaves",
        date_of_birth="1971-02-13",
        imported_at=now,
        updated_at=now,
    )
    for record in (left, right):
        ClusterMember.objects.create(
            run=run, record_key=f"a:{record.pk}", agency=record.agency, agency_ids=[record.agency_id], cluster=record.pk
        )
    return RecordLink.objects.create(
        left_key=f"a:{left.pk}",
        right_key=f"a:{right.pk}",
        run=run,
        match_weight=4.2,
        match_probability=0.95,
        status="review",
        explanation=[
            {
                "comparison": "Starting point",
                "level": "Two records chosen at random are rarely the same person",
                "weight": -13.9,
            },
            {"comparison": "First name", "level": "A known short form of the same first name", "weight": 6.1},
            {"comparison": "Family name", "level": "Same family name", "weight": 9.0},
            {"comparison": "Date of birth", "level": "Date of birth one digit different", "weight": 3.0},
        ],
    )


def test_a_data_protection_lead_reviews_a_pair(visitor: Visitor, lead_agency: Agency, gp: Agency) -> None:
    link = _a_pair_to_review(lead_agency, gp)
    lead = make_user(lead_agency, "data_protection_lead", email="dpl@lead.example")
    visitor.sign_in(lead.email, TEST_PASSWORD)
    page = visitor.go("/linkage")
    assert "Waiting for review" in page.locator("main").inner_text()
    page.get_by_role("link", name="Possible matches to review").click()
    visitor.check()
    page.get_by_role("link", name="Review pair 1").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Running total" in main and "A known short form of the same first name" in main
    assert "The date of birth is not a real date" in main
    page.get_by_label("Why (optional)").fill("Checked with the GP")
    page.get_by_role("button", name="Save decision").click()
    visitor.check()
    assert "Select whether these records are the same person" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Why (optional)").input_value() == "Checked with the GP"
    page.get_by_label("Yes, the same person").check()
    page.get_by_role("button", name="Save decision").click()
    visitor.check()
    assert "Recorded: the same person." in page.locator("main").inner_text()
    link.refresh_from_db()
    assert link.status == "confirmed"


def test_known_to_another_agency_ask_them_and_they_answer(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> None:
    """The key worker sees "known to 1 other agency" (never its record), asks it for information with Robert's
    agreement asked in place, and the housing association answers from its inbox like a referral."""
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    linker = Linker()
    linker.link(linker.person(robert), linker.record(housing, "H-12", given_name="Rob"), "confirmed", 4.0)

    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}")
    main = page.locator("main").inner_text()
    assert "Known to 1 other agency" in main and "H-12" not in main and "Rob " not in main
    page.get_by_role("link", name="Ask them for information").click()
    visitor.check()
    assert "A data protection lead confirmed these records are the same person." in page.locator("main").inner_text()
    page.get_by_label("Riverside Homes").check()
    page.get_by_label("What do you want to know, and why?").fill(
        "Has he told you about trouble with a neighbour? We are planning his safety at home."
    )
    page.get_by_role("button", name="Send the request").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Say whether they agree to sharing with the agencies you ask" in summary
    assert "trouble with a neighbour" in page.get_by_label("What do you want to know, and why?").input_value()
    page.get_by_label("Yes, they agree").check()
    page.locator("#id_has_capacity").check()
    page.get_by_label("How did you support them to decide?").fill("Explained it with an easy read sheet")
    page.get_by_role("button", name="Send the request").click()
    visitor.check()
    assert "Asked Riverside Homes for information" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page.get_by_role("link", name="1 waiting for an answer").click()
    visitor.check()
    assert "Request for information" in page.locator("table").inner_text()
    page.get_by_role("link", name="Robert Smith").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Request for information from Riverside Homes" in main and "Your reference H-12" in main
    page.get_by_role("button", name="Send your answer").click()
    visitor.check()
    assert "Write the information you can share" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("The information you can share").fill("Our tenancy officer logged two reports in March.")
    page.get_by_role("button", name="Send your answer").click()
    visitor.check()
    assert Referral.objects.get().status == "completed"
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/support")
    page.get_by_role("link", name="Request for information").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "What Riverside Homes told us" in main and "two reports in March" in main
