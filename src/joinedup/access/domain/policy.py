"""The one access policy: who may do what to which record, and why.

Pure functions over plain facts (no Django). `decide` looks the action up in RULES; an action with no rule is
refused (default deny). Every Decision carries a plain-English reason and a machine-readable basis, which the
audit trail stores and the person can read in their access log.

`visible` says whether the actor may know the record exists at all. A refused action on an invisible record
answers 404 (not 403), so unrelated agencies cannot even learn that a person is known to the partnership.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from joinedup.access.domain.minimum import ALL, Group, groups_from_links
from joinedup.core.domain.partnership import CASEWORK_ROLES, Role

POLICY_VERSION = "2026.1"


@dataclass(frozen=True)
class ActorFacts:
    user_id: int | None
    authenticated: bool
    active: bool
    # (agency id, role) pairs the actor holds.
    roles: frozenset[tuple[int, Role]] = frozenset()
    # For a person using their own portal (role service_user): the person records that are theirs.
    person_ids: frozenset[int] = frozenset()

    @property
    def agency_ids(self) -> frozenset[int]:
        return frozenset(agency for agency, _ in self.roles)

    def has_role(self, role: Role, agency_id: int | None = None) -> bool:
        return any(r == role and (agency_id is None or a == agency_id) for a, r in self.roles)

    def agencies_with(self, roles: frozenset[Role]) -> frozenset[int]:
        return frozenset(a for a, r in self.roles if r in roles)


ANONYMOUS = ActorFacts(user_id=None, authenticated=False, active=False)


@dataclass(frozen=True)
class SubjectFacts:
    """What the policy needs to know about the record acted on. Apps build these for their models."""

    kind: str
    # The agency the record belongs to (for an agency: itself; for a user: the agencies they work in).
    agency_ids: frozenset[int] = frozenset()
    # For a user record: whose it is.
    user_id: int | None = None
    # Lead partner agencies (rule-set administration, escalations of last resort).
    lead_partner: bool = False
    # Users with a named relationship to the record: the key worker of the person's case.
    key_worker_ids: frozenset[int] = frozenset()
    # For a person's record (and records about one person): why each agency knows them, and what kind of agency
    # it is — (agency id, basis, agency kind). The minimum-necessary field groups are derived from these.
    links: frozenset[tuple[int, str, str]] = frozenset()
    # Whether the subject is (about) a person's record, so field groups apply to what is shown of it.
    personal: bool = False
    # For a referral or a police report: the agency (or force) it was sent to.
    recipient_agency_ids: frozenset[int] = frozenset()
    # The person record(s) the subject is about, so a person can be shown their own record and nobody else's.
    person_ids: frozenset[int] = frozenset()
    # For panel records (the multi-agency risk conference): its member agencies, its chair and coordinator.
    member_agency_ids: frozenset[int] = frozenset()
    manager_ids: frozenset[int] = frozenset()
    chair_ids: frozenset[int] = frozenset()
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


PARTNERSHIP = SubjectFacts(kind="partnership")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    visible: bool
    reason: str
    basis: str
    action: str = ""
    policy_version: str = POLICY_VERSION


def allow(reason: str, basis: str) -> Decision:
    return Decision(allowed=True, visible=True, reason=reason, basis=basis)


def deny(reason: str, basis: str, *, visible: bool = True) -> Decision:
    return Decision(allowed=False, visible=visible, reason=reason, basis=basis)


Rule = Callable[[ActorFacts, SubjectFacts], Decision]


def _signed_in(actor: ActorFacts) -> Decision | None:
    if not actor.authenticated:
        return deny("You need to sign in.", "not_authenticated", visible=False)
    if not actor.active:
        return deny("This account is not active.", "inactive_account", visible=False)
    return None


def _partnership_member(actor: ActorFacts, _subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if not actor.roles:
        return deny("You do not hold a role in any agency of the partnership.", "no_membership")
    return allow("Partnership members can see the partnership's agencies and colleagues.", "partnership_member")


def _own_profile(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if subject.user_id == actor.user_id:
        return allow("This is your own account.", "self")
    return deny("This is someone else's account.", "not_self", visible=False)


def _agency_admin_of_subject(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    admin_of = actor.agencies_with(frozenset({Role.AGENCY_ADMIN}))
    if admin_of & subject.agency_ids:
        return allow("Agency administrators manage their own agency's accounts.", "role:agency_admin")
    return deny("Only an administrator of this agency can do that.", "not_agency_admin")


def _lead_partner_admin(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if subject.lead_partner and actor.agencies_with(frozenset({Role.AGENCY_ADMIN})) & subject.agency_ids:
        return allow("Administrators of the lead partner agency manage the partnership.", "role:lead_admin")
    return deny("Only an administrator of the lead partner agency can do that.", "not_lead_admin")


def _caseworker(actor: ActorFacts, _subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(CASEWORK_ROLES):
        return allow("You work with people's records in a partner agency.", "casework_role")
    return deny("Your roles do not include work with people's records.", "no_casework_role")


def _knows_the_person(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Need-to-know for a person's record: the key worker, or a caseworker in an agency that knows them."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.user_id is not None and actor.user_id in subject.key_worker_ids:
        return allow("You are the key worker for this person's case.", "relationship:key_worker")
    if actor.agencies_with(CASEWORK_ROLES) & subject.agency_ids:
        return allow(
            "Your agency knows this person: it recorded what happened, holds their case or was asked to help.",
            "relationship:agency_knows_person",
        )
    # Not even the person's existence is disclosed to an unrelated agency.
    return deny("This record is not known to your agency.", "no_relationship", visible=False)


def _triage_hub_worker(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(CASEWORK_ROLES) & subject.agency_ids:
        return allow("You work in the hub that picks up reports made directly to the partnership.", "triage_hub")
    return deny("Only the partnership's hub picks up reports made directly to it.", "not_triage_hub", visible=False)


LEAD_ROLES = frozenset({Role.SAFEGUARDING_LEAD, Role.DATA_PROTECTION_LEAD})


def _sharing_lead(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Sharing without consent is decided only by a safeguarding or data protection lead who knows the person."""
    knows = _knows_the_person(actor, subject)
    if not knows.allowed:
        return knows
    if actor.agencies_with(LEAD_ROLES) & subject.agency_ids:
        return allow("Safeguarding and data protection leads decide on sharing without consent.", "role:sharing_lead")
    return deny(
        "Only a safeguarding lead or data protection lead can decide to share without consent.", "not_sharing_lead"
    )


