"""Panel services against the database: setting a panel up and changing it, meeting dates, urgent and repeated
referrals, the person's voice, closing a case, and what each member agency sees of a case (minimum necessary and
the agencies it was shared with)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.audit.models import AuditEntry
from joinedup.cases.models import Case, Task, TimelineEntry
from joinedup.consent.services import consent_record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.models import Notification
from joinedup.incidents.services import incident_record
from joinedup.panels import selectors, services
from joinedup.panels.models import Action, Meeting, Panel, PanelReferral
from joinedup.panels.presenters import case_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(lead: Agency) -> User:
    return make_user(lead, "agency_admin", email="admin2@council.example", name="Ada Admin")


@pytest.fixture
def advocacy(db: None) -> Agency:
    return AgencyFactory.create(slug="advocacy", name="Eastmere Advocacy", kind="advocacy")


@pytest.fixture
def advocate(advocacy: Agency) -> User:
    return make_user(advocacy, "practitioner", email="sian@advocacy.example", name="Sian Advocate")


@pytest.fixture
def fire(db: None) -> Agency:
    return AgencyFactory.create(slug="fire", name="Eastmere Fire", kind="fire_rescue")


@pytest.fixture
def firefighter(fire: Agency) -> User:
    return make_user(fire, "practitioner", email="kate@fire.example", name="Kate Fire")


@pytest.fixture
def peers(db: None) -> Agency:
    return AgencyFactory.create(slug="peers", name="Open Minds Peers", kind="peer_support")


@pytest.fixture
def peer(peers: Agency) -> User:
    return make_user(peers, "practitioner", email="alex@peers.example", name="Alex Peer")


def _members(panel: Panel) -> list[tuple[Agency, User | None]]:
    return selectors.members_of(panel=panel)


def _update(admin: User, panel: Panel, members: list[tuple[Agency, User | None]], **changes: Any) -> Panel:
    return services.panel_update(
        actor=admin,
        panel=panel,
        name=changes.get("name", panel.name),
        area=changes.get("area", panel.area),
        chair=changes.get("chair", panel.chair),
        coordinator=changes.get("coordinator", panel.coordinator),
        members=members,
    )


def _listed_today(referral: PanelReferral, coordinator: User) -> Meeting:
    meeting = services.meeting_schedule(actor=coordinator, panel=referral.panel, day=timezone.localdate())
    services.panel_referral_list(actor=coordinator, meeting=meeting, panel_referral=referral)
    return meeting


# ---------------------------------------------------------------- setting up and changing a panel


def test_set_up_with_representatives_and_clear_errors(
    admin: User, lead: Agency, gp: Agency, housing: Agency, chair: User, coordinator: User, nurse: User
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.panel_create(
            actor=admin,
            name=" ",
            area="Eastmere",
            chair=coordinator,  # not a panel chair
            coordinator=coordinator,
            members=[(gp, coordinator)],  # one agency; a representative who does not work there
        )
    fields = refused.value.fields
    assert set(fields) == {"name", "chair_user_id", "coordinator_user_id", "member_agency_ids", "representatives"}
    assert "panel chair role" in fields["chair_user_id"][0]
    assert "does not work with people's records at" in fields["representatives"][0]
    made = services.panel_create(
        actor=admin,
        name="Eastmere panel",
        area="Eastmere",
        chair=chair,
        coordinator=coordinator,
        members=[(lead, coordinator), (gp, nurse), (housing, None)],
    )
    assert {(a.name, r.name if r else None) for a, r in _members(made)} == {
        (lead.name, coordinator.name),
        (gp.name, nurse.name),
        (housing.name, None),
    }
    entry = AuditEntry.objects.get(action="create", object_type="panels.panel")
    assert set(entry.details["joined"]) == {lead.name, gp.name, housing.name}
    assert entry.details["chair"] == chair.name


def test_coordinator_must_work_in_a_member_agency(
    admin: User, lead: Agency, gp: Agency, housing: Agency, chair: User, officer: User
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.panel_create(
            actor=admin,
            name="P",
            area="A",
            chair=chair,
            coordinator=officer,  # police is not a member
            members=[(lead, None), (gp, None), (housing, None)],
        )
    assert "member agency" in refused.value.fields["coordinator_user_id"][0]


def test_membership_changes_are_audited_and_an_agency_owing_actions_cannot_leave(
    panel: Panel,
    admin: User,
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    housing: Agency,
    housing_officer: User,
    gp: Agency,
    nurse: User,
    police: Agency,
    officer: User,
    lead: Agency,
) -> None:
    referral = services.panel_refer(**referral_args)
    _listed_today(referral, coordinator)
    services.minutes_record(
        actor=coordinator,
        meeting=referral.panel.meetings.get(),
        panel_referral=referral,
        persons_voice="I want to feel safe",
        discussion="Housing to offer a move",
        present_agencies=[gp, housing],
    )
    action = services.action_agree(
        actor=coordinator,
        panel_referral=referral,
        what="Offer a move",
        agency=housing,
        owner=housing_officer,
        due_on=timezone.localdate(),
    )
    without_housing = [(a, r) for a, r in _members(panel) if a != housing]
    with pytest.raises(Conflict) as refused:
        _update(admin, panel, without_housing)
    assert refused.value.code == "open_actions" and housing.name in refused.value.message
    with pytest.raises(PermissionDenied):
        _update(coordinator, panel, [*_members(panel), (police, officer)])
    _update(admin, panel, [*_members(panel), (police, officer)], name="Eastmere risk panel")
    panel.refresh_from_db()
    assert panel.name == "Eastmere risk panel" and police in [a for a, _ in _members(panel)]
    entry = AuditEntry.objects.filter(action="update", object_type="panels.panel").latest("id")
    assert entry.details["joined"] == [police.name] and entry.details["name"]["to"] == "Eastmere risk panel"
    services.action_complete(actor=housing_officer, action=action, evidence="Move offered")
    _update(admin, panel, [(a, r) for a, r in _members(panel) if a != housing])
    assert housing not in [a for a, _ in _members(panel)]


def test_meeting_dates_by_managers_and_administrators_once_a_day_not_in_the_past(
    panel: Panel, admin: User, coordinator: User, nurse: User, chair: User
) -> None:
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        services.meeting_schedule(actor=coordinator, panel=panel, day=today - timedelta(days=1))
    assert refused.value.fields == {"date": ["The meeting date must be today or later"]}
    services.meeting_schedule(actor=admin, panel=panel, day=today + timedelta(days=7))
    with pytest.raises(InvalidInput):
        services.meeting_schedule(actor=coordinator, panel=panel, day=today + timedelta(days=7))
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(actor=nurse, panel=panel, day=today + timedelta(days=8))
    # The chair, the coordinator and each named representative are told.
    told = set(Notification.objects.filter(text__contains="meets on").values_list("user__email", flat=True))
    assert {chair.email, coordinator.email, nurse.email} <= told


# ---------------------------------------------------------------- referring: urgent, once, repeats


def test_urgent_referral_tells_the_coordinator_and_a_case_is_referred_once(
    referral_args: dict[str, Any], consented: None, coordinator: User
) -> None:
    referral = services.panel_refer(**{**referral_args, "urgent": True})
    assert referral.urgent
    note = Notification.objects.filter(user=coordinator).latest("id")
    assert "urgent" in note.text.lower()
    with pytest.raises(Conflict) as again:
        services.panel_refer(**referral_args)
    assert again.value.code == "already_referred"
    # The coordinator sees urgent ones first.
    waiting = selectors.waiting_to_be_listed(actor=coordinator, panel=referral.panel, purpose="test")
    assert waiting == [referral]


def test_the_key_worker_is_prompted_on_a_repeat_and_referring_back_does_the_task(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    nurse: User,
    gp: Agency,
    case: Case,
    incident_input: Any,
) -> None:
    first = services.panel_refer(**referral_args)
    meeting = _listed_today(first, coordinator)
    services.minutes_record(
        actor=coordinator,
        meeting=meeting,
        panel_referral=first,
        persons_voice="I want it to stop",
        discussion="Agreed a plan",
        present_agencies=[gp],
    )
    PanelReferral.objects.filter(pk=first.pk).update(referred_at=timezone.now() - timedelta(days=40))
    incident_record(actor=nurse, agency=gp, person=case.person, data=incident_input())
    task = Task.objects.get(case=case, title=services.REPEAT_TASK)
    assert task.owner == case.key_worker and task.status == "open"
    assert Notification.objects.filter(user=case.key_worker, text__contains="consider referring back").exists()
    again = services.panel_refer(**{**referral_args, "actor": case.key_worker, "criteria": []})
    assert again.repeat and [c["code"] for c in again.criteria] == ["repeat"]
    task.refresh_from_db()
    assert task.status == "done"


# ---------------------------------------------------------------- the person's voice


def test_the_voice_is_brought_by_their_advocate_or_key_worker_and_read_first(
    panel: Panel,
    admin: User,
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    advocacy: Agency,
    advocate: User,
    nurse: User,
    housing_officer: User,
    gp: Agency,
) -> None:
    _update(admin, panel, [*_members(panel), (advocacy, advocate)])
    referral = services.panel_refer(**referral_args)
    meeting = _listed_today(referral, coordinator)
    with pytest.raises(PermissionDenied):
        services.voice_record(actor=housing_officer, panel_referral=referral, words="He wants to move")
    with pytest.raises(InvalidInput):
        services.voice_record(actor=advocate, panel_referral=referral, words="  ")
    voice = services.voice_record(
        actor=advocate, panel_referral=referral, words="I want it to stop. Don't tell my landlord."
    )
    assert voice.as_role == "advocate" and voice.by_agency == advocacy
    by_key_worker = services.voice_record(actor=nurse, panel_referral=referral, words="I want to stay in my flat.")
    assert by_key_worker.as_role == "key_worker"
    item = selectors.agenda(actor=housing_officer, meeting=meeting, purpose="test")[0]
    assert item.voice is not None and item.voice.words == "I want to stay in my flat."
    # Minutes read what was brought when the coordinator leaves the voice as it is.
    minutes = services.minutes_record(
        actor=coordinator,
        meeting=meeting,
        panel_referral=referral,
        persons_voice="",
        discussion="Housing to look at a move",
        present_agencies=[gp],
    )
    assert minutes.persons_voice == "I want to stay in my flat."
    summaries = list(TimelineEntry.objects.filter(kind="panel").values_list("summary", flat=True))
    assert any("by their advocate" in s for s in summaries) and not any("Don't tell" in s for s in summaries)


# ---------------------------------------------------------------- closing


def test_closing_with_open_actions_needs_a_decision_and_they_stay_with_their_agencies(
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    chair: User,
    nurse: User,
    housing: Agency,
    housing_officer: User,
    gp: Agency,
) -> None:
    referral = services.panel_refer(**referral_args)
    meeting = _listed_today(referral, coordinator)
    services.minutes_record(
        actor=coordinator,
        meeting=meeting,
        panel_referral=referral,
        persons_voice="I want to move",
        discussion="Housing to offer a move",
        present_agencies=[gp, housing],
    )
    action = services.action_agree(
        actor=coordinator,
        panel_referral=referral,
        what="Offer a management move",
        agency=housing,
        owner=housing_officer,
        due_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.panel_referral_close(actor=nurse, panel_referral=referral, outcome="risk_reduced", reason="x")
    with pytest.raises(InvalidInput) as invalid:
        services.panel_referral_close(actor=coordinator, panel_referral=referral, outcome="", reason="")
    assert set(invalid.value.fields) == {"outcome", "reason"}
    with pytest.raises(Conflict) as refused:
        services.panel_referral_close(
            actor=coordinator, panel_referral=referral, outcome="lead_agency", reason="Housing leads now"
        )
    assert refused.value.code == "open_actions" and "Offer a management move" in refused.value.message
    closed = services.panel_referral_close(
        actor=coordinator,
        panel_referral=referral,
        outcome="lead_agency",
        reason="Housing leads now",
        agencies_continue=True,
    )
    assert closed.status == "closed" and closed.outcome == "lead_agency" and closed.closed_at is not None
    # The action is still the agency's: on its list, not on the panel's next agenda.
    assert action in selectors.actions_for(actor=housing_officer)
    later = Meeting.objects.create(
        panel=referral.panel, date=timezone.localdate() + timedelta(days=14), created_by=chair
    )
    assert selectors.agenda(actor=coordinator, meeting=later, purpose="test") == []
    entry = TimelineEntry.objects.filter(kind="panel").first()
    assert entry is not None and "closed the case" in entry.summary and "stay with their agencies" in entry.summary
    assert Notification.objects.filter(user=housing_officer, text__contains="still yours").exists()
    with pytest.raises(Conflict) as twice:
        services.panel_referral_close(
            actor=coordinator, panel_referral=closed, outcome="lead_agency", reason="again", agencies_continue=True
        )
    assert twice.value.code == "not_allowed"


def test_closing_on_a_death_asks_the_chair_to_consider_a_review(
    referral_args: dict[str, Any], consented: None, coordinator: User, chair: User
) -> None:
    referral = services.panel_refer(**referral_args)
    services.panel_referral_close(actor=coordinator, panel_referral=referral, outcome="died", reason="He died")
    assert Notification.objects.filter(user=chair, text__contains="Safeguarding Adults Review").exists()


# ---------------------------------------------------------------- what each member agency sees


def test_each_member_sees_what_its_work_needs_and_its_own_words(
    panel: Panel,
    admin: User,
    referral_args: dict[str, Any],
    consented: None,
    coordinator: User,
    fire: Agency,
    firefighter: User,
    peers: Agency,
    peer: User,
    nurse: User,
) -> None:
    _update(admin, panel, [*_members(panel), (fire, firefighter), (peers, peer)])
    referral = services.panel_refer(**referral_args)
    meeting = _listed_today(referral, coordinator)
    services.research_record(
        actor=firefighter, agency=fire, meeting=meeting, panel_referral=referral, summary="Fire: a home visit is due"
    )
    services.research_record(
        actor=peer, agency=peers, meeting=meeting, panel_referral=referral, summary="Peers: he comes on Tuesdays"
    )
    by_nurse = selectors.agenda(actor=nurse, meeting=meeting, purpose="test")[0]
    assert "neighbour now knows" in by_nurse.criteria[0]["rule"] and not by_nurse.held_back
    # Fire sees risk and harm, not a practitioner's own reasons, nor the person's account.
    by_fire = selectors.agenda(actor=firefighter, meeting=meeting, purpose="test")[0]
    assert by_fire.criteria and "neighbour now knows" not in by_fire.criteria[0]["rule"]
    assert by_fire.summary == referral.summary and not by_fire.voice_shown
    # Peer support sees who they are and their account, not their risk or what happened.
    by_peer = selectors.agenda(actor=peer, meeting=meeting, purpose="test")[0]
    assert by_peer.name_shown and by_peer.criteria == [] and by_peer.vulnerability == []
    assert by_peer.summary != referral.summary and by_peer.held_back
    assert [r.summary for r in by_peer.research] == ["Peers: he comes on Tuesdays"]
    assert {r.summary for r in by_fire.research} == {"Fire: a home visit is due", "Peers: he comes on Tuesdays"}


def test_an_agency_joining_later_sees_the_case_only_once_it_is_shared_with_it(
    panel: Panel,
    admin: User,
    referral_args: dict[str, Any],
    coordinator: User,
    police: Agency,
    officer: User,
    nurse: User,
    gp: Agency,
    robert: Any,
) -> None:
    for agency, _ in _members(panel):
        consent_record(
            actor=nurse,
            agency=gp,
            person=robert,
            purpose="discuss_at_panel",
            decision="given",
            recipient=agency,
            capacity_note="He named the agencies he agreed to",
        )
    referral = services.panel_refer(**referral_args)
    _update(admin, panel, [*_members(panel), (police, officer)])
    meeting = _listed_today(referral, coordinator)
    item = selectors.agenda(actor=officer, meeting=meeting, purpose="test")[0]
    assert not item.name_shown and item.summary != referral.summary and item.criteria == []
    with pytest.raises(InvalidInput) as refused:
        services.minutes_record(
            actor=coordinator,
            meeting=meeting,
            panel_referral=referral,
            persons_voice="I want it to stop",
            discussion="x",
            present_agencies=[gp, police],
        )
    assert "No consent or sharing decision" in refused.value.fields["present_agency_ids"][0]


def test_minutes_wait_for_the_meeting_day_and_a_held_meeting_takes_no_new_cases(
    referral_args: dict[str, Any], consented: None, coordinator: User, gp: Agency
) -> None:
    referral = services.panel_refer(**referral_args)
    later = services.meeting_schedule(
        actor=coordinator, panel=referral.panel, day=timezone.localdate() + timedelta(days=3)
    )
    services.panel_referral_list(actor=coordinator, meeting=later, panel_referral=referral)
    with pytest.raises(Conflict) as early:
        services.minutes_record(
            actor=coordinator,
            meeting=later,
            panel_referral=referral,
            persons_voice="x",
            discussion="y",
            present_agencies=[gp],
        )
    assert early.value.code == "not_yet"
    Meeting.objects.filter(pk=later.pk).update(date=timezone.localdate() - timedelta(days=3))
    later.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.panel_referral_list(actor=coordinator, meeting=later, panel_referral=referral)


def test_the_case_page_shows_its_panel_referrals_and_the_repeat_prompt(
    referral_args: dict[str, Any], consented: None, nurse: User, case: Case, housing_officer: User
) -> None:
    services.panel_refer(**{**referral_args, "urgent": True})
    shown = case_panel(actor=nurse, case=case, groups=frozenset({"risk"}))
    assert shown.waiting and shown.referrals[0].urgent and shown.referrals[0].voice_uuid
    assert not case_panel(actor=housing_officer, case=case, groups=frozenset({"identity"})).shown
    with pytest.raises(NotVisible):
        selectors.panel_referral_read(
            actor=make_user(AgencyFactory.create(slug="x"), email="x@x.example"),
            panel_referral_uuid=PanelReferral.objects.get().uuid,
            purpose="test",
        )
    assert Action.objects.count() == 0


def test_no_repeat_prompt_while_a_referral_waits_for_a_meeting(
    referral_args: dict[str, Any], consented: None, nurse: User, gp: Agency, case: Case, incident_input: Any
) -> None:
    first = services.panel_refer(**referral_args)
    PanelReferral.objects.filter(pk=first.pk).update(referred_at=timezone.now() - timedelta(days=10))
    incident_record(actor=nurse, agency=gp, person=case.person, data=incident_input())
    assert not Task.objects.filter(case=case, title=services.REPEAT_TASK).exists()
