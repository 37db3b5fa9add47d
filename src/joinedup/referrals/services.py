"""The service directory and referrals: every write atomic, audited and on the timeline.

A referral is an accountable handshake: it needs consent or a sharing decision for `refer` to the receiving agency;
it must be answered by its respond-by time (working days); a decline gives a reason and an alternative and comes
back to the key worker as a task; an unanswered one escalates, once per level; nothing disappears silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.access.decision import actor_facts, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.domain.rules import escalation_level
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.selectors import person_facts, police_report_sent_for
from joinedup.cases.services import agency_knows_person, case_event, task_for_key_worker
from joinedup.cases.work import escalate_once
from joinedup.consent.services import consent_cover, consent_record
from joinedup.core.domain.calendar import add_working_days, working_days_between
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.incidents.selectors import incident_rows, perpetrator_relationships
from joinedup.people import linked
from joinedup.people.models import PersonAgencyLink
from joinedup.referrals.domain.openreferral import ServiceData, from_openreferral, to_openreferral
from joinedup.referrals.domain.suggestions import (
    INFORMATION_WORKING_DAYS,
    CaseFacts,
    Suggestion,
    consent_purpose_for,
    referral_groups,
    service_groups,
    suggest,
)
from joinedup.referrals.models import (
    OPEN_STATUSES,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReferralTransition,
    Service,
    Signpost,
)
from joinedup.risk.models import RiskAssessment
from joinedup.risk.selectors import risk_stored

SCHEMA_PATH = Path(__file__).resolve().parent / "standards" / "openreferral-uk" / "service.json"


@cache
def service_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def openreferral_problems(record: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or 'service'}: {e.message}"
        for e in service_validator().iter_errors(record)
    ]


# ---------------------------------------------------------------- the directory


def _data(service: Service) -> ServiceData:
    return ServiceData(
        uuid=str(service.uuid),
        name=service.name,
        status=service.status,
        organization_uuid=str(service.organization_uuid) if service.organization_uuid else None,
        organization_name=service.organization_name,
        description=service.description,
        url=service.url,
        email=service.email,
        phone=service.phone,
        area=service.area,
        needs=list(service.needs),
        eligibility=service.eligibility,
        referral_route=service.referral_route,
        accepts_self_referral=service.accepts_self_referral,
        opening_times=service.opening_times,
        languages=list(service.languages),
        accessibility=service.accessibility,
        waiting_days=service.waiting_days,
        routine_working_days=service.routine_working_days,
        urgent_working_days=service.urgent_working_days,
        assured_date=service.assured_date,
        last_modified=service.last_modified,
        raw=dict(service.raw),
    )


def service_to_openreferral(service: Service) -> dict[str, Any]:
    return to_openreferral(_data(service))


def services_import(
    *, records: list[dict[str, Any]], agency: Agency | None, actor: User | None, allow_owner_change: bool = False
) -> dict[str, int]:
    """Import Open Referral UK service records; a service already known (same id) is updated, not duplicated.
    Every record is validated first: one bad record stops the whole import, and nothing is stored.

    A known service keeps its owning agency unless `allow_owner_change`: otherwise a file reusing a public id
    could take over another agency's service, and its referrals would go elsewhere."""
    problems: list[str] = []
    parsed: list[ServiceData] = []
    for index, entry in enumerate(records):
        if not isinstance(entry, dict):
            problems.append(f"record {index + 1}: a service must be a JSON object")
            continue
        found = [f"record {index + 1}: {p}" for p in openreferral_problems(entry)]
        if found:
            # Only a record of the standard's shape is read further (the reading assumes that shape).
            problems.extend(found)
            continue
        data, more = from_openreferral(entry)
        problems.extend(f"record {index + 1}: {p}" for p in more)
        if data is not None:
            parsed.append(data)
    if problems:
        raise InvalidInput(
            "The file is not valid Open Referral UK. Nothing was imported.", fields={"services": problems[:50]}
        )
    if agency is not None and not allow_owner_change:
        owned = Service.objects.filter(uuid__in=[d.uuid for d in parsed]).exclude(agency=agency)
        taken = [f"{s.name} ({s.uuid}) belongs to {s.agency.name if s.agency else 'no agency'}" for s in owned]
        if taken:
            raise InvalidInput(
                "The file would move services to another agency. Nothing was imported. "
                "Check the file, or import again with --allow-owner-change if the move is intended.",
                fields={"services": taken[:50]},
            )
    moved = (
        Service.objects.filter(uuid__in=[d.uuid for d in parsed]).exclude(agency=agency).count()
        if agency is not None
        else 0
    )
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        for data in parsed:
            values: dict[str, Any] = {
                "organization_uuid": data.organization_uuid,
                "organization_name": data.organization_name,
                "name": data.name,
                "description": data.description,
                "status": data.status,
                "url": data.url,
                "email": data.email,
                "phone": data.phone,
                "needs": data.needs,
                "area": data.area,
                "eligibility": data.eligibility,
                "referral_route": data.referral_route,
                "accepts_self_referral": data.accepts_self_referral,
                "opening_times": data.opening_times,
                "languages": data.languages,
                "accessibility": data.accessibility,
                "waiting_days": data.waiting_days,
                "routine_working_days": data.routine_working_days,
                "urgent_working_days": data.urgent_working_days,
                "assured_date": data.assured_date,
                "last_modified": data.last_modified or timezone.now(),
                "raw": data.raw,
            }
            if agency is not None:
                values["agency"] = agency
            _, created = Service.objects.update_or_create(uuid=data.uuid, defaults=values)
            counts["created" if created else "updated"] += 1
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="referrals.service",
            summary=f"Directory import: {counts['created']} new, {counts['updated']} updated"
            + (f", {moved} moved to {agency.name}" if moved and agency is not None else ""),
        )
    return counts


