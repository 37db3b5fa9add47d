"""The route end to end: raising, moving along, deadlines and escalation, serious harm, no retaliation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.cases.work import deadlines_check
from joinedup.core.domain.calendar import add_working_days
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.domain.route import Step
from joinedup.harm.models import HarmEscalation, HarmReport, HarmTransition
from joinedup.harm.selectors import harm_report_read, inbox, measures
from joinedup.harm.services import harm_report_raise, harm_report_transition, harm_report_update
from joinedup.incidents.models import Incident, TriageItem
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


def words(**overrides: object) -> ReportInput:
    base: dict[str, object] = {
        "reported_by": "person",
        "description": "The housing office lost my forms three times and said I was making it up.",
        "sources": ("systems_and_bureaucracy", "stigma_and_discrimination"),
        "impacts": ("stress", "loss_of_trust"),
        "wants": ("apology", "change"),
        "contact_name": "Robert",
        "contact_detail": "text 07700 900982",
    }
    return ReportInput(**{**base, **overrides})  # type: ignore[arg-type]


@pytest.fixture
def housing_lead(housing: Agency) -> User:
    return make_user(housing, "safeguarding_lead", email="lead@homes.example", name="Hana Lead")


def test_issue16_anyone_raises_anonymously_and_the_agency_is_told(
    housing: Agency, housing_lead: User, lead_agency: Agency
) -> None:
    report = harm_report_raise(
        actor=None, data=words(reported_by="anonymous", contact_name="", contact_detail=""), about_agency=housing
    )
    assert report.status == "received"
    assert report.responder_agency == housing
    assert report.raised_by is None and report.advocacy_offered_at is not None
    assert report.acknowledge_by == add_working_days(timezone.localdate(report.received_at), 3)
    assert housing_lead.notifications.filter(url=f"/harm/reports/{report.uuid}").exists()
    assert list(report.history.values_list("to_status", flat=True)) == ["received"]


def test_issue16_about_the_pathway_goes_to_the_lead_partner(lead_agency: Agency) -> None:
    report = harm_report_raise(actor=None, data=words(), about_agency=None)
    assert report.responder_agency == lead_agency


def test_issue16_the_whole_route_with_immutable_history(housing: Agency, housing_officer: User) -> None:
    report = harm_report_raise(actor=None, data=words(), about_agency=housing)
    for step in (
        Step("acknowledged", note="Thank you; Hana will look into it"),
        Step("investigating"),
        Step("responded", note="We are sorry. We have changed how forms are logged.", minimisations=("6B",)),
        Step("restorative_meeting", note="Meeting on Tuesday with an advocate"),
        Step("closed", person_view="I felt listened to at last.", minimisations=("1",)),
    ):
        report = harm_report_transition(actor=housing_officer, report=report, step=step)
    assert report.status == "closed" and report.person_view == "I felt listened to at last."
    assert report.minimisations == ["6B", "1"]
    assert report.respond_by == add_working_days(timezone.localdate(report.acknowledged_at), 20)
    assert list(HarmTransition.objects.filter(report=report).values_list("to_status", flat=True)) == [
        "received",
        "acknowledged",
        "investigating",
        "responded",
        "restorative_meeting",
        "closed",
    ]


def test_issue16_steps_cannot_be_skipped_and_closing_needs_the_persons_view(
    housing: Agency, housing_officer: User
) -> None:
    report = harm_report_raise(actor=None, data=words(), about_agency=housing)
    with pytest.raises(Conflict):
        harm_report_transition(actor=housing_officer, report=report, step=Step("closed", person_view="x"))
    for to in ("acknowledged", "investigating"):
        report = harm_report_transition(actor=housing_officer, report=report, step=Step(to))
    report = harm_report_transition(actor=housing_officer, report=report, step=Step("responded", note="Sorry"))
    with pytest.raises(InvalidInput) as problem:
        harm_report_transition(actor=housing_officer, report=report, step=Step("closed"))
    assert "person_view" in problem.value.fields


def test_no_retaliation_other_agencies_cannot_know_it_exists(
    housing: Agency, nurse: User, housing_officer: User
) -> None:
    report = harm_report_raise(actor=None, data=words(), about_agency=housing)
    with pytest.raises(NotVisible):
        harm_report_read(actor=nurse, report_uuid=report.uuid, purpose="test")
    with pytest.raises(NotVisible):
        harm_report_transition(actor=nurse, report=report, step=Step("acknowledged"))
    assert list(inbox(actor=nurse)) == []
    assert list(inbox(actor=housing_officer)) == [report]


def test_no_retaliation_who_looked_is_in_the_named_persons_access_log(
    gp: Agency, nurse: User, robert: Person, housing: Agency, housing_officer: User
) -> None:
    report = harm_report_raise(actor=nurse, data=words(reported_by="practitioner"), about_agency=housing, person=robert)
    harm_report_read(actor=housing_officer, report_uuid=report.uuid, purpose="Answering")
    looks = AuditEntry.objects.filter(person_uuid=robert.uuid, actor=housing_officer)
    assert looks.exists()
    # The answering agency was never given the person's own record.
    with pytest.raises(NotVisible):
        from joinedup.people.selectors import person_get

        person_get(actor=housing_officer, person_uuid=robert.uuid, purpose="test")


def test_only_those_who_may_see_a_person_can_name_them(housing: Agency, housing_officer: User, robert: Person) -> None:
    with pytest.raises(NotVisible):
        harm_report_raise(actor=housing_officer, data=words(), about_agency=housing, person=robert)
    assert not HarmReport.objects.exists()


def test_CJCA_s20_serious_harm_about_a_named_person_opens_a_case_with_a_key_worker(
    gp: Agency, nurse: User, robert: Person, housing: Agency
) -> None:
    report = harm_report_raise(
        actor=nurse,
        data=words(reported_by="practitioner", sources=("staff_misconduct_or_sexual_abuse",)),
        about_agency=housing,
        person=robert,
    )
    assert report.serious and report.possible_offence
    assert report.safeguarding_case is not None and report.safeguarding_case.key_worker == nurse
    incident = Incident.objects.get(pk=report.safeguarding_incident_id)
    assert incident.person == robert
    assert incident.classification["care_setting_offence"] is True


def test_CJCA_s20_serious_harm_without_a_named_person_goes_to_the_hub(lead_agency: Agency, housing: Agency) -> None:
    report = harm_report_raise(
        actor=None,
        data=words(ill_treatment_in_care=True, sources=("neglectful_frontline_practice",)),
        about_agency=housing,
    )
    assert report.serious and report.safeguarding_case is None
    assert TriageItem.objects.filter(pk=report.safeguarding_triage_id, hub=lead_agency).exists()


def test_reg13_overdue_steps_escalate_once_then_to_the_lead_partner(
    housing: Agency, housing_lead: User, lead_agency: Agency
) -> None:
    lead_sg = make_user(lead_agency, "safeguarding_lead", email="sg@lead.example")
    report = harm_report_raise(actor=None, data=words(), about_agency=housing)
    late = add_working_days(report.acknowledge_by, 1)
    assert deadlines_check(as_of=late)["harm_escalations"] == 1
    assert deadlines_check(as_of=late)["harm_escalations"] == 0  # safe to run again
    assert housing_lead.notifications.filter(text__contains="not acknowledged").exists()
    later = add_working_days(report.acknowledge_by, 4)
    assert deadlines_check(as_of=later)["harm_escalations"] == 1
    assert HarmEscalation.objects.filter(report=report, level=2).exists()
    assert lead_sg.notifications.filter(text__startswith="Escalated to the lead partner").exists()


def test_issue16_updates_at_the_persons_cadence(housing: Agency, housing_officer: User) -> None:
    report = harm_report_raise(actor=None, data=words(update_cadence="weekly"), about_agency=housing)
    report = harm_report_transition(actor=housing_officer, report=report, step=Step("acknowledged"))
    due = add_working_days(timezone.localdate(report.acknowledged_at), 5)
    assert deadlines_check(as_of=due)["harm_escalations"] == 0
    assert deadlines_check(as_of=due + timedelta(days=1))["overdue_harm_steps"] == 1
    harm_report_update(actor=housing_officer, report=report, note="Told them we spoke to the office")
    report.refresh_from_db()
    assert report.last_update_at is not None


def test_measures_are_for_lead_partner_staff_and_suppress_small_numbers(
    housing: Agency, lead_agency: Agency, housing_officer: User
) -> None:
    for _ in range(5):
        harm_report_raise(actor=None, data=words(), about_agency=housing)
    staff = make_user(lead_agency, "practitioner", email="p@lead.example")
    figures = {(f.measure, f.group): f for f in measures(actor=staff)}
    assert figures[("reports", "all")].value == 5
    assert figures[("reports_by_source", "Stigma and discrimination")].value == 5
    assert figures[("serious_harm", "safeguarding concern raised")].value == 0
    with pytest.raises(PermissionDenied):  # other agencies' staff see no figures
        measures(actor=housing_officer)


def test_api_contract(
    api_for: Callable[[User], APIClient], nurse: User, robert: Person, housing: Agency, housing_officer: User
) -> None:
    client = api_for(nurse)
    answer = client.post(
        "/api/v1/harm-reports",
        {
            "about_agency_id": str(housing.uuid),
            "person_id": str(robert.uuid),
            "reported_by": "practitioner",
            "description": "A support worker at the hostel touched him and took money.",
            "sources": ["staff_misconduct_or_sexual_abuse"],
            "impacts": ["fear", "trauma"],
            "wants": ["investigation"],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert set(body) == {"id", "status", "acknowledge_by", "safeguarding_case_id"} and body["status"] == "received"
    bad = client.post(
        "/api/v1/harm-reports", {"reported_by": "person", "description": "x", "sources": ["rude"]}, format="json"
    )
    assert bad.status_code == 400 and "sources.0" in bad.json()["error"]["fields"]
    responder = api_for(housing_officer)
    assert responder.get(f"/api/v1/harm-reports/{body['id']}").status_code == 200
    assert client.get(f"/api/v1/harm-reports/{body['id']}").status_code == 404  # the nurse is not the responder
    skip = responder.post(f"/api/v1/harm-reports/{body['id']}/transition", {"to": "closed"}, format="json")
    assert skip.status_code == 409
    ack = responder.post(f"/api/v1/harm-reports/{body['id']}/transition", {"to": "acknowledged"}, format="json")
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    listed = responder.get("/api/v1/harm-reports").json()
    assert listed["count"] == 1 and "date_of_birth" not in listed["results"][0]


def test_insights_counts_hold_no_person_and_count_each_report_once_in_total(housing: Agency) -> None:
    from joinedup.harm.selectors import insights_counts

    harm_report_raise(actor=None, data=words(), about_agency=housing)
    harm_report_raise(actor=None, data=words(sources=("fragmented_services",)), about_agency=housing)
    counts = {key[3]: n for key, n in insights_counts(None)}
    assert counts == {
        "_total": 2,
        "systems_and_bureaucracy": 1,
        "stigma_and_discrimination": 1,
        "fragmented_services": 1,
    }
    assert insights_counts(timezone.localdate() + timedelta(days=1)) == []
