"""Consent, capacity and sharing without consent (domain.md §7). Pure rules.

- Consent is per purpose and per named recipient (an agency, a service, or "any partner agency" when the person
  chooses that), given or refused, withdrawable at any time; the latest word for a purpose and recipient is the one
  that counts, and consent to one recipient never covers another.
- Sharing without consent needs a recorded decision by a safeguarding or data protection lead: lawful basis
  (UK GDPR art 6), special-category condition (art 9), consent status, necessity and proportionality, recipients,
  and whether the person will be told (and if not, why — a reason that comes up for review).
- Capacity is presumed and decision-specific (MCA 2005 s1); the note records how the person was supported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from joinedup.core.domain import limits

S_GDPR = "UK GDPR art 6 and art 9; ICO guidance [S41]-[S45]"
S_PARA18 = "DPA 2018 Schedule 1 paragraph 18, safeguarding of children and individuals at risk [S44]"
S_MCA = "Mental Capacity Act 2005 s1 [S47]"
S_CALDICOTT = "Caldicott principles [S46]"


class Purpose(StrEnum):
    SHARE_WITH_AGENCY = "share_with_agency"
    REFER = "refer"
    REPORT_TO_POLICE = "report_to_police"
    DISCUSS_AT_PANEL = "discuss_at_panel"
    CONTACT = "contact"


PURPOSE_LABELS = {
    Purpose.SHARE_WITH_AGENCY: "Share their record with an agency",
    Purpose.REFER: "Refer them to a service",
    Purpose.REPORT_TO_POLICE: "Report to the police",
    Purpose.DISCUSS_AT_PANEL: "Discuss them at the multi-agency risk panel",
    Purpose.CONTACT: "Contact them",
}


class ConsentStatus(StrEnum):
    """Why sharing goes ahead without consent."""

    REFUSED = "refused"
    NOT_SOUGHT_RISK = "not_sought_risk"  # seeking it would increase risk or prejudice protection
    INCAPABLE = "incapable"  # lacks capacity for this decision


LAWFUL_BASES = {
    "vital_interests": "Art 6(1)(d) vital interests — to protect someone's life",
    "public_task": "Art 6(1)(e) public task — a statutory function (for example Care Act s42)",
    "legal_obligation": "Art 6(1)(c) legal obligation",
    "legitimate_interests": "Art 6(1)(f) legitimate interests (not for public authorities' tasks)",
}
SPECIAL_CATEGORY_CONDITIONS = {
    "safeguarding_para18": "Art 9(2)(g) substantial public interest, DPA 2018 Sch 1 para 18 safeguarding",
    "health_social_care": "Art 9(2)(h) health or social care",
    "vital_interests": "Art 9(2)(c) vital interests, where the person cannot consent",
    "legal_claims": "Art 9(2)(f) legal claims or courts",
}


class RecipientKind(StrEnum):
    """Who a consent is for. Every consent names one; "any partner agency" is the person's own explicit choice."""

    AGENCY = "agency"
    SERVICE = "service"  # one service in the directory (and its agency, for that purpose)
    ANY_PARTNER = "any_partner"
    # Recorded before a recipient was required. It covers nobody until the person is asked again; a refusal of
    # this kind is still honoured as a refusal to everyone, because guessing in the person's favour means not sharing.
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class Recipient:
    kind: RecipientKind
    agency_id: int | None = None
    service_id: str | None = None  # the directory's id for the service (its UUID, as text)


def recipient_problems(*, agency_named: bool, service_named: bool, any_partner: bool) -> dict[str, list[str]]:
    """A consent names exactly one recipient: an agency, a service, or (the person's choice) any partner agency."""
    named = sum([agency_named, service_named, any_partner])
    if named == 0:
        return {
            "recipient": [
                "Say who this consent is for: an agency, a service, or any partner agency if that is what the "
                "person chose"
            ]
        }
    if named > 1:
        return {"recipient": ["Name one recipient: an agency, a service, or any partner agency — not more than one"]}
    return {}


def recipient_words(kind: str, *, agency_name: str = "", service_name: str = "") -> str:
    """Who a consent is for, in plain words for pages and the timeline."""
    if kind == RecipientKind.AGENCY:
        return agency_name
    if kind == RecipientKind.SERVICE:
        return f"{service_name} ({agency_name})" if agency_name else service_name
    if kind == RecipientKind.ANY_PARTNER:
        return "any partner agency (the person's own choice)"
    return "not said who it was for"


@dataclass(frozen=True)
class ConsentFact:
    purpose: str
    recipient: Recipient
    decision: str  # given | refused
    at: datetime
    withdrawn: bool = False