def services_export() -> list[dict[str, Any]]:
    return [service_to_openreferral(s) for s in Service.objects.order_by("name", "id")]


# ---------------------------------------------------------------- suggestions


def case_facts_for(case: Case, *, risk: RiskAssessment | None = None) -> CaseFacts:
    """What the pathway rules need to know of the case. `risk` is the person's current assessment where the
    caller has read it already (the case page's header shows it), so it is not read twice."""

    rows = incident_rows(
        person=case.person,
        fields=(
            "id",
            "classification",
            "kinds",
            "location_kind",
            "impacts",
            "wanted_actions",
            "injuries",
            "dismissed_as_symptom",
            "police_aware",
            "hate_incident",
        ),
    )
    relationships = {relationship for _, relationship in perpetrator_relationships(incident_ids=[r[0] for r in rows])}
    if risk is None:
        risk = risk_stored(person=case.person)
    already = {
        s
        for s in Referral.objects.filter(case=case)
        .exclude(status__in=[ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN])
        .values_list("service__needs", flat=True)
        for s in (s or [])
    }
    return CaseFacts(
        possible_offences=frozenset(o["code"] for r in rows for o in r[1].get("possible_offences", [])),
        hate_incident=any(r[9] for r in rows),
        s42=frozenset(r[1].get("safeguarding", {}).get("s42_criteria_met") for r in rows),
        kinds=frozenset(k for r in rows for k in r[2]),
        relationships=frozenset(relationships),
        locations=frozenset(r[3] for r in rows if r[3]),
        impacts=frozenset(i for r in rows for i in r[4]),
        wanted=frozenset(w for r in rows for w in r[5]),
        injuries=any(r[6] for r in rows),
        dismissed_as_symptom=any(r[7] for r in rows),
        police_aware=True if any(r[8] is True for r in rows) else None,
        police_report_sent=police_report_sent_for(person=case.person),
        panel_criteria=frozenset(risk.panel_criteria) if risk else frozenset(),
        already=frozenset(already),
    )


def suggestions_for(case: Case, *, risk: RiskAssessment | None = None) -> list[tuple[Suggestion, list[Service]]]:
    found = suggest(case_facts_for(case, risk=risk))
    services = list(Service.objects.filter(status="active"))
    out = []
    for suggestion in found:
        # A service is offered for a need it meets; the panel suggestion goes only to a panel (a service meeting
        # no other need), so a safeguarding hub that also hosts the panel is not offered twice.
        matching = sorted(
            (
                s
                for s in services
                if suggestion.kind.value in s.needs
                and (suggestion.kind.value != "panel" or consent_purpose_for(s.needs) == "discuss_at_panel")
            ),
            key=lambda s: (s.waiting_days if s.waiting_days is not None else 99, s.name),
        )
        out.append((suggestion, matching))
    return out


