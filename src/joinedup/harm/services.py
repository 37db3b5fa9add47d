"""Raising harm reports and taking them along the restorative route. Every write is atomic, access-checked and
audited; the history rows are the record and are never changed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.access.decision import actor_facts, decide, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.accounts.selectors import casework_agency
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.domain.rules import escalation_level
from joinedup.core.domain.calendar import working_days_between
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.followup.domain.rules import Named, passphrase_problems
from joinedup.followup.models import FollowUp
from joinedup.followup.services import follow_up_open
from joinedup.harm.domain.intake import ReportInput, report_problems
from joinedup.harm.domain.model import ReportedBy
from joinedup.harm.domain.route import (
    Status,
    Step,
    acknowledge_by,
    next_step,
    respond_by,
    serious_harm,
    transition_problems,
)
from joinedup.harm.models import HarmEscalation, HarmReport, HarmTransition
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.services import incident_record, public_report_submit
from joinedup.people.models import Person
from joinedup.people.selectors import own_person
from joinedup.referrals.models import Service

# Who hears about a new or overdue report in the agency that must answer it.
RESPONDER_LEADS = ("safeguarding_lead", "agency_admin")


def _lead_partner_ids() -> frozenset[int]:
    return frozenset(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))


def harm_report_facts(report: HarmReport) -> SubjectFacts:
    """The report is read by the agency it is about (to answer it) and overseen by the lead partner's leads. It is
    not the person's record: what it shows is the report alone, so no field groups of their record apply."""
    lead = _lead_partner_ids()
    return SubjectFacts(
        kind="harm_report",
        agency_ids=lead,
        lead_partner=bool(lead),
        recipient_agency_ids=frozenset({report.responder_agency_id}),
        person_ids=frozenset({report.person_id}) if report.person_id else frozenset(),
    )


def _responder(about_agency: Agency | None, about_service: Service | None) -> Agency:
    if about_service is not None and about_service.agency_id is not None:
        if about_agency is not None and about_agency.pk != about_service.agency_id:
            raise InvalidInput(
                "That service belongs to another agency.",
                fields={"about_service_id": ["Name the agency or the service, or make sure they match"]},
            )
        return about_service.agency  # type: ignore[return-value]
    if about_agency is not None:
        return about_agency
    # About the pathway itself (or a service with no partner agency): the lead partner answers for the pathway.
    lead = Agency.objects.filter(is_lead_partner=True).order_by("pk").first()
    if lead is None:
        raise Conflict("The partnership has no lead partner to answer reports yet.", code="no_lead_partner")
    return lead


def _people(agency_ids: set[int] | frozenset[int], roles: tuple[str, ...]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__agency_id__in=agency_ids, memberships__role__in=roles)
        .distinct()
        .order_by("pk")
    )


def _incident_reporter(reported_by: str) -> str:
    return {"person": "self", "practitioner": "practitioner"}.get(reported_by, "third_party")


