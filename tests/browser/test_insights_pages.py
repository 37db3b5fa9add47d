"""Every insights page in Chromium with axe: each dashboard (charts with their tables, filters, the method note),
the needs assessment and its editing page, as a commissioner would use them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_record
from joinedup.insights import charts
from joinedup.insights.domain.dashboards import DASHBOARDS
from joinedup.insights.services import insights_refresh
from joinedup.people.models import Person
from tests.browser.conftest import Visitor


def test_a_commissioner_reads_every_dashboard_and_writes_the_needs_assessment(
    visitor: Visitor,
    lead_agency: Agency,
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Callable[..., IncidentInput],
) -> None:
    for _ in range(12):
        incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    Incident.objects.update(created_at=timezone.now() - timedelta(days=2))
    insights_refresh()
    # The live server runs in this process: import matplotlib now, not inside the first page's time limit, and
    # allow for chart drawing on a machine shared with other test runs.
    charts.bar_chart(title="Warm up", labels=["a"], values=[1])
    visitor.page.set_default_timeout(20_000)
    commissioner = make_user(lead_agency, "commissioner", email="pcc@lead.example", name="Carla Commissioner")
    visitor.sign_in(commissioner.email, TEST_PASSWORD)
    page = visitor.go("/my-work")
    page.get_by_role("link", name="Insights: the partnership's figures and needs assessment").click()
    visitor.check()
    today = timezone.localdate()
    recent = f"?start={today - timedelta(days=30)}&end={today}"
    for slug in DASHBOARDS:
        page = visitor.go(f"/insights/{slug}{recent}")
        assert "How these figures protect people" in page.locator("main").inner_text()
    page = visitor.go(f"/insights/overview{recent}")
    chart = page.locator("svg[role=img]").first
    assert chart.get_attribute("aria-labelledby")
    assert "Bar chart" in (chart.locator("desc").text_content() or "")
    assert page.locator("table.govuk-table").count() >= 6
    page.get_by_label("Area", exact=True).select_option("EM1")
    page.get_by_role("button", name="Show figures").click()
    visitor.check()
    assert "in EM1" in page.locator("main").inner_text()
    page = visitor.go("/insights/overview?start=2026-05-01&end=2026-04-01")
    assert "The end date must be the same as or after the start date" in page.locator("main").inner_text()
    page = visitor.go("/insights/needs-assessment/2026")
    page.get_by_role("link", name="Write the need section").click()
    visitor.check()
    page.get_by_role("button", name="Save section").click()
    visitor.check()
    assert "Enter the text of this section" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Need — needs assessment 2026 to 2027").fill("Disability hate crime is under-reported.")
    page.get_by_role("button", name="Save section").click()
    visitor.check()
    assert "Disability hate crime is under-reported." in page.locator("main").inner_text()
