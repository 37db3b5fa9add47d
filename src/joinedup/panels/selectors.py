"""Reading the panel's records through the one door (access/door.py): one rule for the web and the API, one audit
entry per read, one per person on an agenda or an action list. A member agency sees of each case what its kind of
work needs (minimum necessary); minutes only if it was present for that case."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from joinedup.access import door
from joinedup.access.decision import NotVisible, actor_facts, decide
from joinedup.access.domain.minimum import HELD_ELSEWHERE, Group, may_show
from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case
from joinedup.core.domain.partnership import CASEWORK_ROLES
from joinedup.panels.domain.rules import ActionFact, Measures, ReferralFact, measures
from joinedup.panels.models import Action, Meeting, Minutes, Panel, PanelReferral, Research, ReviewConsideration
from joinedup.panels.services import panel_referral_facts

# The referrer's summary and the research speak of risk and what happened; the person's voice is their account.
SUMMARY_GROUPS = frozenset({str(Group.RISK), str(Group.HARM)})
VOICE_GROUPS = frozenset({str(Group.ACCOUNT)})


def _get(model: type[Model], **lookup: Any) -> Any:
    try:
        return model._default_manager.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing


# ---------------------------------------------------------------- panels and meetings


def panels_visible(*, actor: User) -> list[Panel]:
    """The partnership's panels (no personal data: names, areas, members), for members of the partnership."""
    door.allow_list(actor, "panel.list", purpose="Panels")
    return list(Panel.objects.select_related("chair", "coordinator").prefetch_related("members__agency"))


def panels_for_referrer(*, actor: User) -> list[Panel]:
    """Panels one of the actor's casework agencies is a member of."""
    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    return list(Panel.objects.filter(members__agency_id__in=agencies).distinct().prefetch_related("members__agency"))


def panel_read(*, actor: User, panel_uuid: uuid.UUID | str, purpose: str, action: str = "panel.view") -> Panel:
    panel: Panel = _get(Panel, uuid=panel_uuid)
    door.read(actor, action, panel, purpose=purpose)
    return panel


def meeting_read(
    *,
    actor: User,
    meeting_uuid: uuid.UUID | str,
    purpose: str,
    action: str = "panel.view",
    audit_action: str = door.VIEW,
) -> Meeting:
    meeting: Meeting = _get(Meeting, uuid=meeting_uuid)
    door.read(actor, action, meeting, purpose=purpose, audit_action=audit_action)
    return meeting


def meetings_of(*, panel: Panel) -> list[Meeting]:
    """The caller read the panel through the one door."""
    return list(panel.meetings.order_by("-date", "-id"))


def panel_referral_read(
    *, actor: User, panel_referral_uuid: uuid.UUID | str, purpose: str, action: str = "panel.view"
) -> tuple[PanelReferral, door.Seen]:
    referral: PanelReferral = _get(PanelReferral, uuid=panel_referral_uuid)
    seen = door.read(actor, action, referral, purpose=purpose, person_uuid=referral.case.person.uuid)
    return referral, seen


def panel_referral_get(*, panel_referral_uuid: uuid.UUID | str) -> PanelReferral:
    """A panel referral named in a request body; the service it is passed to checks access (404 on refusal)."""
    found: PanelReferral = _get(PanelReferral, uuid=panel_referral_uuid)
    return found


def waiting_to_be_listed(*, actor: User, panel: Panel, purpose: str) -> list[PanelReferral]:
    """Referred cases not yet listed, for those who may manage the panel (checked by the caller's door read);
    one audit entry per person shown."""
    found = list(panel.referrals.filter(status="referred").select_related("case__person").order_by("referred_at"))
    door.read_list(actor, objects=found, purpose=purpose, person_uuid_of=lambda r: r.case.person.uuid)
    return found


# ---------------------------------------------------------------- the agenda


@dataclass
class AgendaItem:
    referral: PanelReferral
    groups: frozenset[str]
    carried_actions: list[Action]
    actions: list[Action]
    research: list[Research]
    minutes: Minutes | None
    minutes_held: bool
    present: list[str] = field(default_factory=list)
    can_research_as: list[Agency] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The referrer's summary speaks of risk and harm: shown only to a member who may see both."""
        return self.referral.summary if may_show(SUMMARY_GROUPS, self.groups) else HELD_ELSEWHERE

    @property
    def voice_shown(self) -> bool:
        """The person's own words (the account group)."""
        return may_show(VOICE_GROUPS, self.groups)


def _carried(meeting: Meeting) -> QuerySet[Action]:
    """Unfinished actions agreed before this meeting: each is carried onto its agenda until it is done."""
    return Action.objects.filter(
        panel_referral__panel=meeting.panel, done_at__isnull=True, created_at__date__lt=meeting.date
    ).exclude(panel_referral__status="closed")