def _authenticated(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


FOLLOW_UP_KIND = "harm_report"


def harm_report_raise(
    *,
    actor: User | Any | None,
    data: ReportInput,
    about_agency: Agency | None = None,
    about_service: Service | None = None,
    person: Person | None = None,
    passphrase: str = "",
) -> HarmReport:
    """Anyone raises harm caused by a service — the person, an advocate, a practitioner, or anonymously. Only
    those who may see a person's record may name them. Serious harm opens a safeguarding concern at once: for a
    named person, an incident on their case (which gets a key worker); otherwise a report to the hub. Someone who
    tells us anonymously may keep a way back with a passphrase (the same follow-up as anonymous reports)."""

    problems = report_problems(data)
    if passphrase and data.reported_by != ReportedBy.ANONYMOUS:
        problems["passphrase"] = ["A passphrase is for reports made without a name: leave it out"]
    elif passphrase:
        weak = passphrase_problems(passphrase)
        if weak:
            problems["passphrase"] = weak
    if problems:
        raise InvalidInput("Check what you entered.", fields=problems)
    signed_in = _authenticated(actor)
    require(signed_in, "harm_report.raise", purpose="Raising a harm report")
    own = actor_facts(signed_in).person_ids if signed_in is not None else frozenset()
    if person is None and data.reported_by == ReportedBy.PERSON and len(own) == 1:
        # The person, signed in to their own place, tells us themselves: it is their report, to follow there.
        person = own_person(next(iter(own)))
    elif person is not None and person.pk not in own:
        require(signed_in, "person.view", person, purpose="Naming the person in a harm report")
    responder = _responder(about_agency, about_service)
    serious = serious_harm(sources=frozenset(data.sources), ill_treatment_in_care=data.ill_treatment_in_care)
    anonymous = data.reported_by == ReportedBy.ANONYMOUS
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        report = HarmReport.objects.create(
            about_agency=about_agency if about_agency is not None else getattr(about_service, "agency", None),
            about_service=about_service,
            responder_agency=responder,
            person=person,
            reported_by=data.reported_by,
            # An anonymous report keeps no link to who raised it; the audit trail keeps who passed it on.
            raised_by=None if anonymous else signed_in,
            contact_name="" if anonymous else data.contact_name.strip()[:200],
            contact_detail="" if anonymous else data.contact_detail.strip()[:300],
            description=data.description.strip(),
            sources=list(dict.fromkeys(data.sources)),
            impacts=list(dict.fromkeys(data.impacts)),
            wants=list(dict.fromkeys(data.wants)),
            wants_other=data.wants_other.strip()[:500],
            ill_treatment_in_care=data.ill_treatment_in_care,
            update_cadence=data.update_cadence,
            advocacy_offered_at=now,
            advocacy_wanted=data.advocacy_wanted,
            speaking_up=data.speaking_up,
            received_at=now,
            acknowledge_by=acknowledge_by(today),
            serious=serious is not None,
            possible_offence=bool(serious and serious.possible_offence),
        )
        HarmTransition.objects.create(
            report=report,
            at=now,
            actor=None if anonymous else signed_in,
            from_status="",
            to_status=Status.RECEIVED,
            note="Independent advocacy offered",
        )
        if serious is not None:
            _raise_safeguarding(
                report=report, actor=signed_in, serious_reason=serious.reason, kinds=serious.incident_kinds
            )
        record(
            actor=signed_in,
            action=AuditAction.CREATE,
            obj=report,
            person_uuid=person.uuid if person is not None else None,
            summary=f"Harm report raised ({data.reported_by}) about {responder.name}"
            + ("; serious harm: safeguarding concern raised" if serious else ""),
        )
        if passphrase:
            report.follow_up = follow_up_open(kind=FOLLOW_UP_KIND, passphrase=passphrase)
            report.save(update_fields=["follow_up"])
        for user in _people({responder.pk}, RESPONDER_LEADS):
            notify_staff(
                user=user,
                text=f"A harm report about {responder.name}: acknowledge it by {report.acknowledge_by:%-d %B %Y}",
                url=f"/harm/reports/{report.uuid}",
                subject="JoinedUp: a harm report about your agency",
            )
    return report


def _raise_safeguarding(*, report: HarmReport, actor: User | None, serious_reason: str, kinds: tuple[str, ...]) -> None:
    about = report.about_service.name if report.about_service else report.responder_agency.name
    incident_data = IncidentInput(
        description=report.description,
        reported_by=_incident_reporter(report.reported_by),
        anonymous=report.reported_by == ReportedBy.ANONYMOUS,
        kinds=kinds,
        perpetrators=(PerpetratorInput(relationship="staff", details=f"Staff of {about}"[:300]),),
        impacts=tuple(report.impacts),
    )
    agency = casework_agency(actor) if actor is not None else None
    person = report.person
    if (
        person is not None
        and actor is not None
        and agency is not None
        and decide(actor, "incident.record_for", person).allowed
    ):
        incident = incident_record(actor=actor, agency=agency, person=person, data=incident_data)
        report.safeguarding_incident, report.safeguarding_case = incident, incident.case
        report.save(update_fields=["safeguarding_incident", "safeguarding_case"])
        return
    # No named person this reporter may record for: the hub receives it now, matches it and picks it up.
    passer_on = actor if actor is not None and decide(actor, "incident.record").allowed else None
    identity: dict[str, object] = (
        {}
        if report.reported_by == ReportedBy.ANONYMOUS
        else {"given_name": report.contact_name, "contact_notes": report.contact_detail}
    )
    item = public_report_submit(data=incident_data, identity=identity, actor=passer_on)
    report.safeguarding_incident, report.safeguarding_triage = item.incident, item
    report.save(update_fields=["safeguarding_incident", "safeguarding_triage"])
    record(actor=actor, action=AuditAction.CREATE, obj=report, summary=serious_reason)


def harm_report_transition(*, actor: User, report: HarmReport, step: Step) -> HarmReport:
    """One step along the route. 409 when it does not follow from where the report is; 400 when its details
    are missing (closing needs the person's view, or why it could not be asked)."""
    require(actor, "harm_report.respond", report, purpose="Answering a harm report")
    with transaction.atomic():
        report = HarmReport.objects.select_for_update().get(pk=report.pk)
        kind, fields = transition_problems(report.status, step)
        if kind == "conflict":
            raise Conflict(fields["to"][0], code="invalid_transition", fields=fields)
        if kind == "invalid":
            raise InvalidInput("Check what you entered.", fields=fields)
        now = timezone.now()
        to = Status(step.to)
        HarmTransition.objects.create(
            report=report,
            at=now,
            actor=actor,
            from_status=report.status,
            to_status=to,
            note=step.note.strip(),
            minimisations=list(dict.fromkeys(step.minimisations)),
            person_view=step.person_view.strip(),
            not_asked_reason=step.not_asked_reason.strip(),
        )
        report.status = to
        changed = ["status", "minimisations"]
        if to == Status.ACKNOWLEDGED:
            report.acknowledged_at, report.last_update_at = now, now
            report.respond_by = respond_by(timezone.localdate(now))
            changed += ["acknowledged_at", "last_update_at", "respond_by"]
        elif to == Status.INVESTIGATING:
            report.last_update_at = now
            changed.append("last_update_at")
        elif to == Status.RESPONDED:
            report.responded_at = now
            changed.append("responded_at")
        elif to == Status.CLOSED:
            report.closed_at = now
            report.person_view, report.not_asked_reason = step.person_view.strip(), step.not_asked_reason.strip()
            changed += ["closed_at", "person_view", "not_asked_reason"]
        report.minimisations = list(dict.fromkeys([*report.minimisations, *step.minimisations]))
        report.save(update_fields=changed)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=report,
            person_uuid=report.person.uuid if report.person_id else None,  # type: ignore[union-attr]
            summary=f"Harm report moved to {to.value}",
        )
        if report.raised_by_id and report.raised_by_id != actor.pk:
            notify_staff(
                user=report.raised_by,  # type: ignore[arg-type]
                text=f"The harm report you raised about {report.responder_agency.name} is now: "
                f"{to.value.replace('_', ' ')}",
                url="",
            )
    return report