def signpost_record(*, actor: User, case: Case, service: Service) -> Signpost:
    require(actor, "case.view", case, purpose="Signposting")
    with transaction.atomic():
        signpost = Signpost.objects.create(case=case, service=service, by=actor)
        contact = ", ".join(x for x in (service.phone, service.email, service.url) if x)
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.SIGNPOST,
            summary=f"Given the details of {service.name} ({service.organization_name})"
            + (f": {contact}" if contact else ""),
            actor=actor,
            agency=None,
            obj=signpost,
            action=AuditAction.CREATE,
            audit_summary=f"Signposted to {service.name}",
            groups=service_groups(service.needs),
        )
    return signpost


# ---------------------------------------------------------------- referrals


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def _groups(referral: Referral) -> frozenset[str]:
    """What the referral's timeline entries disclose (referrals/domain/suggestions.py referral_groups)."""
    needs = referral.service.needs if referral.service is not None else None
    return frozenset(str(g) for g in referral_groups(needs, agency_kind=str(referral.to_agency.kind)))


def _transition(referral: Referral, *, actor: User | None, to: str, note: str = "") -> None:
    ReferralTransition.objects.create(
        referral=referral, actor=actor, from_status=referral.status, to_status=to, note=note
    )
    referral.status = to


def _record_sent(
    *,
    actor: User,
    agency: Agency,
    case: Case,
    referral: Referral,
    basis: str,
    note: str,
    summary: str,
    audit_summary: str,
    notice: str,
) -> None:
    """What every sent referral and request for information leaves behind: its first history step, the case's
    timeline (with the field groups its words carry), and the receiving agency's people told there is one."""
    ReferralTransition.objects.create(referral=referral, actor=actor, from_status="", to_status="sent", note=note)
    case_event(
        person=case.person,
        case=case,
        kind=TimelineKind.REFERRAL,
        summary=summary,
        actor=actor,
        agency=agency,
        obj=referral,
        action=AuditAction.SHARE,
        audit_summary=audit_summary,
        groups=_groups(referral),
        basis=basis,
    )
    for lead in _agency_people(referral.to_agency, {"safeguarding_lead", "key_worker", "practitioner"})[:5]:
        notify_staff(user=lead, text=notice, url="/referrals/incoming")


def referral_send(
    *, actor: User, agency: Agency, case: Case, service: Service, reason: str, urgency: str = "routine"
) -> Referral:
    return referral_send_once(actor=actor, agency=agency, case=case, service=service, reason=reason, urgency=urgency)[0]


def _open_referral(case: Case, service: Service) -> Referral | None:
    return Referral.objects.filter(
        kind=ReferralKind.SERVICE, case=case, service=service, status__in=OPEN_STATUSES
    ).first()


def referral_send_once(
    *, actor: User, agency: Agency, case: Case, service: Service, reason: str, urgency: str = "routine"
) -> tuple[Referral, bool]:
    """Refer, once: while a referral to this service for this case is open, sending again returns it (and
    False) and sends nothing. The database holds the rule (one open referral per case and service), so two
    submits at the same moment also make one."""
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = ["Say why you are referring them"]
    if urgency not in {"routine", "urgent"}:
        problems["urgency"] = ["Urgency must be routine or urgent"]
    if service.agency_id is None:
        problems["service_id"] = ["This service takes no referrals through JoinedUp: signpost the person to it"]
    if service.status != "active":
        problems["service_id"] = [f"This service is {service.status}"]
    if problems:
        raise InvalidInput("The referral is not valid. Nothing was sent.", fields=problems)
    require(actor, "case.view", case, purpose="Referring")
    assert service.agency is not None  # noqa: S101 — checked above
    purpose = consent_purpose_for(service.needs or [])
    cover = consent_cover(person=case.person, purpose=purpose, recipient=service.agency, service_id=service.uuid)
    if not cover.covered:
        asked = "discussed at" if purpose == "discuss_at_panel" else "referred to"
        raise Conflict(
            f"{cover.reason} Ask the person whether they agree to be {asked} "
            f"{service.name} ({service.agency.name}), or ask a lead to record a sharing decision.",
            code="no_consent",
        )
    days = service.urgent_working_days if urgency == "urgent" else service.routine_working_days
    existing = _open_referral(case, service)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    case=case,
                    service=service,
                    to_agency=service.agency,
                    from_user=actor,
                    from_agency=agency,
                    reason=reason.strip(),
                    urgency=urgency,
                    respond_by=_end_of(add_working_days(timezone.localdate(), days)),
                )
        except IntegrityError:
            # Someone sent the same referral a moment ago (the constraint waited for their commit): theirs stands.
            first = _open_referral(case, service)
            if first is None:
                raise
            return first, False
        _record_sent(
            actor=actor,
            agency=agency,
            case=case,
            referral=referral,
            basis=cover.basis,
            note=f"{urgency.capitalize()} referral ({cover.basis})",
            summary=f"Referred to {service.name} ({service.agency.name}), answer due by "
            f"{timezone.localtime(referral.respond_by):%d %B %Y %H:%M}: {reason.strip()}",
            audit_summary=f"Referral sent to {service.agency.name}",
            notice=f"New {urgency} referral to {service.name}",
        )
    return referral, True


