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
from joinedup.accounts.models import Agency, Membership, User
from joinedup.cases.models import Case
from joinedup.core.domain.partnership import CASEWORK_ROLES, Role
from joinedup.panels.domain.rules import (
    ActionFact,
    Measures,
    ReferralFact,
    criteria_for_reader,
    measures,
)
from joinedup.panels.models import (
    Action,
    Meeting,
    Minutes,
    Panel,
    PanelReferral,
    PersonsVoice,
    Research,
    ReviewConsideration,
)
from joinedup.panels.services import panel_referral_facts
from joinedup.risk.domain.rules import reason_groups

# The referrer's summary, the research and the actions speak of risk and what happened; the person's voice is
# their account; why the panel hears a case (its criteria, the person's vulnerability) is risk; a practitioner's
# reasons for their judgement are their own words about the person, for readers of the whole record only.
SUMMARY_GROUPS = frozenset({str(Group.RISK), str(Group.HARM)})
VOICE_GROUPS = frozenset({str(Group.ACCOUNT)})
CRITERIA_GROUPS = frozenset({str(Group.RISK)})
JUDGEMENT_GROUPS = frozenset(str(g) for g in reason_groups("professional_judgement"))


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


def panel_read_for_member_or_admin(*, actor: User, panel_uuid: uuid.UUID | str, purpose: str) -> Panel:
    """A panel's set-up (no case): for its members and managers, and for the lead partner's administrators."""
    panel: Panel = _get(Panel, uuid=panel_uuid)
    # An administrator reads the set-up; anyone else asks as a member (and a non-member gets 404).
    action = (
        "panel.setup"
        if not decide(actor, "panel.view", panel).allowed and decide(actor, "panel.setup", panel).allowed
        else "panel.view"
    )
    door.read(actor, action, panel, purpose=purpose)
    return panel


def referral_as_seen(*, referral: PanelReferral, groups: frozenset[str]) -> AgendaItem:
    """One referral as a reader may see it (read through the one door by the caller), without its meeting."""
    return AgendaItem(
        referral=referral,
        groups=groups,
        all_carried_actions=[],
        all_actions=[],
        all_research=[],
        minutes=None,
        minutes_held=False,
    )


def panel_for_setup(*, actor: User, panel_uuid: uuid.UUID | str, purpose: str) -> Panel:
    """A panel as its administrators see it: name, area, chair, coordinator, members, meeting dates — no case."""
    return panel_read(actor=actor, panel_uuid=panel_uuid, purpose=purpose, action="panel.setup")


def members_of(*, panel: Panel) -> list[tuple[Agency, User | None]]:
    return [(m.agency, m.representative) for m in panel.members.select_related("agency", "representative")]


def chairs() -> list[User]:
    """Colleagues who hold the panel chair role (partnership information)."""
    return list(User.objects.filter(is_active=True, memberships__role=Role.PANEL_CHAIR).distinct().order_by("name"))


def caseworkers_by_agency() -> dict[int, list[User]]:
    """Colleagues who work with people's records, by agency: who may coordinate or represent an agency."""
    rows = list(
        Membership.objects.filter(user__is_active=True, role__in=[r.value for r in CASEWORK_ROLES])
        .values_list("agency_id", "user_id")
        .distinct()
    )
    people = User.objects.in_bulk({user for _, user in rows})
    found: dict[int, set[User]] = {}
    for agency, user in rows:
        found.setdefault(agency, set()).add(people[user])
    return {agency: sorted(users, key=lambda p: (p.name, p.pk)) for agency, users in found.items()}


def agencies() -> list[Agency]:
    """The partnership's agencies (public information)."""
    return list(Agency.objects.order_by("name"))


def member_agency_of(*, actor: User, panel: Panel) -> Agency | None:
    """The member agency of this panel the actor works with people's records in (the first by name)."""
    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    member = panel.members.filter(agency_id__in=agencies).select_related("agency").order_by("agency__name").first()
    return member.agency if member else None


@dataclass(frozen=True)
class WaitingCase:
    uuid: uuid.UUID
    name: str
    referred_at: Any
    urgent: bool
    repeat: bool


