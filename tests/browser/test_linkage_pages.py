"""Linkage in Chromium: the review queue, one pair with its evidence and a decision, and the run's figures."""

from __future__ import annotations

from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink
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