def _agency_people(agency: Agency, roles: set[str]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__agency=agency, memberships__role__in=roles)
        .distinct()
        .order_by("id")
    )


def referral_facts(referral: Referral) -> SubjectFacts:
    """The person's facts, and the agency the referral went to. Until it accepts, the receiving agency sees what
    its kind of work needs (minimum necessary), as if the person had agreed to share with it."""
    facts = person_facts(referral.case.person)
    kind = str(referral.to_agency.kind)
    return replace(
        facts,
        kind="referral",
        recipient_agency_ids=frozenset({referral.to_agency_id}),
        links=facts.links | {(referral.to_agency_id, "consent", kind)},
    )


def _for_recipient(actor: User, referral: Referral) -> Referral:
    require(actor, "referral.respond", referral, purpose="Answering a referral")
    # Lock the referral row only: a request for information has no service, so that join is an outer one, which
    # PostgreSQL will not lock.
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "case__person", "service", "to_agency")
        .get(pk=referral.pk)
    )


def referral_accept(*, actor: User, referral: Referral, named_contact: str) -> Referral:
    if not named_contact.strip():
        raise InvalidInput("Name who will contact them.", fields={"named_contact": ["Enter a named contact"]})
    with transaction.atomic():
        referral = _for_recipient(actor, referral)
        if referral.is_information_request:
            raise Conflict(
                "This is a request for information: answer it with the information, or decline it.",
                code="information_request",
            )
        if referral.status not in {ReferralStatus.SENT, ReferralStatus.OVERDUE}:
            raise Conflict(f"This referral is {referral.status}; it cannot be accepted now.", code="not_open")
        _transition(referral, actor=actor, to=ReferralStatus.ACCEPTED, note=f"Named contact: {named_contact.strip()}")
        referral.named_contact, referral.answered_at = named_contact.strip(), timezone.now()
        referral.save(update_fields=["status", "named_contact", "answered_at"])
        # Accepting gives the agency what the referral's purpose needs, through the access links.
        agency_knows_person(
            person=referral.case.person, agency=referral.to_agency, basis=PersonAgencyLink.Basis.REFERRAL
        )
        case_event(
            person=referral.case.person,
            case=referral.case,
            kind=TimelineKind.REFERRAL,
            summary=f"{referral.to_agency.name} accepted the referral to {referral.about}; named "
            f"contact {referral.named_contact}",
            actor=actor,
            agency=referral.to_agency,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary="Referral accepted",
            groups=_groups(referral),
        )
        notify_staff(
            user=referral.case.key_worker,
            text=f"{referral.to_agency.name} accepted the referral for {referral.case.person.display_name}.",
            url=f"/cases/{referral.case.uuid}",
        )
    return referral