def present_waiting(*, actor: User, referrals: list[PanelReferral]) -> list[WaitingCase]:
    """Cases waiting to be listed, as the chair or coordinator may see them (read through the one door by
    `waiting_to_be_listed`): a name only where the reader may see who they are."""
    return [
        WaitingCase(
            uuid=r.uuid,
            name=r.case.person.display_name
            if str(Group.IDENTITY) in door.groups_of(actor, panel_referral_facts(r))
            else "A person known to the partnership",
            referred_at=r.referred_at,
            urgent=r.urgent,
            repeat=r.repeat,
        )
        for r in referrals
    ]


def user_by_uuid(value: uuid.UUID | str) -> User | None:
    try:
        return User.objects.filter(uuid=value).first()
    except (ValueError, ValidationError):
        return None


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
    found = list(
        panel.referrals.filter(status="referred").select_related("case__person").order_by("-urgent", "referred_at")
    )
    door.read_list(actor, objects=found, purpose=purpose, person_uuid_of=lambda r: r.case.person.uuid)
    return found


# ---------------------------------------------------------------- the agenda


@dataclass
class AgendaItem:
    """One case on a meeting's agenda as one reader may see it (minimum necessary): everything a template, the
    API or the papers show of the case comes through these properties."""

    referral: PanelReferral
    groups: frozenset[str]
    all_carried_actions: list[Action]
    all_actions: list[Action]
    all_research: list[Research]
    minutes: Minutes | None
    minutes_held: bool
    present: list[str] = field(default_factory=list)
    can_research_as: list[Agency] = field(default_factory=list)
    # The reader's own casework agencies: what they wrote or own is always theirs to see.
    mine: frozenset[int] = frozenset()
    brought_voice: PersonsVoice | None = None
    can_voice: bool = False

    @property
    def name_shown(self) -> bool:
        return str(Group.IDENTITY) in self.groups

    @property
    def summary(self) -> str:
        """The referrer's summary speaks of risk and harm: shown only to a member who may see both."""
        return self.referral.summary if may_show(SUMMARY_GROUPS, self.groups) else HELD_ELSEWHERE

    @property
    def voice_shown(self) -> bool:
        """The person's own words (the account group)."""
        return may_show(VOICE_GROUPS, self.groups)

    @property
    def voice(self) -> PersonsVoice | None:
        """What their advocate or key worker brought, to be read first (the account group)."""
        return self.brought_voice if self.voice_shown else None

    @property
    def criteria_shown(self) -> bool:
        return may_show(CRITERIA_GROUPS, self.groups)

    @property
    def criteria(self) -> list[dict[str, str]]:
        """Why the panel hears it, each criterion with its rule; the referrer's reasons only for full readers."""
        if not self.criteria_shown:
            return []
        return criteria_for_reader(self.referral.criteria, reasons_shown=may_show(JUDGEMENT_GROUPS, self.groups))

    @property
    def vulnerability(self) -> list[str]:
        return list(self.referral.vulnerability) if self.criteria_shown else []

    def _theirs(self, agency_id: int) -> bool:
        return agency_id in self.mine or may_show(SUMMARY_GROUPS, self.groups)

    @property
    def research(self) -> list[Research]:
        """Each agency's research speaks of risk and harm: the reader's own, and others' where they may see both."""
        return [r for r in self.all_research if self._theirs(r.agency_id)]

    @property
    def actions(self) -> list[Action]:
        return [a for a in self.all_actions if self._theirs(a.agency_id)]

    @property
    def carried_actions(self) -> list[Action]:
        return [a for a in self.all_carried_actions if self._theirs(a.agency_id)]

    @property
    def research_held(self) -> bool:
        return len(self.research) < len(self.all_research)

    @property
    def actions_held(self) -> bool:
        return len(self.actions) < len(self.all_actions)

    @property
    def carried(self) -> bool:
        return bool(self.all_carried_actions)

    @property
    def held_back(self) -> bool:
        """Something of this case is not shown to this reader (said plainly, without saying what)."""
        return (
            not self.criteria_shown
            or not may_show(SUMMARY_GROUPS, self.groups)
            or bool(self.referral.judgement_reasons and not may_show(JUDGEMENT_GROUPS, self.groups))
            or (self.brought_voice is not None and not self.voice_shown)
            or len(self.research) < len(self.all_research)
            or len(self.actions) < len(self.all_actions)
        )


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
        # Listed for it, carried to it, or heard at it (a case heard again later is listed for the later meeting).
        PanelReferral.objects.filter(Q(meeting=meeting) | Q(pk__in=ids) | Q(minutes__meeting=meeting))
        .distinct()
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
    voices: dict[int, PersonsVoice] = {}
    for voice in PersonsVoice.objects.filter(panel_referral__in=referrals).select_related("by", "by_agency"):
        latest = voices.get(voice.panel_referral_id)
        if latest is None or (voice.at, voice.pk) > (latest.at, latest.pk):
            voices[voice.panel_referral_id] = voice
    items = []
    for referral in referrals:
        found = minutes.get(referral.pk)
        may_read = found is not None and decide(actor, "panel_minutes.view", found).allowed
        referral_facts = panel_referral_facts(referral)
        items.append(
            AgendaItem(
                referral=referral,
                groups=door.groups_of(actor, referral_facts),
                all_carried_actions=[a for a in carried if a.panel_referral_id == referral.pk],
                all_actions=[a for a in actions if a.panel_referral_id == referral.pk],
                all_research=[r for r in research if r.panel_referral_id == referral.pk],
                minutes=found if may_read else None,
                minutes_held=found is not None and not may_read,
                present=[a.name for a in found.present_agencies.all()] if found is not None and may_read else [],
                can_research_as=[members[a] for a in sorted(mine) if a in members],
                mine=mine,
                brought_voice=voices.get(referral.pk),
                can_voice=referral.status != "closed" and decide(actor, "panel.voice", referral_facts).allowed,
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
    return list(case.panel_referrals.select_related("panel", "meeting").order_by("-referred_at"))


def history_of(*, panel_referral: PanelReferral) -> list[Any]:
    """The referral's steps (the caller read it through the one door)."""
    return list(panel_referral.history.select_related("actor").order_by("at", "id"))


def open_actions_of(*, panel_referral: PanelReferral) -> list[Action]:
    """The caller read the referral through the one door (panel.manage)."""
    return list(panel_referral.actions.filter(done_at__isnull=True).select_related("agency", "owner"))


def voice_of(*, panel_referral: PanelReferral) -> PersonsVoice | None:
    """The latest voice brought for the referral (the caller read it through the one door, and shows it only
    where the account group is seen)."""
    return panel_referral.voices.select_related("by", "by_agency").order_by("-at", "-id").first()


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


def owner_choices(*, panel: Panel) -> list[tuple[str, str]]:
    """(colleague id, "Name (Agency)") for each colleague who works with people's records in a member agency."""
    rows = (
        Membership.objects.filter(
            agency__in=panel.members.values("agency_id"),
            user__is_active=True,
            role__in=[r.value for r in CASEWORK_ROLES],
        )
        .values_list("user__uuid", "user__name", "agency__name")
        .distinct()
        .order_by("user__name", "agency__name")
    )
    where: dict[tuple[str, str], list[str]] = {}
    for user_uuid, name, agency in rows:
        found = where.setdefault((str(user_uuid), name), [])
        if agency not in found:
            found.append(agency)
    return [(u, f"{name} ({', '.join(agencies)})") for (u, name), agencies in where.items()]


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


def in_a_panel(*, user: User, agencies: frozenset[int]) -> bool:
    """Whether the user's agency is a member of a panel, or they chair or coordinate one (no person)."""
    return Panel.objects.filter(Q(members__agency_id__in=agencies) | Q(chair=user) | Q(coordinator=user)).exists()


def open_action_count(*, agencies: frozenset[int]) -> int:
    """How many panel actions the agencies owe (a count, no person)."""
    return Action.objects.filter(done_at__isnull=True, agency_id__in=agencies).count()