def harm_report_update(*, actor: User, report: HarmReport, note: str) -> HarmReport:
    """The person is told how it is going, at the cadence they chose: a step that keeps the status."""
    require(actor, "harm_report.respond", report, purpose="Updating the person on a harm report")
    if not note.strip():
        raise InvalidInput("Say what the person was told.", fields={"note": ["Enter what you told the person"]})
    with transaction.atomic():
        report = HarmReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in {Status.ACKNOWLEDGED, Status.INVESTIGATING}:
            raise Conflict("Updates are given while the report is being looked into.", code="invalid_transition")
        now = timezone.now()
        HarmTransition.objects.create(
            report=report, at=now, actor=actor, from_status=report.status, to_status=report.status, note=note.strip()
        )
        report.last_update_at = now
        report.save(update_fields=["last_update_at"])
        record(actor=actor, action=AuditAction.UPDATE, obj=report, summary="The person was told how it is going")
    return report


def harm_keep_way_back(*, report_uuid: str, passphrase: str) -> FollowUp:
    """Straight after telling us anonymously (from the same browser), the reporter chooses a passphrase and is
    given a reference: their way back to the service's questions."""
    with transaction.atomic():
        report = HarmReport.objects.select_for_update().get(uuid=report_uuid)
        if report.follow_up_id is not None:
            raise Conflict("You have already chosen a passphrase for this report.", code="already_kept")
        if report.reported_by != ReportedBy.ANONYMOUS:
            raise Conflict("This report has a name: we reply the way it says.", code="not_anonymous")
        report.follow_up = follow_up_open(kind=FOLLOW_UP_KIND, passphrase=passphrase)
        report.save(update_fields=["follow_up"])
    return report.follow_up


