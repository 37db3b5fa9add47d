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
    "contact.send": _knows_the_person,
    "triage.view": _triage_hub_worker,
    "my.view": _own_record,
    "my.update": _own_record,
    "portal.invite": _case_manager,
    "triage.resolve": _triage_hub_worker,
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