def referral_decline(
    *, actor: User, referral: Referral, reason: str, alternative_service: Service | None = None, alternative: str = ""
) -> Referral:
    """A decline gives a reason and an alternative — both — and the work goes back to the key worker as a task."""
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = ["Say why you are declining"]
    if alternative_service is None and not alternative.strip():
        problems["alternative"] = ["Suggest another service or route: a decline is never a dead end"]
    if problems:
        raise InvalidInput("A decline needs a reason and an alternative. Nothing was saved.", fields=problems)
    with transaction.atomic():
        referral = _for_recipient(actor, referral)
        what = "request" if referral.is_information_request else "referral"
        if referral.status not in {ReferralStatus.SENT, ReferralStatus.OVERDUE}:
            raise Conflict(f"This {what} is {referral.status}; it cannot be declined now.", code="not_open")
        suggested = alternative_service.name if alternative_service else alternative.strip()
        _transition(referral, actor=actor, to=ReferralStatus.DECLINED, note=f"{reason.strip()} — try: {suggested}")
        referral.decline_reason, referral.alternative_service = reason.strip(), alternative_service
        referral.alternative, referral.answered_at = alternative.strip(), timezone.now()
        referral.save(update_fields=["status", "decline_reason", "alternative_service", "alternative", "answered_at"])
        case = referral.case
        task_for_key_worker(
            case=case,
            title=f"{'Request for information' if referral.is_information_request else 'Referral'} declined by "
            f"{referral.to_agency.name}: consider {suggested}",
            created_by=actor,
            due_on=add_working_days(timezone.localdate(), 1),
        )
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.REFERRAL,
            summary=f"{referral.to_agency.name} declined the {what}: {reason.strip()}. Suggested instead: {suggested}",
            actor=actor,
            agency=referral.to_agency,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary=f"{what.capitalize()} declined",
            groups=_groups(referral),
        )
        notify_staff(
            user=case.key_worker,
            text=f"{referral.to_agency.name} declined the {what} for "
            f"{case.person.display_name}: {reason.strip()}. Suggested: {suggested}",
            url=f"/cases/{case.uuid}",
        )
    return referral


def referral_withdraw(*, actor: User, referral: Referral, note: str = "") -> Referral:
    require(actor, "case.view", referral.case, purpose="Withdrawing a referral")
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("case", "case__person", "service", "to_agency")
            .get(pk=referral.pk)
        )
        if referral.status not in OPEN_STATUSES:
            raise Conflict(f"This referral is {referral.status}; it cannot be withdrawn.", code="not_open")
        _transition(referral, actor=actor, to=ReferralStatus.WITHDRAWN, note=note.strip())
        referral.save(update_fields=["status"])
        case_event(
            person=referral.case.person,
            case=referral.case,
            kind=TimelineKind.REFERRAL,
            summary=f"{referral.title} withdrawn{': ' + note.strip() if note.strip() else ''}",
            actor=actor,
            agency=None,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary=f"{referral.get_kind_display()} withdrawn",
            groups=_groups(referral),
        )
    return referral


def referral_complete(*, actor: User, referral: Referral, note: str = "") -> Referral:
    with transaction.atomic():
        referral = _for_recipient(actor, referral)
        if referral.status != ReferralStatus.ACCEPTED:
            raise Conflict("Only an accepted referral can be completed.", code="not_accepted")
        _transition(referral, actor=actor, to=ReferralStatus.COMPLETED, note=note.strip())
        referral.save(update_fields=["status"])
        case_event(
            person=referral.case.person,
            case=referral.case,
            kind=TimelineKind.REFERRAL,
            summary=f"{referral.to_agency.name} completed its work from the referral",
            actor=actor,
            agency=referral.to_agency,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary="Referral completed",
            groups=_groups(referral),
        )
        notify_staff(
            user=referral.case.key_worker,
            text=f"{referral.to_agency.name} completed its work for {referral.case.person.display_name}.",
            url=f"/cases/{referral.case.uuid}",
        )
    return referral


def open_referrals_for_case(case: Case) -> list[str]:
    return [
        f"{r.title} ({r.status})"
        for r in Referral.objects.filter(case=case, status__in=OPEN_STATUSES).select_related("service", "to_agency")
    ]