def harm_report_of(follow_up: FollowUp) -> HarmReport:
    return HarmReport.objects.select_related("responder_agency").get(follow_up=follow_up)


def harm_told_of_answers(report: HarmReport) -> list[User]:
    """Besides whoever asked: the answering agency's leads, who hear of every new report too."""
    return _people({report.responder_agency_id}, RESPONDER_LEADS)


def harm_named_by_reporter(*, report: HarmReport, named: Named) -> None:
    """Someone who told us anonymously gives their name, who they are, and a safe way to reach them (called by
    the follow-up, inside its transaction). The report is theirs now: replies go the way they gave; what they
    told us stays as told. A step in the history that keeps the status records it."""
    report = HarmReport.objects.select_for_update().get(pk=report.pk)
    detail = "; ".join(p for p in (named.phone, named.email, named.contact_notes) if p)
    report.contact_name, report.contact_detail = named.name[:200], detail[:300]
    report.reported_by = named.who
    if named.who == ReportedBy.PRACTITIONER:
        report.speaking_up = True
    report.save(update_fields=["contact_name", "contact_detail", "reported_by", "speaking_up"])
    HarmTransition.objects.create(
        report=report,
        at=timezone.now(),
        actor=None,
        from_status=report.status,
        to_status=report.status,
        note="The person who told us without a name gave their name and a way to reach them",
    )
    record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=report,
        summary="The anonymous reporter gave their name and a way to reach them: replies now go to them",
        keep_address=False,
    )


def report_next_step(report: HarmReport) -> Any:
    return next_step(
        status=report.status,
        received_on=timezone.localdate(report.received_at),
        acknowledged_on=timezone.localdate(report.acknowledged_at) if report.acknowledged_at else None,
        last_update_on=timezone.localdate(report.last_update_at) if report.last_update_at else None,
        cadence=report.update_cadence,
    )


def harm_deadlines_check(today: date) -> dict[str, int]:
    """Overdue acknowledgements, updates to the person and responses escalate: to the answering agency's leads,
    then (three working days on) to the lead partner's safeguarding leads. Once per step, due date and level."""
    counts = {"overdue_harm_steps": 0, "harm_escalations": 0}
    lead_partner = _lead_partner_ids()
    open_reports = HarmReport.objects.exclude(status__in=[Status.CLOSED, Status.RESPONDED, Status.RESTORATIVE_MEETING])
    for report in open_reports.select_related("responder_agency"):
        step = report_next_step(report)
        if step.due_on is None or step.due_on >= today:
            continue
        counts["overdue_harm_steps"] += 1
        level = max(
            1,
            escalation_level(
                due_on=step.due_on, today=today, working_days_overdue=working_days_between(step.due_on, today)
            ),
        )
        for at_level in range(1, level + 1):
            counts["harm_escalations"] += _escalate(report, step.kind, step.due_on, at_level, lead_partner)
    return counts


def _escalate(report: HarmReport, step: str, due_on: date, level: int, lead_partner: frozenset[int]) -> int:
    recipients = (
        _people({report.responder_agency_id}, RESPONDER_LEADS)
        if level == 1
        else _people(lead_partner, ("safeguarding_lead",))
    )
    words = {"acknowledge": "acknowledged", "update": "updated", "respond": "answered"}[step]
    note = (
        f"{'Escalated to the lead partner: ' if level == 2 else ''}A harm report about {report.responder_agency.name} "
        f"was not {words} by {due_on:%-d %B %Y}"
    )
    try:
        with transaction.atomic():
            HarmEscalation.objects.create(
                report=report, step=step, due_on=due_on, level=level, to_users=[u.pk for u in recipients], note=note
            )
            for user in recipients:
                notify_staff(user=user, text=note, url=f"/harm/reports/{report.uuid}")
            record(
                actor=None,
                action=AuditAction.UPDATE,
                obj=report,
                summary=f"Overdue step '{step}' escalated (level {level})",
            )
    except IntegrityError:
        return 0  # already escalated at this level
    return 1
