"""The refresh, the dashboards, the API, downloads and the needs assessment — against real records made through
the other apps' services, and with the property no person-level field ever leaves insights."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from joinedup.access.decision import decide
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited
from joinedup.cases.models import Case
from joinedup.cases.work import case_close
from joinedup.core.errors import InvalidInput
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_record
from joinedup.insights import providers
from joinedup.insights.domain.dashboards import DASHBOARDS, Period
from joinedup.insights.models import AssessmentSection, DailyCount
from joinedup.insights.selectors import dashboard_figures
from joinedup.insights.services import assessment_section_write, insights_refresh
from joinedup.people.models import Person
from joinedup.referrals.models import Referral, Service
from joinedup.referrals.services import referral_decline, referral_send
from joinedup.referrals.tests.test_referrals import consent_to_refer

pytestmark = pytest.mark.django_db
STORY = "He called me a psycho again and said he'd burn my flat"
DECLINE_REASON = "Not our tenant, sorry Robert"


@pytest.fixture
def commissioner(lead_agency: Agency) -> User:
    return make_user(lead_agency, "commissioner", email="pcc@lead.example", name="Carla Commissioner")


@pytest.fixture
def records(
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., Any],
) -> dict[str, Any]:
    """Robert: seven incidents over a few weeks (repeats, one escalation), a referral that was declined, and a
    case closed with his outcome."""
    from joinedup.demo.services import openreferral_records
    from joinedup.referrals.services import services_import

    incidents = []
    for step in range(7):
        kinds = ("physical_assault",) if step == 6 else ("verbal_abuse",)
        incidents.append(incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(kinds=kinds)))
    Incident.objects.filter(pk__in=[i.pk for i in incidents]).update(created_at=timezone.now() - timedelta(days=3))
    case = Case.objects.get(person=robert)
    services_import(records=openreferral_records("riverside-homes"), agency=housing, actor=None)
    consent_to_refer(nurse, gp, robert, housing)
    referral = referral_send(actor=nurse, agency=gp, case=case, service=Service.objects.get(), reason="Neighbour")
    referral_decline(
        actor=housing_officer, referral=referral, reason=DECLINE_REASON, alternative="Council housing options"
    )
    from joinedup.cases.models import Task

    Task.objects.filter(case=case).update(status="done")
    case_close(actor=nurse, case=case, outcomes_met="partly", person_feels_safer="yes", person_view="Safer now, thanks")
    return {"incidents": incidents, "case": case, "referral": referral}


def this_month() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=30), today)


def test_the_refresh_counts_records_into_daily_counts_without_people(
    records: dict[str, Any], commissioner: User
) -> None:
    run = insights_refresh()
    assert run.status == "done" and run.records_read >= 9
    assert run.areas == ["EM1"]
    fields = {f.name for f in DailyCount._meta.get_fields()}
    assert fields == {"id", "day", "area", "measure", "group", "value"}
    counts = {(c.measure, c.group): c.value for c in DailyCount.objects.all()}
    assert counts[("incidents_repeat", "repeat")] == 6
    assert counts[("incidents_repeat", "first")] == 1
    assert counts[("incidents_escalation", "escalated")] == 1
    assert counts[("referral_declines_by_alternative", "other_route")] == 1
    assert counts[("case_outcomes_met", "partly")] == 1
    assert counts[("incidents_by_area", "EM1")] == 7
    assert_audited("update", object_type="insights.refresh")


def test_small_counts_are_hidden_and_the_rest_rounded(records: dict[str, Any], commissioner: User) -> None:
    insights_refresh()
    figures = dashboard_figures(actor=commissioner, slug="repeat_victimisation", period=this_month())
    repeat = {row.group: row for row in figures.tables[0].rows}
    assert repeat["first"].suppressed and repeat["first"].value is None  # 1 incident: hidden
    assert repeat["repeat"].suppressed  # 6, hidden as well: otherwise the total would give the 1 away
    assert repeat["total"].value == 5  # 7, rounded to the nearest 5
    outcomes = dashboard_figures(actor=commissioner, slug="outcomes", period=this_month())
    assert all(row.suppressed or row.value == 0 for row in outcomes.tables[0].rows)


def test_only_commissioners_and_lead_partner_staff_see_figures(
    lead_agency: Agency, gp: Agency, commissioner: User, nurse: User
) -> None:
    from joinedup.insights.services import insights_subject

    subject = insights_subject()
    assert decide(commissioner, "insights.view", subject).allowed
    assert decide(make_user(lead_agency, "practitioner"), "insights.view", subject).allowed
    assert not decide(nurse, "insights.view", subject).allowed
    assert not decide(make_user(gp, "safeguarding_lead"), "insights.export", subject).allowed
    # A commissioner sees figures only: no person's record, no case, no search.
    assert not decide(commissioner, "person.search").allowed
    assert not decide(commissioner, "work.view").allowed


def test_the_api_answers_the_contract(records: dict[str, Any], commissioner: User, api_for: Any) -> None:
    insights_refresh()
    client = api_for(commissioner)
    today = timezone.localdate()
    body = client.get(f"/api/v1/insights/overview?from={today - timedelta(days=30)}&to={today}&area=EM1").json()
    assert set(body) >= {"figures", "method", "as_of"}
    assert body["method"]["threshold"] == 5
    for figure in body["figures"]:
        assert set(figure) == {"measure", "group", "value", "suppressed"}
        assert (figure["value"] is None) == figure["suppressed"]
    for slug in ("overview", "repeat_victimisation", "referrals", "outcomes", "victims_code", "harm"):
        assert client.get(f"/api/v1/insights/{slug}").status_code == 200
    assert client.get("/api/v1/insights/people").status_code == 404
    bad = client.get("/api/v1/insights/overview?from=2026-02-30")
    assert bad.status_code == 400 and "from" in bad.json()["error"]["fields"]
    backwards = client.get("/api/v1/insights/overview?from=2026-03-01&to=2026-02-01")
    assert backwards.status_code == 400


def test_a_practitioner_elsewhere_is_refused(nurse: User, api_for: Any) -> None:
    assert api_for(nurse).get("/api/v1/insights/overview").status_code == 403
    client = Client()
    client.force_login(nurse)
    assert client.get("/insights/overview").status_code == 403


def test_downloads_are_the_published_figures_and_are_audited_as_exports(
    records: dict[str, Any], commissioner: User
) -> None:
    insights_refresh()
    client = Client()
    client.force_login(commissioner)
    period = this_month()
    csv = client.get(f"/insights/repeat_victimisation/download.csv?start={period.start}&end={period.end}")
    csv = csv.content.decode("utf-8-sig")
    assert "incidents_repeat,first,First incident in 12 months" in csv
    assert ",,true," in csv  # a hidden value is an empty cell, marked suppressed
    entry = assert_audited("export", object_type="insights.dashboard", object_id="repeat_victimisation")
    assert entry.person_uuid is None and entry.details["format"] == "csv"
    xlsx = client.get("/insights/repeat_victimisation/download.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="export", details__format="xlsx").exists()


def _texts(client: Client, urls: list[str]) -> str:
    out = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content
        if response["Content-Type"] == "application/pdf":
            out.append(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))
        elif "spreadsheetml" in response["Content-Type"]:
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                out.extend(book.read(name).decode() for name in book.namelist())
        else:
            out.append(content.decode("utf-8-sig"))
    return "\n".join(out)


def test_no_page_endpoint_or_download_under_insights_returns_a_person_level_field(
    records: dict[str, Any], commissioner: User, robert: Person, api_for: Any
) -> None:
    insights_refresh()
    assessment_section_write(actor=commissioner, year=2026, section="need", text="Need is rising in the north.")
    client = Client()
    client.force_login(commissioner)
    year = timezone.localdate().year
    urls = ["/insights", "/insights/needs-assessment/2026", f"/insights/needs-assessment/{year}"]
    for slug in DASHBOARDS:
        recent = f"start={this_month().start}&end={this_month().end}"
        urls += [f"/insights/{slug}?{recent}", f"/insights/{slug}?area=EM1&{recent}", f"/insights/{slug}/download.csv"]
        urls += [f"/insights/{slug}/download.xlsx"]
    text = _texts(client, urls)
    if (pdf := client.get("/insights/needs-assessment/2026/pdf"))["Content-Type"] == "application/pdf":
        text += _texts(client, ["/insights/needs-assessment/2026/pdf"])
    api = api_for(commissioner)
    for slug in DASHBOARDS:
        text += api.get(f"/api/v1/insights/{slug}?from={this_month().start}").content.decode()
    assert pdf.status_code in {200, 503}
    case, referral = records["case"], records["referral"]
    forbidden = [
        robert.given_name, robert.family_name, robert.postcode, robert.phone, str(robert.uuid), str(case.uuid),
        str(referral.uuid), STORY, DECLINE_REASON, "Safer now", "Council housing options", "Nia Nurse",
        *(str(i.uuid) for i in records["incidents"]),
    ]  # fmt: skip
    leaks = [value for value in forbidden if value and value in text]
    assert not leaks, f"person-level values under insights: {leaks}"
    any_uuid = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text, re.IGNORECASE)
    assert any_uuid is None, f"an identifier under insights: {any_uuid.group(0) if any_uuid else ''}"
    assert "Need is rising in the north." in text  # the staff's narrative is published, as it should be


def test_the_needs_assessment_keeps_every_version_with_author_and_date(commissioner: User, nurse: User) -> None:
    first = assessment_section_write(actor=commissioner, year=2026, section="gaps", text="Mental health referrals.")
    second = assessment_section_write(actor=commissioner, year=2026, section="gaps", text="Advocacy capacity.")
    assert (first.version, second.version) == (1, 2)
    assert AssessmentSection.objects.filter(year=2026, section="gaps").count() == 2
    assert second.author_name == "Carla Commissioner"
    assert_audited("update", object_type="insights.assessmentsection", object_id=str(second.pk))
    with pytest.raises(InvalidInput):
        assessment_section_write(actor=commissioner, year=2026, section="gaps", text="   ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        assessment_section_write(actor=nurse, year=2026, section="gaps", text="Not mine to write")


def test_the_section_page_saves_and_keeps_what_was_typed_on_error(commissioner: User) -> None:
    client = Client()
    client.force_login(commissioner)
    assert client.get("/insights/needs-assessment/2026/recommendations").status_code == 200
    too_long = "x" * 20_001
    again = client.post("/insights/needs-assessment/2026/recommendations", {"text": too_long})
    assert again.status_code == 200 and too_long in again.content.decode()
    done = client.post("/insights/needs-assessment/2026/recommendations", {"text": "Fund advocacy."})
    assert done.status_code == 302
    page = client.get("/insights/needs-assessment/2026").content.decode()
    assert "Fund advocacy." in page and "Carla Commissioner" in page
    assert client.get("/insights/needs-assessment/2026/nonsense").status_code == 404
    assert client.get("/insights/needs-assessment/year/need").status_code == 404


def test_harm_reports_show_no_reports_yet_until_a_provider_registers(commissioner: User) -> None:
    insights_refresh()
    client = Client()
    client.force_login(commissioner)
    assert "No reports yet" in client.get("/insights/harm").content.decode()
    today = timezone.localdate()

    def harm(since: date | None) -> list[tuple[tuple[date, str, str, str], int]]:
        key = "harm_reports_by_source"
        return [((today, "EM2", key, "fragmented_services"), 12), ((today, "EM2", key, "_total"), 12)]

    providers.register("harm", harm)
    try:
        run = insights_refresh()
        assert run.providers == ["harm"]
        page = client.get(f"/insights/harm?start={this_month().start}&end={today}").content.decode()
        assert "No reports yet" not in page and "Fragmented services" in page
    finally:
        providers.unregister("harm")


def test_a_partial_refresh_keeps_earlier_days(records: dict[str, Any]) -> None:
    insights_refresh()
    before = DailyCount.objects.count()
    insights_refresh(since=timezone.localdate() + timedelta(days=1))
    assert DailyCount.objects.count() == before


def test_the_command_refuses_bad_input_clearly() -> None:
    with pytest.raises(CommandError, match="--since"):
        call_command("refresh_insights", "--since", "yesterday")
    with pytest.raises(CommandError, match="300"):
        call_command("refresh_insights", "--every", "10")
    out = io.StringIO()
    call_command("refresh_insights", verbosity=0, stdout=out)
    assert "daily counts" in out.getvalue()


def test_the_refresh_task_runs_in_the_background_queue() -> None:
    from joinedup.insights.tasks import refresh_insights

    result = refresh_insights.enqueue(since=None)
    assert result.return_value == 0


def test_referral_figures_are_countable(records: dict[str, Any], commissioner: User) -> None:
    insights_refresh()
    figures = dashboard_figures(actor=commissioner, slug="referrals", period=this_month())
    agencies = next(t for t in figures.tables if t.table.measure == "referral_declines_by_agency")
    assert any(row.label == "Riverside Homes" and row.suppressed for row in agencies.rows)
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "start", "end", "days", "months"),
    [
        ("whole-year", date(2025, 4, 1), date(2026, 3, 31), [], (date(2025, 4, 1), date(2026, 3, 1))),
        ("inside-one-month", date(2026, 2, 3), date(2026, 2, 20), [(date(2026, 2, 3), date(2026, 2, 20))], None),
        (
            "partial-both-ends",
            date(2026, 1, 15),
            date(2026, 4, 10),
            [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))],
            (date(2026, 2, 1), date(2026, 3, 1)),
        ),
        ("leap-february", date(2024, 2, 1), date(2024, 2, 29), [], (date(2024, 2, 1), date(2024, 2, 1))),
    ],
)
def test_a_period_reads_whole_months_from_monthly_totals(
    case: str, start: date, end: date, days: list[tuple[date, date]], months: tuple[date, date] | None
) -> None:
    from joinedup.insights.selectors import split_by_month

    got_days, got_months = split_by_month(Period(start, end))
    assert [(d.start, d.end) for d in got_days] == days, case
    assert ((got_months.start, got_months.end) if got_months else None) == months, case


def test_monthly_and_daily_reads_agree(records: dict[str, Any]) -> None:
    from django.db.models import Sum

    from joinedup.insights.selectors import _sums

    Incident.objects.filter(pk=records["incidents"][0].pk).update(created_at=timezone.now() - timedelta(days=70))
    insights_refresh()
    today = timezone.localdate()
    period = Period(today - timedelta(days=100), today)
    direct = DailyCount.objects.filter(measure="incidents_repeat", day__gte=period.start, day__lte=period.end)
    expected = dict(direct.values_list("group").annotate(v=Sum("value")).values_list("group", "v"))
    assert _sums(["incidents_repeat"], period, "")["incidents_repeat"] == expected