@dataclass(frozen=True)
class SharingFact:
    purpose: str
    recipient_agency_ids: frozenset[int]
    at: datetime
    service_id: str | None = None  # a decision made for one service covers that service, not its siblings


@dataclass(frozen=True)
class Cover:
    covered: bool
    basis: str  # "consent" | "sharing_decision" | "refused" | "withdrawn" | "unspecified" | "none"
    reason: str


def consent_applies(recipient: Recipient, *, agency_id: int | None, service_id: str | None) -> bool:
    """Does a consent for this recipient speak about sharing with this agency (and, for a referral, service)?

    Exactly, never by widening: an agency covers that agency and the services it runs; a service covers that
    service, and sharing with its agency where no particular service is asked about; "any partner agency" covers
    every partner because the person said so."""
    if recipient.kind in {RecipientKind.ANY_PARTNER, RecipientKind.UNSPECIFIED}:
        return True
    if recipient.kind == RecipientKind.AGENCY:
        return agency_id is not None and recipient.agency_id == agency_id
    if service_id is not None:
        return recipient.service_id == service_id
    return agency_id is not None and recipient.agency_id == agency_id


def _decision_applies(decision: SharingFact, *, agency_id: int | None, service_id: str | None) -> bool:
    if decision.service_id is not None and service_id is not None:
        return decision.service_id == service_id
    return agency_id is not None and agency_id in decision.recipient_agency_ids


def covers(
    *,
    purpose: str,
    recipient_agency_id: int | None,
    consents: list[ConsentFact],
    decisions: list[SharingFact],
    service_id: str | None = None,
) -> Cover:
    """Does a consent or a sharing decision cover this purpose for this recipient, right now?

    Consent to one recipient never covers another (consent_applies). The latest word among the consents that speak
    about this recipient wins; a withdrawn one counts as not given. A consent that did not say who it was for
    (recorded before recipients were required) neither gives nor takes away: it covers nobody. A sharing decision
    covers the recipients it names even where consent was refused — that is what it is for, and it is recorded
    and reviewed."""
    speaking = [
        c
        for c in consents
        if c.purpose == purpose and consent_applies(c.recipient, agency_id=recipient_agency_id, service_id=service_id)
    ]
    unspecified_given = [c for c in speaking if c.recipient.kind == RecipientKind.UNSPECIFIED and c.decision == "given"]
    relevant = [c for c in speaking if c not in unspecified_given]
    latest = max(relevant, key=lambda c: c.at, default=None)
    if latest is not None and latest.decision == "given" and not latest.withdrawn:
        return Cover(True, "consent", "The person agreed to this.")
    for decision in sorted(decisions, key=lambda d: d.at, reverse=True):
        if decision.purpose == purpose and _decision_applies(
            decision, agency_id=recipient_agency_id, service_id=service_id
        ):
            return Cover(True, "sharing_decision", "A recorded decision to share without consent covers this.")
    if latest is not None and latest.decision == "refused":
        return Cover(False, "refused", "The person said no to this. Only a recorded sharing decision can override it.")
    if latest is not None and latest.withdrawn:
        return Cover(False, "withdrawn", "The person withdrew their consent for this.")
    if any(not c.withdrawn for c in unspecified_given):
        return Cover(
            False,
            "unspecified",
            "A consent for this was recorded without saying who it was for, so it covers nobody. "
            "Ask the person again who they agree to.",
        )
    return Cover(False, "none", "There is no consent or sharing decision for this purpose and recipient yet.")


@dataclass(frozen=True)
class Para18Answers:
    """The guided checks for the DPA 2018 Sch 1 para 18 safeguarding condition."""

    necessary_to_protect: bool  # necessary to protect from neglect or harm, or to protect well-being
    care_and_support_needs: bool  # the three s42-style tests: the person is "at risk"
    experiencing_or_at_risk_of_harm: bool
    unable_to_protect_self: bool
    consent_status: str  # refused | not_sought_risk | incapable
    substantial_public_interest: bool


def para18_problems(answers: Para18Answers) -> list[str]:
    """Which para 18 requirements are not met (empty: the condition is available)."""
    problems = []
    if not answers.necessary_to_protect:
        problems.append("Sharing must be necessary to protect the person from harm or to protect their well-being.")
    if not (
        answers.care_and_support_needs and answers.experiencing_or_at_risk_of_harm and answers.unable_to_protect_self
    ):
        problems.append(
            "The person must be at risk: care and support needs, experiencing or at risk of harm, and "
            "unable to protect themselves because of those needs."
        )
    if answers.consent_status not in {s.value for s in ConsentStatus}:
        problems.append(
            "Consent must have been refused where refusal can be overridden, be impossible to seek "
            "without prejudicing protection, or the person must lack capacity to give it."
        )
    if not answers.substantial_public_interest:
        problems.append("It must be necessary for reasons of substantial public interest.")
    return problems


