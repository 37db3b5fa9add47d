"""Recording, withdrawing and overriding consent. Atomic, audited, on the timeline; each change updates which
agencies know the person (the access links), so it takes effect immediately for every later read."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.selectors import open_case
from joinedup.cases.services import agency_knows_person, case_event
from joinedup.consent.directory import ServiceRecipient
from joinedup.consent.domain.rules import (
    PURPOSE_LABELS,
    ConsentFact,
    Cover,
    Purpose,
    Recipient,
    RecipientKind,
    SharingFact,
    SharingInput,
    covers,
    recipient_problems,
    recipient_words,
    sharing_problems,
)
from joinedup.consent.models import Consent, SharingDecision
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.people.models import Person, PersonAgencyLink
from joinedup.people.services import agency_forgets_person


def _open_case(person: Person) -> Case | None:
    return open_case(person=person)


def consent_record(
    *,
    actor: User,
    agency: Agency,
    person: Person,
    purpose: str,
    decision: str,
    recipient: Agency | None = None,
    service: ServiceRecipient | None = None,
    any_partner: bool = False,
    has_capacity: bool = True,
    capacity_note: str = "",
) -> Consent:
    """Record what the person decided, for one purpose and one named recipient: an agency, a directory service
    (found by the caller through consent.directory, so its agency is captured now), or any partner agency when the
    person chose exactly that. Anything else is invalid: consent to one recipient never stands for another."""
    problems: dict[str, list[str]] = recipient_problems(
        agency_named=recipient is not None, service_named=service is not None, any_partner=any_partner
    )
    if service is not None and service.agency is None:
        problems["service_id"] = [
            f"{service.name} receives nothing through JoinedUp (give the person its details instead)"
        ]
    if purpose not in {p.value for p in Purpose}:
        problems["purpose"] = [f"Purpose must be one of: {', '.join(p.value for p in Purpose)}"]
    if decision not in {"given", "refused"}:
        problems["decision"] = ["Decision must be given or refused"]
    if not capacity_note.strip():
        problems["capacity.note"] = ["Say how the person was supported to make this decision"]
    if not has_capacity and decision == "given":
        problems["capacity.has_capacity"] = [
            "A person who lacks capacity for this decision cannot consent to it. A safeguarding or data "
            "protection lead can record a best-interests decision to share instead."
        ]
    if problems:
        raise InvalidInput("The consent is not valid. Nothing was saved.", fields=problems)
    require(actor, "consent.record", person, purpose="Recording consent")
    if service is not None:
        kind, recipient = RecipientKind.SERVICE, service.agency
    else:
        kind = RecipientKind.AGENCY if recipient is not None else RecipientKind.ANY_PARTNER
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            purpose=purpose,
            recipient_kind=kind,
            recipient_agency=recipient,
            recipient_service_uuid=service.uuid if service else None,
            recipient_service_name=service.name if service else "",
            decision=decision,
            has_capacity=has_capacity,
            capacity_note=capacity_note.strip(),
            recorded_by=actor,
            recorded_by_agency=agency,
        )
        if purpose == Purpose.SHARE_WITH_AGENCY and recipient is not None:
            if decision == "given":
                agency_knows_person(person=person, agency=recipient, basis=PersonAgencyLink.Basis.CONSENT)
            else:
                _forget_consent_link(person, recipient)
        summary = f"Consent {decision}: {PURPOSE_LABELS[Purpose(purpose)].lower()} — {consent_for_words(consent)}"
        case_event(
            person=person,
            case=_open_case(person),
            kind=TimelineKind.CONSENT_CHANGED,
            summary=summary,
            actor=actor,
            agency=agency,
            obj=consent,
            action=AuditAction.CREATE,
            audit_summary=summary,
        )
    return consent


def consent_withdraw(*, actor: User, agency: Agency, consent: Consent, note: str = "") -> Consent:
    """Withdrawal takes effect at once: the recipient loses the access the consent gave."""
    require(actor, "consent.record", consent.person, purpose="Withdrawing consent")
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise Conflict("This consent was already withdrawn.", code="already_withdrawn")
        if consent.decision != "given":
            raise Conflict("Only consent that was given can be withdrawn.", code="not_given")
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
        consent.withdrawal_note = note.strip()[:500]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        if consent.purpose == Purpose.SHARE_WITH_AGENCY and consent.recipient_agency is not None:
            _forget_consent_link(consent.person, consent.recipient_agency)
        purpose_words = PURPOSE_LABELS[Purpose(consent.purpose)].lower()
        summary = f"Consent withdrawn: {purpose_words} — {consent_for_words(consent)}"
        case_event(
            person=consent.person,
            case=_open_case(consent.person),
            kind=TimelineKind.CONSENT_CHANGED,
            summary=summary,
            actor=actor,
            agency=agency,
            obj=consent,
            action=AuditAction.UPDATE,
            audit_summary=summary,
        )
    return consent


def _forget_consent_link(person: Person, agency: Agency) -> None:
    """The agency keeps the access a consent gave only while a consent naming it (or one of its services) to share
    still stands. "Any partner agency" never opens the record by itself: it covers sharing when someone shares."""
    naming = [
        _fact(c)
        for c in Consent.objects.filter(person=person, purpose=Purpose.SHARE_WITH_AGENCY, recipient_agency=agency)
    ]
    still = covers(purpose=Purpose.SHARE_WITH_AGENCY, recipient_agency_id=agency.pk, consents=naming, decisions=[])
    if not still.covered:
        agency_forgets_person(person=person, agency=agency, basis=PersonAgencyLink.Basis.CONSENT)


def consent_for_words(consent: Consent) -> str:
    """Who a consent is for, in plain words (pages, the timeline and the audit summary)."""
    return recipient_words(
        consent.recipient_kind,
        agency_name=consent.recipient_agency.name if consent.recipient_agency else "",
        service_name=consent.recipient_service_name,
    )


def _fact(c: Consent) -> ConsentFact:
    return ConsentFact(
        purpose=c.purpose,
        recipient=Recipient(
            kind=RecipientKind(c.recipient_kind),
            agency_id=c.recipient_agency_id,
            service_id=str(c.recipient_service_uuid) if c.recipient_service_uuid else None,
        ),
        decision=c.decision,
        at=c.recorded_at,
        withdrawn=c.withdrawn_at is not None,
    )


def sharing_decision_record(
    *, actor: User, agency: Agency, person: Person, data: SharingInput, service: ServiceRecipient | None = None
) -> SharingDecision:
    """Sharing without consent: only a safeguarding or data protection lead, with every justification recorded.
    Named agencies, or one directory service (the caller found it through consent.directory; its agency becomes
    the one recipient, and the decision covers that service, not the agency's others)."""
    if service is not None:
        data = replace(
            data,
            service_id=str(service.uuid),
            recipient_agency_ids=(service.agency.pk,) if service.agency else (),
        )
    problems = sharing_problems(data, today=timezone.localdate())
    recipients = list(Agency.objects.filter(pk__in=data.recipient_agency_ids))
    if len(recipients) != len(set(data.recipient_agency_ids)):
        problems.setdefault("recipient_agency_ids", []).append("One of the agencies named does not exist")
    if problems:
        raise InvalidInput("The sharing decision is not complete. Nothing was saved.", fields=problems)
    require(actor, "sharing.decide", person, purpose="Deciding to share without consent")
    with transaction.atomic():
        decision = SharingDecision.objects.create(
            person=person,
            purpose=data.purpose,
            lawful_basis=data.lawful_basis,
            special_category_condition=data.special_category_condition,
            consent_status=data.consent_status,
            necessity=data.necessity.strip(),
            para18=data.para18.__dict__ if data.para18 else {},
            tell_person=data.tell_person,
            why_not_tell=data.why_not_tell.strip(),
            review_on=data.review_on,
            service_uuid=service.uuid if service else None,
            service_name=service.name if service else "",
            decided_by=actor,
            decided_by_agency=agency,
        )
        decision.recipients.set(recipients)
        if data.purpose == Purpose.SHARE_WITH_AGENCY:
            for recipient in recipients:
                agency_knows_person(person=person, agency=recipient, basis=PersonAgencyLink.Basis.SHARING)
        names = ", ".join(r.name for r in recipients)
        if service is not None:
            names = f"{service.name} ({names})"
        told = "the person will be told" if data.tell_person else f"not told yet, reviewed on {data.review_on}"
        summary = (
            f"Decision to share without consent ({PURPOSE_LABELS[Purpose(data.purpose)].lower()}) with {names}; {told}"
        )
        case_event(
            person=person,
            case=_open_case(person),
            kind=TimelineKind.SHARING_DECISION,
            summary=summary,
            actor=actor,
            agency=agency,
            obj=decision,
            action=AuditAction.SHARE,
            audit_summary=summary,
            basis=f"{data.lawful_basis}; {data.special_category_condition}",
            reason=data.necessity.strip()[:300],
        )
    return decision


def consent_cover(*, person: Person, purpose: str, recipient: Agency | None, service_id: UUID | None = None) -> Cover:
    """The one question referrals, police reports, handovers and panels ask before they share: does a consent or
    a sharing decision cover this purpose for exactly this recipient — the agency, and for a referral the service
    (pass its directory id)? Consent to another agency or another service never counts."""
    consents = [_fact(c) for c in Consent.objects.filter(person=person, purpose=purpose)]
    decisions = [
        SharingFact(
            purpose=d.purpose,
            recipient_agency_ids=frozenset(r.pk for r in d.recipients.all()),
            at=d.decided_at,
            service_id=str(d.service_uuid) if d.service_uuid else None,
        )
        for d in SharingDecision.objects.filter(person=person, purpose=purpose).prefetch_related("recipients")
    ]
    return covers(
        purpose=purpose,
        recipient_agency_id=recipient.pk if recipient else None,
        service_id=str(service_id) if service_id else None,
        consents=consents,
        decisions=decisions,
    )


def shares_with_agency(person: Person, agency: Agency) -> bool:
    """Registered with cases.work.SHARING_COVER: may the person's record go to this agency (a handover)?"""
    return consent_cover(person=person, purpose="share_with_agency", recipient=agency).covered