def referral_deadlines_check(today: date) -> dict[str, int]:
    """Unanswered referrals past their respond-by time become overdue and escalate: to the receiving agency's
    safeguarding leads, then (three working days on) to the lead partner's; the key worker is told. Once each."""

    now = _end_of(today) if today != timezone.localdate() else timezone.now()
    lead_partner = set(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    counts = {"overdue_referrals": 0, "referral_escalations": 0}
    due = Referral.objects.filter(status__in=[ReferralStatus.SENT, ReferralStatus.OVERDUE], respond_by__lt=now)
    for referral in due.select_related("case", "case__person", "case__key_worker", "service", "to_agency"):
        counts["overdue_referrals"] += 1
        if referral.status == ReferralStatus.SENT:
            with transaction.atomic():
                _transition(referral, actor=None, to=ReferralStatus.OVERDUE, note="Not answered by its respond-by time")
                referral.save(update_fields=["status"])
        due_day = timezone.localtime(referral.respond_by).date()
        level = max(
            1, escalation_level(due_on=due_day, today=today, working_days_overdue=working_days_between(due_day, today))
        )
        for step in range(1, level + 1):
            counts["referral_escalations"] += _escalate_referral(referral, step, lead_partner)
    return counts


def _escalate_referral(referral: Referral, level: int, lead_partner: set[int]) -> int:
    agencies = {referral.to_agency_id} if level == 1 else lead_partner
    leads = list(
        User.objects.filter(
            is_active=True, memberships__agency_id__in=agencies, memberships__role="safeguarding_lead"
        ).distinct()
    )
    recipients = [*leads, referral.case.key_worker] if level == 1 else leads
    note = (
        f"Unanswered {_unanswered(referral)} for "
        f"{referral.case.person.display_name}, due {timezone.localtime(referral.respond_by):%d %B %Y %H:%M}"
    )
    return escalate_once(
        item=referral,
        item_type="referral",
        level=level,
        case=referral.case,
        recipients=recipients,
        note=note,
        url_for=lambda user: "/referrals/incoming" if user in leads else f"/cases/{referral.case.uuid}",
    )


def _unanswered(referral: Referral) -> str:
    if referral.service is not None:
        return f"referral to {referral.service.name} ({referral.to_agency.name})"
    return f"request for information to {referral.to_agency.name}"


# ---------------------------------------------------------------- requests for information


def information_request_send(
    *, actor: User, agency: Agency, case: Case, to_agency: Agency, question: str, urgency: str = "routine"
) -> tuple[Referral, bool]:
    """Ask an agency believed to hold records of the person (linkage, through people.linked) what it knows. Needs
    consent to share with that agency, or a sharing decision naming it (409 `no_consent`). Once only: while a
    request to that agency is open for this case, asking again returns it (and False) and sends nothing. Answered
    like a referral: with the information, or declined with a reason and another route, by its respond-by time,
    escalated by check_deadlines when not (docs/adr/0010-information-requests-are-referrals.md)."""
    problems: dict[str, list[str]] = {}
    if not question.strip():
        problems["question"] = ["Say what you want to know, and why"]
    if urgency not in INFORMATION_WORKING_DAYS:
        problems["urgency"] = ["Urgency must be routine or urgent"]
    if problems:
        raise InvalidInput("The request is not valid. Nothing was sent.", fields=problems)
    require(actor, "case.view", case, purpose="Asking another agency for information")
    if case.status != "open":
        raise Conflict("This case is closed: reopen it, or open a new one, to ask for information.", code="case_closed")
    readers = actor_facts(actor).agency_ids
    asked = {a.agency_id for a in linked.agencies_elsewhere(case.person, reader_agencies=readers)}
    if to_agency.pk not in asked:
        raise InvalidInput(
            "Linkage has not found records of this person at that agency. Nothing was sent.",
            fields={"agency_id": ["Ask one of the agencies believed to hold records of them"]},
        )
    cover = consent_cover(person=case.person, purpose="share_with_agency", recipient=to_agency)
    if not cover.covered:
        raise Conflict(
            f"{cover.reason} Ask the person whether they agree that we share their details with {to_agency.name} "
            "to ask what it knows, or ask a lead to record a sharing decision.",
            code="no_consent",
        )
    existing = _open_request(case, to_agency)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = Referral.objects.create(
                    kind=ReferralKind.INFORMATION,
                    case=case,
                    service=None,
                    to_agency=to_agency,
                    from_user=actor,
                    from_agency=agency,
                    reason=question.strip(),
                    urgency=urgency,
                    respond_by=_end_of(add_working_days(timezone.localdate(), INFORMATION_WORKING_DAYS[urgency])),
                )
        except IntegrityError:
            first = _open_request(case, to_agency)
            if first is None:
                raise
            return first, False
        _record_sent(
            actor=actor,
            agency=agency,
            case=case,
            referral=request,
            basis=cover.basis,
            note=f"{urgency.capitalize()} request for information ({cover.basis})",
            summary=f"Asked {to_agency.name} for information, answer due by "
            f"{timezone.localtime(request.respond_by):%d %B %Y %H:%M}: {question.strip()}",
            audit_summary=f"Request for information sent to {to_agency.name}",
            notice=f"New {urgency} request for information",
        )
    return request, True


def _open_request(case: Case, agency: Agency) -> Referral | None:
    return Referral.objects.filter(
        kind=ReferralKind.INFORMATION, case=case, to_agency=agency, status__in=OPEN_STATUSES
    ).first()


def information_request_answer(*, actor: User, referral: Referral, information: str) -> Referral:
    """The asked agency answers with what it knows: the request is then complete, and the key worker (and whoever
    asked) is told. The answer is the agency's own account: shown only to readers who see the whole record."""
    if not information.strip():
        raise InvalidInput(
            "Write what you know. Nothing was saved.",
            fields={"information": ["Write the information you can share, or decline the request with a reason"]},
        )
    with transaction.atomic():
        referral = _for_recipient(actor, referral)
        if not referral.is_information_request:
            raise Conflict("This is a referral to a service: accept it or decline it.", code="not_information_request")
        if referral.status not in {ReferralStatus.SENT, ReferralStatus.OVERDUE}:
            raise Conflict(f"This request is {referral.status}; it cannot be answered now.", code="not_open")
        _transition(referral, actor=actor, to=ReferralStatus.COMPLETED, note="Answered with information")
        referral.information, referral.answered_at = information.strip(), timezone.now()
        referral.save(update_fields=["status", "information", "answered_at"])
        case = referral.case
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.REFERRAL,
            summary=f"{referral.to_agency.name} answered the request for information: read it on the request",
            actor=actor,
            agency=referral.to_agency,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary="Request for information answered",
            groups=_groups(referral),
        )
        told = {case.key_worker, referral.from_user}
        for user in sorted(told, key=lambda u: u.pk):
            notify_staff(
                user=user,
                text=f"{referral.to_agency.name} answered your request for information about "
                f"{case.person.display_name}.",
                url=f"/referrals/{referral.uuid}",
            )
    return referral