@dataclass(frozen=True)
class SharingInput:
    purpose: str
    recipient_agency_ids: tuple[int, ...]
    lawful_basis: str
    special_category_condition: str
    consent_status: str
    necessity: str
    tell_person: bool
    why_not_tell: str = ""
    review_on: date | None = None
    para18: Para18Answers | None = None
    service_id: str | None = None  # named instead of agencies: recipient_agency_ids then holds its agency


def sharing_problems(data: SharingInput, *, today: date) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if data.purpose not in {p.value for p in Purpose}:
        problems["purpose"] = [f"Purpose must be one of: {', '.join(p.value for p in Purpose)}"]
    if data.service_id is not None and not data.recipient_agency_ids:
        problems["service_id"] = ["This service receives nothing through JoinedUp: name the agencies to share with"]
    elif not data.recipient_agency_ids:
        problems["recipient_agency_ids"] = ["Name at least one agency to share with"]
    if data.lawful_basis not in LAWFUL_BASES:
        problems["lawful_basis"] = [f"Choose a lawful basis: {', '.join(LAWFUL_BASES)}"]
    if data.special_category_condition not in SPECIAL_CATEGORY_CONDITIONS:
        problems["special_category_condition"] = [
            f"Choose a special category condition: {', '.join(SPECIAL_CATEGORY_CONDITIONS)}"
        ]
    if data.consent_status not in {s.value for s in ConsentStatus}:
        problems["consent_status"] = ["Consent status must be refused, not_sought_risk or incapable"]
    if len(data.necessity.strip()) < 20:
        problems["necessity"] = ["Explain why sharing is necessary and proportionate (at least a sentence)"]
    if not data.tell_person:
        if not data.why_not_tell.strip():
            problems["why_not_tell"] = ["Say why telling the person would increase the risk"]
        if data.review_on is None or data.review_on <= today:
            problems["review_on"] = ["Set a date after today to review whether the person can now be told"]
    if data.review_on is not None and "review_on" not in problems:
        problem = limits.future_date_problem(data.review_on, today=today, what="The review date", allow_today=False)
        if problem:
            problems["review_on"] = [problem]
    if data.special_category_condition == "safeguarding_para18":
        if data.para18 is None:
            problems["para18"] = ["Answer the paragraph 18 checks to rely on the safeguarding condition"]
        else:
            para = para18_problems(data.para18)
            if para:
                problems["para18"] = para
    return problems


@dataclass(frozen=True)
class SelfChoice:
    """Something a person can agree to themselves, in their own place, in words a nine-year-old reads easily.

    `slug` is the address word; `recipient_kinds` limits which agencies they choose among (empty: any kind);
    `meeting` means the choice is for every agency at the safety meeting, which is the "any partner agency"
    recipient chosen by the person in exactly those words."""

    purpose: Purpose
    slug: str
    words: str
    hint: str
    recipient_kinds: frozenset[str] = frozenset()
    meeting: bool = False


# "contact" is not here: how to reach the person is their safe-contact rules, set with the key worker, and a
# refusal is made by taking a consent back (consent_withdraw), so a person only ever gives here.
SELF_CHOICES: tuple[SelfChoice, ...] = (
    SelfChoice(
        Purpose.SHARE_WITH_AGENCY,
        "share",
        "Let a service see what happened to me",
        "So you do not have to tell it all again.",
    ),
    SelfChoice(
        Purpose.REFER,
        "help",
        "Let my key worker ask a service to help me",
        "They will ask the service you choose.",
    ),
    SelfChoice(
        Purpose.REPORT_TO_POLICE,
        "police",
        "Let my key worker tell the police",
        "The police will get what you told us.",
        recipient_kinds=frozenset({"police"}),
    ),
    SelfChoice(
        Purpose.DISCUSS_AT_PANEL,
        "meeting",
        "Let services talk about how to keep me safe, at a meeting",
        "You do not go to the meeting. Your key worker tells them what you want.",
        meeting=True,
    ),
)


def self_choice(slug: str) -> SelfChoice | None:
    return next((c for c in SELF_CHOICES if c.slug == slug), None)


def self_choice_problems(choice: SelfChoice | None, *, recipient_kind: str | None) -> dict[str, list[str]]:
    """What is wrong with a person's own choice, in their words. `recipient_kind` is the kind of the agency they
    picked (None when they picked none)."""
    if choice is None:
        return {"purpose": ["Choose what you agree to"]}
    if choice.meeting:
        return {}
    if recipient_kind is None:
        return {"recipient": ["Choose a service"]}
    if choice.recipient_kinds and recipient_kind not in choice.recipient_kinds:
        return {"recipient": ["Choose a police service"]}
    return {}
