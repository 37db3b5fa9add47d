"""The access policy as a table: one row per rule, no database."""

from __future__ import annotations

import pytest

from joinedup.access.domain.policy import ANONYMOUS, PARTNERSHIP, RULES, ActorFacts, SubjectFacts, decide
from joinedup.core.domain.partnership import Role

GP, POLICE, LEAD = 1, 2, 3


def actor(*roles: tuple[int, Role], user_id: int = 10, active: bool = True) -> ActorFacts:
    return ActorFacts(user_id=user_id, authenticated=True, active=active, roles=frozenset(roles))


PRACTITIONER_AT_GP = actor((GP, Role.PRACTITIONER))
COMMISSIONER = actor((LEAD, Role.COMMISSIONER))
ADMIN_AT_LEAD = actor((LEAD, Role.AGENCY_ADMIN))
ADMIN_AT_GP = actor((GP, Role.AGENCY_ADMIN))
NO_ROLES = actor()
INACTIVE = actor((GP, Role.PRACTITIONER), active=False)
USER_10 = SubjectFacts(kind="user", user_id=10, agency_ids=frozenset({GP}))
USER_11 = SubjectFacts(kind="user", user_id=11, agency_ids=frozenset({GP}))
GP_AGENCY = SubjectFacts(kind="agency", agency_ids=frozenset({GP}))
LEAD_AGENCY = SubjectFacts(kind="agency", agency_ids=frozenset({LEAD}), lead_partner=True)

PERSON_KNOWN_TO_GP = SubjectFacts(kind="person", agency_ids=frozenset({GP}))
PERSON_KEPT_BY_10 = SubjectFacts(kind="person", agency_ids=frozenset({LEAD}), key_worker_ids=frozenset({10}))
HUB = SubjectFacts(kind="triage", agency_ids=frozenset({LEAD}))
PRACTITIONER_AT_LEAD = actor((LEAD, Role.PRACTITIONER), user_id=12)
PRACTITIONER_AT_POLICE = actor((POLICE, Role.PRACTITIONER), user_id=13)