@dataclass(frozen=True)
class ConsentAsked:
    """What the person decided, asked in place on the page that asks other agencies for information."""

    decision: str  # "given" or "refused"
    has_capacity: bool
    note: str


@dataclass(frozen=True)
class Asked:
    sent: list[Referral]  # requests made now
    already_open: list[Referral]  # asked before and still open: nothing new was sent
    refused: list[Agency]  # the person did not agree: their refusal is recorded, nothing went to these agencies


def information_requests_send(
    *,
    actor: User,
    agency: Agency,
    case: Case,
    to_agencies: list[Agency],
    question: str,
    urgency: str = "routine",
    consent: ConsentAsked | None = None,
) -> Asked:
    """Ask several agencies at once. Where the person's consent was asked in place, it is recorded first — one
    consent to share with each agency not yet covered, each naming that agency (consent to one never covers
    another). A "no" is recorded and nothing goes to those agencies. All or nothing: an invalid consent or request
    saves nothing."""
    if not to_agencies:
        raise InvalidInput("Choose at least one agency. Nothing was sent.", fields={"agency_id": ["Choose who to ask"]})
    uncovered = [
        a
        for a in to_agencies
        if not consent_cover(person=case.person, purpose="share_with_agency", recipient=a).covered
    ]
    refused: list[Agency] = []
    result = Asked(sent=[], already_open=[], refused=refused)
    with transaction.atomic():
        if uncovered and consent is not None:
            for recipient in uncovered:
                consent_record(
                    actor=actor,
                    agency=agency,
                    person=case.person,
                    purpose="share_with_agency",
                    decision=consent.decision,
                    recipient=recipient,
                    has_capacity=consent.has_capacity,
                    capacity_note=consent.note,
                )
            if consent.decision != "given":
                refused.extend(uncovered)
        for recipient in to_agencies:
            if recipient in refused:
                continue
            request, sent = information_request_send(
                actor=actor, agency=agency, case=case, to_agency=recipient, question=question, urgency=urgency
            )
            (result.sent if sent else result.already_open).append(request)
    return result