def _access_log_reader(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Who looked at a record is shown to the person, their key worker and data protection leads."""
    knows = _knows_the_person(actor, subject)
    if not knows.allowed:
        return knows
    if actor.user_id is not None and actor.user_id in subject.key_worker_ids:
        return allow("You are the person's key worker.", "relationship:key_worker")
    if actor.agencies_with(frozenset({Role.DATA_PROTECTION_LEAD})) & subject.agency_ids:
        return allow("Data protection leads can see who looked at a record.", "role:data_protection_lead")
    return deny(
        "Only the person, their key worker and data protection leads can see who looked at this record.",
        "not_access_log_reader",
    )


def _subject_access_lead(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A subject access export holds everything about a person: only a data protection lead who knows them."""
    knows = _knows_the_person(actor, subject)
    if not knows.allowed:
        return knows
    if actor.agencies_with(frozenset({Role.DATA_PROTECTION_LEAD})) & subject.agency_ids:
        return allow(
            "Data protection leads answer requests for a copy of a person's records.", "role:data_protection_lead"
        )
    return deny("Only a data protection lead can export everything held about a person.", "not_data_protection_lead")


def _receiving_agency(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(CASEWORK_ROLES) & subject.recipient_agency_ids:
        return allow("The referral was sent to your agency.", "referral_recipient")
    return deny("This referral was not sent to your agency.", "not_referral_recipient", visible=False)


def _police_liaison(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(frozenset({Role.POLICE_LIAISON})) & subject.recipient_agency_ids:
        return allow("You are the police liaison for the force the report was sent to.", "role:police_liaison")
    return deny(
        "Only the receiving force's police liaison can record police outcomes.", "not_police_liaison", visible=False
    )


def _referral_reader(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A referral is read by the agency it was sent to (to answer it) and by those who may see the person (to
    follow it): the same rule on the web and in the API."""
    receiving = _receiving_agency(actor, subject)
    if receiving.allowed:
        return receiving
    return _knows_the_person(actor, subject)


def _police_report_reader(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A police report is read by the receiving force's liaison and by those who may see the person."""
    liaison = _police_liaison(actor, subject)
    if liaison.allowed:
        return liaison
    return _knows_the_person(actor, subject)


def _police_liaison_anywhere(actor: ActorFacts, _subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.has_role(Role.POLICE_LIAISON):
        return allow("You are a police liaison: reports sent to your force wait here.", "role:police_liaison")
    return deny("Only police liaison users have a police inbox.", "not_police_liaison", visible=False)


def _own_record(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A person using their own portal sees and changes their own record, and no one else's (404)."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.person_ids and actor.person_ids & subject.person_ids:
        return allow("This is your own record.", "self:person")
    return deny("This record is not yours.", "not_own_record", visible=False)


def _knows_or_own(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Consent is recorded by those who know the person, and by the person themselves (taking it back)."""
    own = _own_record(actor, subject)
    return own if own.allowed else _knows_the_person(actor, subject)


def _case_manager(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Handing over or closing a case: its key worker, or a safeguarding lead in an agency that knows the person."""
    knows = _knows_the_person(actor, subject)
    if not knows.allowed:
        return knows
    if actor.user_id is not None and actor.user_id in subject.key_worker_ids:
        return allow("You are the key worker for this case.", "relationship:key_worker")
    if actor.agencies_with(frozenset({Role.SAFEGUARDING_LEAD})) & subject.agency_ids:
        return allow("Safeguarding leads can act for a key worker who is away.", "role:safeguarding_lead")
    return deny("Only the key worker, or a safeguarding lead, can do that.", "not_case_manager")


def _addressee(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if subject.user_id == actor.user_id:
        return allow("It was sent to you.", "addressee")
    return deny("Only the person it was sent to can answer it.", "not_addressee", visible=False)


def _task_doer(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if subject.user_id == actor.user_id:
        return allow("It is your task.", "task_owner")
    if actor.user_id is not None and actor.user_id in subject.key_worker_ids:
        return allow("You are the key worker for this case.", "relationship:key_worker")
    knows = _knows_the_person(actor, subject)
    if not knows.allowed:
        return knows
    return deny("Only the task's owner or the key worker can complete it.", "not_task_owner")


def _insights_reader(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """De-identified figures: commissioners (who see nothing else), and any staff of the lead partner agency."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(frozenset({Role.COMMISSIONER})):
        return allow("Commissioners see the partnership's de-identified figures.", "role:commissioner")
    if subject.lead_partner and actor.agency_ids & subject.agency_ids:
        return allow("Staff of the lead partner agency see the partnership's figures.", "lead_partner_staff")
    return deny("Only commissioners and the lead partner's staff can see the partnership's figures.", "not_insights")


def _linkage_reviewer(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Possible matches show two agencies' records side by side, so only a data protection lead of the lead
    partner (which runs the partnership's linkage as its controller) reviews them."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if subject.lead_partner and actor.agencies_with(frozenset({Role.DATA_PROTECTION_LEAD})) & subject.agency_ids:
        return allow(
            "Data protection leads of the lead partner decide whether records at two agencies are one person.",
            "role:lead_data_protection_lead",
        )
    return deny(
        "Only a data protection lead of the lead partner agency can review possible matches.", "not_linkage_reviewer"
    )


def _linkage_operator(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """The run's figures (counts only, no personal data) for those who run and oversee it."""
    refused = _signed_in(actor)
    if refused:
        return refused
    overseers = actor.agencies_with(frozenset({Role.DATA_PROTECTION_LEAD, Role.AGENCY_ADMIN}))
    if subject.lead_partner and overseers & subject.agency_ids:
        return allow(
            "Administrators and data protection leads of the lead partner oversee linkage.", "role:lead_operator"
        )
    return deny(
        "Only an administrator or data protection lead of the lead partner agency can see linkage runs.",
        "not_linkage_operator",
    )


def _anyone(_actor: ActorFacts, _subject: SubjectFacts) -> Decision:
    """Harm caused by a service can be raised by anyone, signed in or not, named or anonymous (issue 16)."""
    return allow("Anyone can tell us a service harmed them or someone else.", "open_to_all")


HARM_RESPONDER_ROLES = CASEWORK_ROLES | frozenset({Role.AGENCY_ADMIN})


def _harm_responder(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A harm report is read and answered by the agency it is about (what it needs to respond: never the
    person's other records), and overseen by the lead partner's safeguarding and data protection leads."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(HARM_RESPONDER_ROLES) & subject.recipient_agency_ids:
        return allow("The report is about your agency, which must answer it.", "harm_responder")
    if subject.lead_partner and actor.agencies_with(LEAD_ROLES) & subject.agency_ids:
        return allow("Leads of the lead partner oversee every harm report.", "role:lead_partner_lead")
    return deny("This report is not for your agency.", "not_harm_responder", visible=False)


def _harm_inbox(actor: ActorFacts, _subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(HARM_RESPONDER_ROLES):
        return allow("Reports about your agency wait here.", "harm_responder")
    return deny("Only partner agency staff answer harm reports.", "not_harm_responder", visible=False)


def _harm_measures(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Figures about harm by services, with no person in them: commissioners and the lead partner's staff."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.has_role(Role.COMMISSIONER):
        return allow("Commissioners see the partnership's figures.", "role:commissioner")
    if subject.lead_partner and actor.agency_ids & subject.agency_ids:
        return allow("Lead partner staff see the partnership's figures.", "lead_partner_staff")
    return deny("Only commissioners and lead partner staff see these figures.", "not_measures_reader")


def _panel_manager(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.user_id is not None and actor.user_id in subject.manager_ids:
        return allow("You chair or coordinate this panel.", "role:panel_manager")
    if actor.agencies_with(CASEWORK_ROLES) & subject.member_agency_ids:
        return deny("Only the panel's chair or coordinator can do that.", "not_panel_manager")
    return deny("This panel does not include your agency.", "not_panel_member", visible=False)


def _panel_chair(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    managing = _panel_manager(actor, subject)
    if not managing.allowed:
        return managing
    if actor.user_id in subject.chair_ids and actor.has_role(Role.PANEL_CHAIR):
        return allow("You chair this panel.", "role:panel_chair")
    return deny("Only the panel's chair can record that.", "not_panel_chair")


def _panel_member(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A panel's agendas and research are for its chair, its coordinator and practitioners of its member agencies."""
    managing = _panel_manager(actor, subject)
    if managing.allowed:
        return managing
    if actor.agencies_with(CASEWORK_ROLES) & subject.member_agency_ids:
        return allow("Your agency is a member of this panel.", "panel_member")
    return managing


def _panel_member_agency(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Research is recorded by a member agency's practitioner (each agency brings what it knows)."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.agencies_with(CASEWORK_ROLES) & subject.member_agency_ids:
        return allow("Your agency is a member of this panel.", "panel_member")
    return deny("This panel does not include your agency.", "not_panel_member", visible=False)


def _panel_referrer(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Any member agency's practitioner who may see the person can refer them to the panel."""
    knows = _knows_the_person(actor, subject)
    if not knows.allowed:
        return knows
    if actor.agencies_with(CASEWORK_ROLES) & subject.member_agency_ids:
        return allow("Your agency is a member of the panel and knows this person.", "panel_member")
    return deny("Only a practitioner of a member agency can refer to this panel.", "not_panel_member")


def _panel_scheduler(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """Meeting dates are set by the panel's chair or coordinator, or by the lead partner's administrators who set
    the panel up (dates carry no one's details)."""
    managing = _panel_manager(actor, subject)
    if managing.allowed:
        return managing
    administering = _lead_partner_admin(actor, subject)
    return administering if administering.allowed else managing


# Agencies whose practitioners act as the person's advocate at the panel.
ADVOCATE_KINDS = frozenset({"advocacy", "victim_support"})


def _voice_bearer(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """The person does not attend the panel: their key worker, or an advocate from a member agency that knows
    them, records what they want and fear in their words [S24]."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.user_id is not None and actor.user_id in subject.key_worker_ids:
        return allow("You are the key worker for this person's case.", "relationship:key_worker")
    members = actor.agencies_with(CASEWORK_ROLES) & subject.member_agency_ids
    advocates = {agency for agency, _basis, kind in subject.links if kind in ADVOCATE_KINDS}
    if members & advocates:
        return allow("Your agency advocates for this person at the panel.", "panel_advocate")
    if members or (actor.user_id is not None and actor.user_id in subject.manager_ids):
        return deny("Only the person's advocate or key worker brings their voice to the panel.", "not_voice_bearer")
    return deny("This panel does not include your agency.", "not_panel_member", visible=False)


def _minutes_reader(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A case's minutes go only to the agencies present for it (and the chair and coordinator who keep them)."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if actor.user_id is not None and actor.user_id in subject.manager_ids:
        return allow("You chair or coordinate this panel.", "role:panel_manager")
    if actor.agencies_with(CASEWORK_ROLES) & subject.recipient_agency_ids:
        return allow("Your agency was present when this case was heard.", "panel_present")
    return deny("Only the agencies present for this case can read its minutes.", "not_present", visible=False)


def _action_doer(actor: ActorFacts, subject: SubjectFacts) -> Decision:
    """A panel action is completed by its owner or a colleague in the owning agency (the agency owns it)."""
    refused = _signed_in(actor)
    if refused:
        return refused
    if subject.user_id is not None and subject.user_id == actor.user_id:
        return allow("It is your action.", "action_owner")
    if actor.agencies_with(CASEWORK_ROLES) & subject.recipient_agency_ids:
        return allow("Your agency owns this action.", "action_agency")
    if actor.user_id is not None and actor.user_id in subject.manager_ids:
        return deny("Only the owning agency can complete its action.", "not_action_owner")
    if actor.agencies_with(CASEWORK_ROLES) & subject.member_agency_ids:
        return deny("Only the owning agency can complete its action.", "not_action_owner")
    return deny("This action is not known to your agency.", "not_panel_member", visible=False)


RULES: dict[str, Rule] = {
    "partnership.view": _partnership_member,
    "agency.view": _partnership_member,
    "user.list": _partnership_member,
    "user.view": _partnership_member,
    "user.view_self": _own_profile,
    "user.manage": _agency_admin_of_subject,
    "agency.manage": _lead_partner_admin,
    "work.view": _caseworker,
    "person.create": _caseworker,
    "person.search": _caseworker,
    "incident.record": _caseworker,
    "person.view": _knows_the_person,
    "person.update": _knows_the_person,
    "incident.view": _knows_the_person,
    "incident.record_for": _knows_the_person,
    "risk.judge": _knows_the_person,
    "case.view": _knows_the_person,
    "referral.respond": _receiving_agency,
    "referral.view": _referral_reader,
    "referral.list": _caseworker,
    "police_report.respond": _police_liaison,
    "police_report.view": _police_report_reader,
    "police_inbox.view": _police_liaison_anywhere,
    "case.manage": _case_manager,
    "handover.respond": _addressee,
    "task.complete": _task_doer,
    "consent.record": _knows_or_own,
    "consent.view": _knows_or_own,
    "sharing.decide": _sharing_lead,
    "access_log.view": _access_log_reader,
    "person.subject_access": _subject_access_lead,
    "contact.send": _knows_the_person,
    "triage.view": _triage_hub_worker,
    "my.view": _own_record,
    "my.update": _own_record,
    # A person asking for a new sign-in link to be sent to them (their own record's contact rules decide where).
    "my.new_link": _own_record,
    "portal.invite": _case_manager,
    "triage.resolve": _triage_hub_worker,
    "insights.view": _insights_reader,
    "insights.export": _insights_reader,
    "insights.write_assessment": _insights_reader,
    "person.links.view": _knows_the_person,
    "linkage.review": _linkage_reviewer,
    "linkage.status": _linkage_operator,
    "harm_report.raise": _anyone,
    "harm_report.list": _harm_inbox,
    "harm_report.view": _harm_responder,
    "harm_report.respond": _harm_responder,
    "harm.measures": _harm_measures,
    "panel.setup": _lead_partner_admin,
    "panel.list": _partnership_member,
    "panel.view": _panel_member,
    "panel.manage": _panel_manager,
    "panel.review": _panel_chair,
    "panel.schedule": _panel_scheduler,
    "panel.voice": _voice_bearer,
    "panel.refer": _panel_referrer,
    "panel.research": _panel_member_agency,
    "panel_minutes.view": _minutes_reader,
    "panel_action.complete": _action_doer,
    "panel_action.list": _caseworker,
}


def decide(actor: ActorFacts, action: str, subject: SubjectFacts) -> Decision:
    rule = RULES.get(action)
    decision = deny(f"No rule allows '{action}'.", "no_rule", visible=False) if rule is None else rule(actor, subject)
    return Decision(
        allowed=decision.allowed,
        visible=decision.visible,
        reason=decision.reason,
        basis=decision.basis,
        action=action,
    )


def field_groups(actor: ActorFacts, subject: SubjectFacts) -> frozenset[Group]:
    """What of a person's record this actor may see (minimum necessary, Caldicott principle 3). Records that are
    not about a person carry no field groups: everything on them may be shown once the action is allowed."""
    if not subject.personal:
        return ALL
    if actor.person_ids & subject.person_ids:
        return ALL  # their own record (what is marked for them is decided by the portal's presenters)
    is_key_worker = actor.user_id is not None and actor.user_id in subject.key_worker_ids
    return groups_from_links(
        links=subject.links, actor_agencies=actor.agencies_with(CASEWORK_ROLES), is_key_worker=is_key_worker
    )
