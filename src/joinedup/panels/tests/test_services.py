"""Panel services: consent, membership, criteria, minutes visibility, carried actions, escalation, repeats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from joinedup.access.decision import NotVisible, decide
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.cases.models import Case, Escalation, Task, TimelineEntry
from joinedup.cases.work import deadlines_check
from joinedup.consent.domain.rules import Para18Answers, SharingInput
from joinedup.consent.services import sharing_decision_record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.panels import selectors, services
from joinedup.panels.models import Action, Meeting, Panel, PanelReferral
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


def _heard(referral: PanelReferral, coordinator: User, present: list[Agency], days_ago: int = 0) -> tuple[Any, Any]:
    """Heard at a meeting `days_ago` (scheduled and heard today, then dated back: a meeting is set for today or
    later)."""
    meeting = services.meeting_schedule(actor=coordinator, panel=referral.panel, day=timezone.localdate())
    services.panel_referral_list(actor=coordinator, meeting=meeting, panel_referral=referral)
    minutes = services.minutes_record(
        actor=coordinator,
        meeting=meeting,
        panel_referral=referral,
        persons_voice="I want it to stop. I am scared to open my door.",
        discussion="Housing to consider a move; police to visit the neighbour.",
        present_agencies=present,
    )
    if days_ago:
        Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() - timedelta(days=days_ago))
        meeting.refresh_from_db()
    return meeting, minutes


def test_no_consent_409_until_consent_covers_the_members(referral_args: dict[str, Any]) -> None:
    with pytest.raises(Conflict) as refused:
        services.panel_refer(**referral_args)
    assert refused.value.code == "no_consent"
    assert "Riverside Homes" in refused.value.message
    assert not PanelReferral.objects.exists()


def test_no_criterion_400(referral_args: dict[str, Any], consented: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.panel_refer(**{**referral_args, "criteria": ["visible_high_risk"], "judgement_reasons": ""})
    assert refused.value.code == "no_criterion"
    assert "criteria" in refused.value.fields


def test_referral_records_the_rule_and_goes_on_the_timeline(referral_args: dict[str, Any], consented: None) -> None:
    referral = services.panel_refer(**referral_args)
    assert referral.status == "referred" and referral.repeat is False
    assert referral.criteria[0]["code"] == "professional_judgement"
    assert "neighbour now knows" in referral.criteria[0]["rule"]
    assert referral.vulnerability == ["personal", "situational"]
    entry = TimelineEntry.objects.get(kind="panel")
    assert entry.field_groups == ["risk"]
    assert list(referral.history.values_list("to_status", flat=True)) == ["referred"]


def test_only_member_agencies_refer(
    referral_args: dict[str, Any], consented: None, officer: User, police: Agency
) -> None:
    with pytest.raises(NotVisible):
        services.panel_refer(**{**referral_args, "actor": officer, "agency": police})


def test_a_sharing_decision_naming_the_members_is_enough(
    referral_args: dict[str, Any], lead: Agency, gp: Agency, housing: Agency, robert: Person
) -> None:
    safeguarding_lead = make_user(gp, "safeguarding_lead", email="sl@gp.example")
    sharing_decision_record(
        actor=safeguarding_lead,
        agency=gp,
        person=robert,
        data=SharingInput(
            purpose="discuss_at_panel",
            recipient_agency_ids=(lead.pk, gp.pk, housing.pk),
            lawful_basis="public_task",
            special_category_condition="safeguarding_para18",
            consent_status="not_sought_risk",
            necessity="The neighbour's threats are escalating; the agencies must plan together now.",
            tell_person=False,
            why_not_tell="The neighbour reads his post",
            review_on=timezone.localdate() + timedelta(days=14),
            para18=Para18Answers(True, True, True, True, "not_sought_risk", True),
        ),
    )
    referral = services.panel_refer(**referral_args)
    assert referral.consent_basis == "sharing_decision"


def test_minutes_only_to_agencies_present(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    chair: User,
    gp: Agency,
    lead: Agency,
    nurse: User,
    housing_officer: User,
) -> None:
    referral = services.panel_refer(**referral_args)
    meeting, minutes = _heard(referral, coordinator, [gp, lead])
    referral.refresh_from_db()
    assert referral.status == "heard" and referral.heard_at is not None
    assert decide(nurse, "panel_minutes.view", minutes).allowed
    assert decide(chair, "panel_minutes.view", minutes).allowed
    assert not decide(housing_officer, "panel_minutes.view", minutes).allowed
    # Housing was absent: it sees the agenda, not the minutes.
    item = selectors.agenda(actor=housing_officer, meeting=meeting, purpose="test")[0]
    assert item.minutes is None and item.minutes_held
    item = selectors.agenda(actor=nurse, meeting=meeting, purpose="test")[0]
    assert item.minutes is not None and item.voice_shown
    assert "heard at" in TimelineEntry.objects.filter(kind="panel").first().summary.lower()  # type: ignore[union-attr]


def test_agenda_is_for_members_only_and_audited(
    referral_args: dict[str, Any], consented: None, coordinator: User, officer: User, housing_officer: User
) -> None:
    referral = services.panel_refer(**referral_args)
    meeting = services.meeting_schedule(actor=coordinator, panel=referral.panel, day=timezone.localdate())
    with pytest.raises(NotVisible):
        selectors.meeting_read(actor=officer, meeting_uuid=meeting.uuid, purpose="test")
    assert AuditEntry.objects.filter(actor=officer, action="denied").exists()
    services.panel_referral_list(actor=coordinator, meeting=meeting, panel_referral=referral)
    selectors.meeting_read(actor=housing_officer, meeting_uuid=meeting.uuid, purpose="test")
    before = AuditEntry.objects.count()
    items = selectors.agenda(actor=housing_officer, meeting=meeting, purpose="test")
    assert [i.referral for i in items] == [referral]
    assert AuditEntry.objects.count() == before + 1  # one entry for the one person shown


def test_only_managers_list_and_record_minutes(
    referral_args: dict[str, Any], consented: None, coordinator: User, nurse: User
) -> None:
    referral = services.panel_refer(**referral_args)
    meeting = services.meeting_schedule(actor=coordinator, panel=referral.panel, day=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.panel_referral_list(actor=nurse, meeting=meeting, panel_referral=referral)


def test_research_per_member_agency(
    referral_args: dict[str, Any], consented: None, coordinator: User, housing_officer: User, housing: Agency
) -> None:
    referral = services.panel_refer(**referral_args)
    meeting = services.meeting_schedule(actor=coordinator, panel=referral.panel, day=timezone.localdate())
    with pytest.raises(InvalidInput):  # not listed yet
        services.research_record(
            actor=housing_officer, agency=housing, meeting=meeting, panel_referral=referral, summary="Tenant since 2019"
        )
    services.panel_referral_list(actor=coordinator, meeting=meeting, panel_referral=referral)
    services.research_record(
        actor=housing_officer, agency=housing, meeting=meeting, panel_referral=referral, summary="Tenant since 2019"
    )
    services.research_record(
        actor=housing_officer, agency=housing, meeting=meeting, panel_referral=referral, summary="Can offer a move"
    )
    assert [r.summary for r in referral.research.all()] == ["Can offer a move"]


def test_unfinished_actions_are_carried_and_escalate(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    chair: User,
    gp: Agency,
    housing: Agency,
    lead: Agency,
    housing_officer: User,
    nurse: User,
) -> None:
    referral = services.panel_refer(**referral_args)
    first, _ = _heard(referral, coordinator, [gp, housing, lead], days_ago=20)
    action = services.action_agree(
        actor=coordinator,
        panel_referral=referral,
        what="Offer a management move",
        agency=housing,
        owner=housing_officer,
        due_on=timezone.localdate(),
        meeting=first,
    )
    Action.objects.filter(pk=action.pk).update(
        created_at=timezone.now() - timedelta(days=20), due_on=timezone.localdate() - timedelta(days=10)
    )
    with pytest.raises(InvalidInput):
        services.action_agree(
            actor=coordinator,
            panel_referral=referral,
            what="Visit",
            agency=housing,
            owner=nurse,
            due_on=timezone.localdate(),
        )
    nxt = services.meeting_schedule(actor=coordinator, panel=referral.panel, day=timezone.localdate())
    items = selectors.agenda(actor=coordinator, meeting=nxt, purpose="test")
    assert [a.pk for a in items[0].carried_actions] == [action.pk]
    counts = deadlines_check(as_of=timezone.localdate())
    assert counts["overdue_panel_actions"] == 1
    assert Escalation.objects.filter(item_type="panel_action", item_id=action.pk).count() == 2
    deadlines_check(as_of=timezone.localdate())
    assert Escalation.objects.filter(item_type="panel_action").count() == 2  # once per level
    with pytest.raises(InvalidInput):
        services.action_complete(actor=housing_officer, action=action, evidence=" ")
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=nurse, action=action, evidence="Done")
    services.action_complete(actor=housing_officer, action=action, evidence="Move offered on 3 May; he accepted")
    assert selectors.agenda(actor=coordinator, meeting=nxt, purpose="test") == []
    with pytest.raises(Conflict):
        services.action_complete(actor=housing_officer, action=action, evidence="again")
    m = selectors.panel_measures(panel=referral.panel)
    assert (m.cases_heard, m.actions_done, m.actions_done_on_time) == (1, 1, 0)


def test_a_new_incident_after_a_panel_referral_is_a_repeat(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    nurse: User,
    gp: Agency,
    robert: Person,
    case: Case,
    incident_input: Callable[..., IncidentInput],
) -> None:
    first = services.panel_refer(**referral_args)
    _heard(first, coordinator, [gp], days_ago=20)
    PanelReferral.objects.filter(pk=first.pk).update(referred_at=timezone.now() - timedelta(days=30))
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert Task.objects.filter(case=case, title=services.REPEAT_TASK).count() == 1
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert Task.objects.filter(case=case, title=services.REPEAT_TASK).count() == 1
    again = services.panel_refer(**{**referral_args, "criteria": [], "judgement_reasons": ""})
    assert again.repeat is True and [c["code"] for c in again.criteria] == ["repeat"]


def test_chair_records_review_decision(
    referral_args: dict[str, Any], consented: None, chair: User, coordinator: User
) -> None:
    referral = services.panel_refer(**referral_args)
    with pytest.raises(PermissionDenied):
        services.review_consider(actor=coordinator, panel_referral=referral, commissioned=True, reason="x")
    services.review_consider(
        actor=chair, panel_referral=referral, commissioned=False, reason="Agencies worked together well"
    )
    assert "Safeguarding Adults Review considered" in TimelineEntry.objects.filter(kind="panel").first().summary  # type: ignore[union-attr]
    assert selectors.panel_measures(panel=referral.panel).reviews_considered == 1


def test_only_lead_partner_admins_set_up_panels(gp: Agency, chair: User, coordinator: User, housing: Agency) -> None:
    admin_at_gp = make_user(gp, "agency_admin", email="a@gp.example")
    with pytest.raises(PermissionDenied):
        services.panel_create(
            actor=admin_at_gp,
            name="X",
            area="Y",
            chair=chair,
            coordinator=coordinator,
            members=[(gp, None), (housing, None)],
        )
    assert not Panel.objects.exists()


def test_papers_pdf_for_members_only_audited_as_export(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    housing_officer: User,
    officer: User,
    client: Client,
    gp: Agency,
    lead: Agency,
) -> None:
    referral = services.panel_refer(**referral_args)
    meeting, _ = _heard(referral, coordinator, [gp, lead])
    client.force_login(housing_officer)
    response = client.get(f"/meetings/{meeting.uuid}/papers.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert (
        AuditEntry.objects.filter(actor=housing_officer, action="export", person_uuid=referral.case.person.uuid).count()
        == 1
    )
    client.force_login(officer)
    assert client.get(f"/meetings/{meeting.uuid}/papers.pdf").status_code == 404


def test_a_case_closes_only_when_its_actions_are_done(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    housing_officer: User,
    gp: Agency,
    housing: Agency,
) -> None:
    referral = services.panel_refer(**referral_args)
    _heard(referral, coordinator, [gp, housing])
    action = services.action_agree(
        actor=coordinator,
        panel_referral=referral,
        what="Offer a management move",
        agency=housing,
        owner=housing_officer,
        due_on=timezone.localdate(),
    )
    with pytest.raises(Conflict) as refused:
        services.panel_referral_close(
            actor=coordinator, panel_referral=referral, outcome="risk_reduced", reason="Risk reduced"
        )
    assert refused.value.code == "open_actions"
    assert "Offer a management move" in refused.value.message
    services.action_complete(actor=housing_officer, action=action, evidence="Moved on 2 June")
    closed = services.panel_referral_close(
        actor=coordinator, panel_referral=referral, outcome="risk_reduced", reason="Risk reduced"
    )
    assert closed.status == "closed"
    assert "closed the case" in TimelineEntry.objects.filter(kind="panel").first().summary  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        services.action_agree(
            actor=coordinator,
            panel_referral=closed,
            what="Another",
            agency=housing,
            owner=housing_officer,
            due_on=timezone.localdate(),
        )