CASES = [
    # (test id citing the rule, actor, action, subject, allowed, visible, basis)
    (
        "default-deny:unknown-action",
        PRACTITIONER_AT_GP,
        "person.delete",
        PARTNERSHIP,
        False,
        False,
        "no_rule",
    ),
    ("sign-in-required", ANONYMOUS, "partnership.view", PARTNERSHIP, False, False, "not_authenticated"),
    (
        "inactive-accounts-refused",
        INACTIVE,
        "partnership.view",
        PARTNERSHIP,
        False,
        False,
        "inactive_account",
    ),
    (
        "partnership:member-sees-agencies",
        PRACTITIONER_AT_GP,
        "partnership.view",
        PARTNERSHIP,
        True,
        True,
        "partnership_member",
    ),
    ("partnership:no-membership-refused", NO_ROLES, "user.list", PARTNERSHIP, False, True, "no_membership"),
    (
        "partnership:commissioner-sees-colleagues",
        COMMISSIONER,
        "user.list",
        PARTNERSHIP,
        True,
        True,
        "partnership_member",
    ),
    (
        "partnership:member-sees-an-agency",
        PRACTITIONER_AT_GP,
        "agency.view",
        GP_AGENCY,
        True,
        True,
        "partnership_member",
    ),
    (
        "partnership:member-sees-a-colleague",
        PRACTITIONER_AT_GP,
        "user.view",
        USER_11,
        True,
        True,
        "partnership_member",
    ),
    ("self:own-profile", PRACTITIONER_AT_GP, "user.view_self", USER_10, True, True, "self"),
    ("self:other-profile-invisible", PRACTITIONER_AT_GP, "user.view_self", USER_11, False, False, "not_self"),
    ("admin:own-agency-accounts", ADMIN_AT_GP, "user.manage", GP_AGENCY, True, True, "role:agency_admin"),
    (
        "admin:other-agency-accounts-refused",
        ADMIN_AT_LEAD,
        "user.manage",
        GP_AGENCY,
        False,
        True,
        "not_agency_admin",
    ),
    (
        "admin:practitioner-cannot-manage",
        PRACTITIONER_AT_GP,
        "user.manage",
        GP_AGENCY,
        False,
        True,
        "not_agency_admin",
    ),
    (
        "lead:lead-admin-manages-partnership",
        ADMIN_AT_LEAD,
        "agency.manage",
        LEAD_AGENCY,
        True,
        True,
        "role:lead_admin",
    ),
    ("lead:other-admin-refused", ADMIN_AT_GP, "agency.manage", LEAD_AGENCY, False, True, "not_lead_admin"),
    ("casework:practitioner", PRACTITIONER_AT_GP, "work.view", PARTNERSHIP, True, True, "casework_role"),
    (
        "casework:commissioner-sees-no-records",
        COMMISSIONER,
        "work.view",
        PARTNERSHIP,
        False,
        True,
        "no_casework_role",
    ),
    (
        "casework:admin-sees-no-records",
        ADMIN_AT_GP,
        "work.view",
        PARTNERSHIP,
        False,
        True,
        "no_casework_role",
    ),
    (
        "casework:practitioner-creates-people",
        PRACTITIONER_AT_GP,
        "person.create",
        PARTNERSHIP,
        True,
        True,
        "casework_role",
    ),
    ("casework:practitioner-searches", PRACTITIONER_AT_GP, "person.search", PARTNERSHIP, True, True, "casework_role"),
    (
        "casework:commissioner-cannot-search",
        COMMISSIONER,
        "person.search",
        PARTNERSHIP,
        False,
        True,
        "no_casework_role",
    ),
    ("casework:practitioner-records", PRACTITIONER_AT_GP, "incident.record", PARTNERSHIP, True, True, "casework_role"),
    (
        "need-to-know:agency-that-knows-the-person",
        PRACTITIONER_AT_GP,
        "person.view",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "need-to-know:unrelated-agency-cannot-know-they-exist",
        PRACTITIONER_AT_POLICE,
        "person.view",
        PERSON_KNOWN_TO_GP,
        False,
        False,
        "no_relationship",
    ),
    (
        "need-to-know:key-worker",
        PRACTITIONER_AT_GP,
        "person.update",
        PERSON_KEPT_BY_10,
        True,
        True,
        "relationship:key_worker",
    ),
    (
        "need-to-know:commissioner-sees-no-person",
        COMMISSIONER,
        "incident.view",
        PERSON_KNOWN_TO_GP,
        False,
        False,
        "no_relationship",
    ),
    (
        "need-to-know:record-for-a-known-person",
        PRACTITIONER_AT_GP,
        "incident.record_for",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "need-to-know:judge-risk-of-a-known-person",
        PRACTITIONER_AT_LEAD,
        "risk.judge",
        PERSON_KEPT_BY_10,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "consent:record-for-a-known-person",
        PRACTITIONER_AT_GP,
        "consent.record",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "consent:view-for-a-known-person",
        PRACTITIONER_AT_GP,
        "consent.view",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "S41-sharing:practitioner-cannot-override-consent",
        PRACTITIONER_AT_GP,
        "sharing.decide",
        PERSON_KNOWN_TO_GP,
        False,
        True,
        "not_sharing_lead",
    ),
    (
        "S41-sharing:safeguarding-lead-who-knows-the-person",
        actor((GP, Role.SAFEGUARDING_LEAD)),
        "sharing.decide",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "role:sharing_lead",
    ),
    (
        "S41-sharing:lead-elsewhere-cannot-know-they-exist",
        actor((POLICE, Role.DATA_PROTECTION_LEAD)),
        "sharing.decide",
        PERSON_KNOWN_TO_GP,
        False,
        False,
        "no_relationship",
    ),
    (
        "S46-access-log:key-worker",
        PRACTITIONER_AT_GP,
        "access_log.view",
        PERSON_KEPT_BY_10,
        True,
        True,
        "relationship:key_worker",
    ),
    (
        "S46-access-log:data-protection-lead",
        actor((GP, Role.DATA_PROTECTION_LEAD), user_id=20),
        "access_log.view",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "role:data_protection_lead",
    ),
    (
        "S46-access-log:other-practitioner-sees-the-record-not-the-log",
        PRACTITIONER_AT_GP,
        "access_log.view",
        PERSON_KNOWN_TO_GP,
        False,
        True,
        "not_access_log_reader",
    ),
    (
        "safe-contact:known-person",
        PRACTITIONER_AT_GP,
        "contact.send",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "case:view-known-person",
        PRACTITIONER_AT_GP,
        "case.view",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "case:key-worker-manages",
        PRACTITIONER_AT_GP,
        "case.manage",
        PERSON_KEPT_BY_10,
        True,
        True,
        "relationship:key_worker",
    ),
    (
        "case:safeguarding-lead-can-act-for-an-absent-key-worker",
        actor((GP, Role.SAFEGUARDING_LEAD), user_id=30),
        "case.manage",
        PERSON_KNOWN_TO_GP,
        True,
        True,
        "role:safeguarding_lead",
    ),
    (
        "case:other-practitioner-cannot-close",
        PRACTITIONER_AT_GP,
        "case.manage",
        PERSON_KNOWN_TO_GP,
        False,
        True,
        "not_case_manager",
    ),
    (
        "handover:only-the-addressee-answers",
        PRACTITIONER_AT_GP,
        "handover.respond",
        SubjectFacts(kind="handover", user_id=99),
        False,
        False,
        "not_addressee",
    ),
    (
        "handover:addressee",
        PRACTITIONER_AT_GP,
        "handover.respond",
        SubjectFacts(kind="handover", user_id=10),
        True,
        True,
        "addressee",
    ),
    (
        "task:owner-completes",
        PRACTITIONER_AT_GP,
        "task.complete",
        SubjectFacts(kind="task", user_id=10),
        True,
        True,
        "task_owner",
    ),
    (
        "task:colleague-cannot-complete",
        PRACTITIONER_AT_GP,
        "task.complete",
        SubjectFacts(kind="task", user_id=99, agency_ids=frozenset({GP})),
        False,
        True,
        "not_task_owner",
    ),
    (
        "referral:receiving-agency-answers",
        PRACTITIONER_AT_GP,
        "referral.respond",
        SubjectFacts(kind="referral", recipient_agency_ids=frozenset({GP})),
        True,
        True,
        "referral_recipient",
    ),
    (
        "referral:other-agencies-cannot-see-it",
        PRACTITIONER_AT_POLICE,
        "referral.respond",
        SubjectFacts(kind="referral", recipient_agency_ids=frozenset({GP})),
        False,
        False,
        "not_referral_recipient",
    ),
    (
        "police:liaison-of-the-receiving-force",
        actor((POLICE, Role.POLICE_LIAISON)),
        "police_report.respond",
        SubjectFacts(kind="police_report", recipient_agency_ids=frozenset({POLICE})),
        True,
        True,
        "role:police_liaison",
    ),
    (
        "police:other-officers-cannot-record-outcomes",
        PRACTITIONER_AT_POLICE,
        "police_report.respond",
        SubjectFacts(kind="police_report", recipient_agency_ids=frozenset({POLICE})),
        False,
        False,
        "not_police_liaison",
    ),
    (
        "referral:receiving-agency-reads-it (docs/access-and-audit.md)",
        PRACTITIONER_AT_GP,
        "referral.view",
        SubjectFacts(kind="referral", recipient_agency_ids=frozenset({GP}), agency_ids=frozenset({LEAD})),
        True,
        True,
        "referral_recipient",
    ),
    (
        "referral:an-agency-that-knows-the-person-follows-it",
        PRACTITIONER_AT_LEAD,
        "referral.view",
        SubjectFacts(kind="referral", recipient_agency_ids=frozenset({GP}), agency_ids=frozenset({LEAD})),
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "referral:anyone-else-gets-404",
        PRACTITIONER_AT_POLICE,
        "referral.view",
        SubjectFacts(kind="referral", recipient_agency_ids=frozenset({GP}), agency_ids=frozenset({LEAD})),
        False,
        False,
        "no_relationship",
    ),
    (
        "referral:lists-are-for-caseworkers",
        PRACTITIONER_AT_GP,
        "referral.list",
        PARTNERSHIP,
        True,
        True,
        "casework_role",
    ),
    (
        "police:liaison-reads-the-report",
        actor((POLICE, Role.POLICE_LIAISON)),
        "police_report.view",
        SubjectFacts(kind="police_report", recipient_agency_ids=frozenset({POLICE}), agency_ids=frozenset({GP})),
        True,
        True,
        "role:police_liaison",
    ),
    (
        "police:the-sending-side-follows-it",
        PRACTITIONER_AT_GP,
        "police_report.view",
        SubjectFacts(kind="police_report", recipient_agency_ids=frozenset({POLICE}), agency_ids=frozenset({GP})),
        True,
        True,
        "relationship:agency_knows_person",
    ),
    (
        "police:inbox-for-liaison-only",
        PRACTITIONER_AT_POLICE,
        "police_inbox.view",
        PARTNERSHIP,
        False,
        False,
        "not_police_liaison",
    ),
    (
        "police:inbox-for-a-liaison",
        actor((POLICE, Role.POLICE_LIAISON)),
        "police_inbox.view",
        PARTNERSHIP,
        True,
        True,
        "role:police_liaison",
    ),
    ("hub:hub-caseworker", PRACTITIONER_AT_LEAD, "triage.view", HUB, True, True, "triage_hub"),
    (
        "hub:other-agency-cannot-see-the-queue",
        PRACTITIONER_AT_GP,
        "triage.resolve",
        HUB,
        False,
        False,
        "not_triage_hub",
    ),
]


@pytest.mark.parametrize(
    ("actor_facts", "action", "subject", "allowed", "visible", "basis"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_decide(
    actor_facts: ActorFacts, action: str, subject: SubjectFacts, allowed: bool, visible: bool, basis: str
) -> None:
    decision = decide(actor_facts, action, subject)
    assert (decision.allowed, decision.visible, decision.basis) == (allowed, visible, basis)
    assert decision.reason, "every decision explains itself"
    assert decision.action == action


def test_every_rule_is_in_the_table() -> None:
    tested = {case[2] for case in CASES}
    assert set(RULES) - tested == set(), "add a row for each new rule"