def agenda(*, actor: User, meeting: Meeting, purpose: str, audit_action: str = door.VIEW) -> list[AgendaItem]:
    """The meeting's cases: those listed for it, and those carried to it by unfinished actions. The caller read
    the meeting through the one door (panel.view); each person on it is audited once here."""
    carried = list(_carried(meeting).select_related("agency", "owner"))
    ids = {a.panel_referral_id for a in carried}
    referrals = list(
        PanelReferral.objects.filter(Q(meeting=meeting) | Q(pk__in=ids))
        .select_related("case__person", "panel", "referred_by_agency")
        .order_by("referred_at", "id")
    )
    door.read_list(
        actor,
        objects=referrals,
        purpose=purpose,
        person_uuid_of=lambda r: r.case.person.uuid,
        audit_action=audit_action,
    )
    facts = actor_facts(actor)
    mine = facts.agencies_with(CASEWORK_ROLES)
    members = {m.agency_id: m.agency for m in meeting.panel.members.select_related("agency")}
    research = list(
        Research.objects.filter(meeting=meeting, panel_referral__in=referrals).select_related("agency", "by")
    )
    minutes = {
        m.panel_referral_id: m
        for m in Minutes.objects.filter(meeting=meeting, panel_referral__in=referrals).prefetch_related(
            "present_agencies"
        )
    }
    actions = list(Action.objects.filter(panel_referral__in=referrals).select_related("agency", "owner"))
    items = []
    for referral in referrals:
        found = minutes.get(referral.pk)
        may_read = found is not None and decide(actor, "panel_minutes.view", found).allowed
        items.append(
            AgendaItem(
                referral=referral,
                groups=door.groups_of(actor, panel_referral_facts(referral)),
                carried_actions=[a for a in carried if a.panel_referral_id == referral.pk],
                actions=[a for a in actions if a.panel_referral_id == referral.pk],
                research=[r for r in research if r.panel_referral_id == referral.pk],
                minutes=found if may_read else None,
                minutes_held=found is not None and not may_read,
                present=[a.name for a in found.present_agencies.all()] if found is not None and may_read else [],
                can_research_as=[members[a] for a in sorted(mine) if a in members],
            )
        )
    return items


# ---------------------------------------------------------------- actions


def actions_for(*, actor: User) -> list[Action]:
    """Unfinished panel actions the actor owns or their agency owns, soonest due first; one audit entry per person."""
    door.allow_list(actor, "panel_action.list", purpose="Panel actions")
    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    found = list(
        Action.objects.filter(Q(owner=actor) | Q(agency_id__in=agencies), done_at__isnull=True)
        .select_related("agency", "owner", "panel_referral__case__person", "panel_referral__panel")
        .order_by("due_on", "id")
    )
    door.read_list(
        actor, objects=found, purpose="Panel actions", person_uuid_of=lambda a: a.panel_referral.case.person.uuid
    )
    return found


def action_read(
    *, actor: User, action_uuid: uuid.UUID | str, purpose: str, action: str = "panel_action.complete"
) -> Action:
    found: Action = _get(Action, uuid=action_uuid)
    door.read(actor, action, found, purpose=purpose, person_uuid=found.panel_referral.case.person.uuid)
    return found


def panel_referrals_of(*, case: Case) -> list[PanelReferral]:
    """The case's panel referrals (the caller read the case through the one door)."""
    return list(case.panel_referrals.select_related("panel").order_by("-referred_at"))


# ---------------------------------------------------------------- measures


def panel_measures(*, panel: Panel, today: date | None = None) -> Measures:
    """The panel's figures (counts only, no person). The caller read the panel through the one door."""
    referrals = [
        ReferralFact(
            referred_on=timezone.localtime(r.referred_at).date(),
            heard_on=timezone.localtime(r.heard_at).date() if r.heard_at else None,
            repeat=r.repeat,
        )
        for r in panel.referrals.all()
    ]
    actions = [
        ActionFact(
            agency=a.agency.name,
            due_on=a.due_on,
            done_on=timezone.localtime(a.done_at).date() if a.done_at else None,
        )
        for a in Action.objects.filter(panel_referral__panel=panel).select_related("agency")
    ]
    reviews = list(
        ReviewConsideration.objects.filter(panel_referral__panel=panel).values_list("commissioned", flat=True)
    )
    return measures(referrals, actions, today=today or timezone.localdate(), reviews=reviews)


def agency_choices(*, panel: Panel) -> list[Agency]:
    return [m.agency for m in panel.members.select_related("agency")]


def owners_for(*, panel: Panel) -> list[User]:
    """Colleagues who can own an action: casework staff of member agencies (partnership information)."""
    agencies = panel.members.values_list("agency_id", flat=True)
    return list(
        User.objects.filter(
            is_active=True, memberships__agency_id__in=agencies, memberships__role__in=[r.value for r in CASEWORK_ROLES]
        )
        .distinct()
        .order_by("name")
    )
