"""Reporting on to the police: only with consent or a sharing decision, with the person's words verbatim and only
what they agreed to when they report through a trusted organisation anonymously. Atomic, audited, on the timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.selectors import person_facts
from joinedup.cases.services import case_event
from joinedup.consent.services import consent_cover
from joinedup.core.domain import limits
from joinedup.core.domain.calendar import add_working_days
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.incidents.domain import vocabulary as v
from joinedup.incidents.models import Incident
from joinedup.incidents.selectors import account_told_by, incident_rows, incidents_of_person
from joinedup.police.domain.once import incident_key
from joinedup.police.domain.victims_code import (
    RIGHTS,
    Evidence,
    NchiAnswers,
    ReportFacts,
    enhanced_bases,
    nchi_decision,
    track,
)
from joinedup.police.models import PoliceReport, VictimsCodeEvidence
from joinedup.referrals.selectors import referrals_of

OUTCOMES = {
    "charged": "Charged",
    "summons": "Summonsed to court",
    "caution": "Caution",
    "community_resolution": "Community resolution",
    "nfa_evidential": "No further action: not enough evidence",
    "nfa_victim_does_not_support": "No further action: the victim does not support action",
    "nfa_other": "No further action: other reason",
}
CADENCES = ("weekly", "fortnightly", "monthly", "milestones")


def report_facts(report: PoliceReport) -> SubjectFacts:
    """The person's facts, and the force the report went to (which sees what its work needs)."""
    facts = person_facts(report.case.person)
    return replace(
        facts,
        kind="police_report",
        recipient_agency_ids=frozenset({report.police_id}),
        links=facts.links | {(report.police_id, "consent", "police")},
    )


def build_package(
    *, case: Case, incidents: list[Incident], anonymous: bool, third_party: bool, via: Agency, update_cadence: str
) -> dict[str, Any]:
    """What the police receive. Verbatim accounts; hostility as perceived and by whom; never more than agreed."""
    person = case.person
    contact = person.safe_contact or {}
    package: dict[str, Any] = {
        "reported_via": {"agency": via.name, "third_party": third_party},
        "anonymous_to_police": anonymous,
        # One entry per event: accounts of the same event (the person's, a friend's) travel together, each
        # verbatim, and the event counts once.
        "incidents": [
            {
                "id": str(i.uuid),
                "other_accounts": [
                    {
                        "id": str(a.uuid),
                        "told_by": _told_by(a),
                        "recorded": timezone.localtime(a.created_at).date().isoformat(),
                        "recorded_text": _day(timezone.localtime(a.created_at).date()),
                        "in_their_own_words": a.description,
                    }
                    for a in others
                ],
                "when": i.occurred_text,
                "where": v.label_of(v.LOCATIONS, i.location_kind) if i.location_kind else "Not recorded",
                "in_their_own_words": i.description,
                "kinds": [v.label_of(v.KINDS, k) for k in i.kinds],
                "perceived_hostility": {
                    "strands": [v.label_of(v.STRANDS, s) for s in i.strands],
                    "perceived_by": [v.label_of(v.PERCEIVED_BY, p) for p in i.perceived_by],
                    "note": "Hate crime is recorded on the perception of the victim or any other person.",
                },
                "possible_offences": [o["label"] for o in i.classification.get("possible_offences", [])],
                "perpetrators": [
                    {"relationship": v.label_of(v.RELATIONSHIPS, p.relationship), "details": p.details}
                    for p in i.perpetrators.all()
                ],
                "injuries": i.injuries,
                "impacts": [v.label_of(v.IMPACTS, m) for m in i.impacts],
                "happened_before": i.happened_before,
            }
            for i, others in events_of(incidents)
        ],
        "updates": {"cadence": update_cadence, "note": "How often the person wants to hear about the investigation"},
    }
    if not anonymous:
        package["victim"] = {
            "name": person.display_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "pronouns": person.pronouns,
            "communication_needs": person.communication_needs,
            "reasonable_adjustments": _adjustments(person.communication_needs),
            "safe_contact": {
                "allowed": contact.get("allowed", []),
                "notes": contact.get("notes", ""),
                "phone": person.phone
                if "phone" in contact.get("allowed", []) or "text" in contact.get("allowed", [])
                else "",
                "email": person.email if "email" in contact.get("allowed", []) else "",
                # The numbers and addresses the person allowed, and only those: an address only when letters or
                # visits are a safe way to reach them.
                "address": " ".join(x for x in (person.address, person.postcode) if x)
                if {"letter", "visit"} & set(contact.get("allowed", []))
                else "",
                "safe_hours": contact.get("safe_hours") or {},
                "no_voicemail": bool(contact.get("no_voicemail")),
            },
        }
    else:
        package["victim"] = {
            "anonymous": True,
            "contact_through": f"{via.name} (they will pass on anything for the person)",
        }
    return package


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _told_by(incident: Incident) -> str:
    return account_told_by(incident)


def event_key(incident: Incident) -> int:
    return incident.same_event_as_id or incident.pk


def events_of(incidents: list[Incident]) -> list[tuple[Incident, list[Incident]]]:
    """The chosen incidents grouped by event: each event's first account, and the other accounts chosen with it."""
    grouped: dict[int, list[Incident]] = {}
    for incident in sorted(incidents, key=lambda i: (i.created_at, i.pk)):
        grouped.setdefault(event_key(incident), []).append(incident)
    return [(accounts[0], accounts[1:]) for accounts in grouped.values()]


def _adjustments(needs: str) -> list[str]:
    hints = {
        "intermediary": "A registered intermediary",
        "appropriate adult": "An appropriate adult",
        "interpreter": "An interpreter",
        "bsl": "A BSL interpreter",
        "easy read": "Easy read information",
        "advocate": "Their advocate present",
    }
    found = [label for word, label in hints.items() if word in needs.lower()]
    return found or (["Ask them what would help"] if needs else [])


def _pending_report(case: Case, key: str) -> PoliceReport | None:
    return PoliceReport.objects.filter(case=case, incident_key=key, status=PoliceReport.Status.SENT).first()


def police_report_send(
    *,
    actor: User,
    agency: Agency,
    case: Case,
    incident_uuids: list[str],
    third_party: bool,
    anonymous: bool = False,
    update_cadence: str = "fortnightly",
    opted_out_of_support: bool = False,
) -> PoliceReport:
    return police_report_send_once(
        actor=actor,
        agency=agency,
        case=case,
        incident_uuids=incident_uuids,
        third_party=third_party,
        anonymous=anonymous,
        update_cadence=update_cadence,
        opted_out_of_support=opted_out_of_support,
    )[0]


def police_report_send_once(
    *,
    actor: User,
    agency: Agency,
    case: Case,
    incident_uuids: list[str],
    third_party: bool,
    anonymous: bool = False,
    update_cadence: str = "fortnightly",
    opted_out_of_support: bool = False,
) -> tuple[PoliceReport, bool]:
    """Report to the police, once: while a report of the same incidents for this case waits for the police
    (no crime reference or outcome yet), sending again returns it (and False) and sends nothing. The database
    holds the rule, so two submits at the same moment also make one."""
    problems: dict[str, list[str]] = {}
    if not incident_uuids:
        problems["incident_ids"] = ["Choose the incidents to report"]
    if update_cadence not in CADENCES:
        problems["update_cadence"] = [f"Choose how often they want updates: {', '.join(CADENCES)}"]
    if anonymous and not third_party:
        problems["anonymous"] = ["Only a report made through a trusted organisation can keep the person anonymous"]
    incidents = incidents_of_person(person=case.person, uuids=[str(u) for u in incident_uuids])
    if incident_uuids and len(incidents) != len(set(incident_uuids)):
        problems["incident_ids"] = ["Choose incidents from this person's record"]
    police = Agency.objects.filter(kind="police").order_by("id").first()
    if police is None:
        problems["police"] = ["The partnership has no police force to report to"]
    if problems:
        raise InvalidInput("The report is not ready. Nothing was sent.", fields=problems)
    assert police is not None  # noqa: S101 — checked above
    require(actor, "case.view", case, purpose="Reporting to the police")
    cover = consent_cover(person=case.person, purpose="report_to_police", recipient=police)
    if not cover.covered:
        raise Conflict(f"{cover.reason} Reporting to the police is their choice: ask them first.", code="no_consent")
    # Once only is by event: reporting another account of an event already waiting with the police is the same
    # report.
    key = incident_key(str(event_key(i)) for i in incidents)
    existing = _pending_report(case, key)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = PoliceReport.objects.create(
                    case=case,
                    police=police,
                    third_party=third_party,
                    anonymous_to_police=anonymous,
                    via_agency=agency,
                    update_cadence=update_cadence,
                    opted_out_of_support=opted_out_of_support,
                    created_by=actor,
                    incident_key=key,
                    package=build_package(
                        case=case,
                        incidents=incidents,
                        anonymous=anonymous,
                        third_party=third_party,
                        via=agency,
                        update_cadence=update_cadence,
                    ),
                )
        except IntegrityError:
            # The same report was sent a moment ago (the constraint waited for that commit): it stands.
            first = _pending_report(case, key)
            if first is None:
                raise
            return first, False
        report.incidents.set(incidents)
        VictimsCodeEvidence.objects.create(
            report=report,
            right=3,
            on=timezone.localdate(),
            by=actor,
            text=f"Reported through {agency.name}; given information when reporting",
        )
        how = "through a trusted organisation" + (", anonymously" if anonymous else "") if third_party else "directly"
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.POLICE_REPORT,
            summary=f"Reported to {police.name} {how}: {len(events_of(incidents))} incident(s)",
            actor=actor,
            agency=agency,
            obj=report,
            action=AuditAction.SHARE,
            audit_summary=f"Police report sent to {police.name}",
            basis=cover.basis,
        )
    return report, True


def _police_side(actor: User, report: PoliceReport) -> PoliceReport:
    require(actor, "police_report.respond", report, purpose="Police liaison")
    return (
        PoliceReport.objects.select_for_update()
        .select_related("case", "case__person", "case__key_worker")
        .get(pk=report.pk)
    )


def crime_reference_record(*, actor: User, report: PoliceReport, crime_reference: str) -> PoliceReport:
    if not crime_reference.strip():
        raise InvalidInput("Enter the crime reference.", fields={"crime_reference": ["Enter the crime reference"]})
    with transaction.atomic():
        report = _police_side(actor, report)
        if report.status != PoliceReport.Status.SENT:
            raise Conflict("This report already has a police outcome recorded.", code="already_recorded")
        report.crime_reference, report.status = crime_reference.strip(), PoliceReport.Status.CRIME_RECORDED
        report.save(update_fields=["crime_reference", "status"])
        VictimsCodeEvidence.objects.create(
            report=report,
            right=2,
            on=timezone.localdate(),
            by=actor,
            text=f"Crime recorded, reference {report.crime_reference}",
        )
        _tell(report, actor, f"Crime recorded by the police, reference {report.crime_reference}")
    return report


def non_crime_record(*, actor: User, report: PoliceReport, answers: NchiAnswers) -> PoliceReport:
    decision = nchi_decision(answers)
    with transaction.atomic():
        report = _police_side(actor, report)
        if report.status != PoliceReport.Status.SENT:
            raise Conflict("This report already has a police outcome recorded.", code="already_recorded")
        report.status = PoliceReport.Status.NON_CRIME
        report.non_crime = {
            "record": decision.record,
            "retain_subject_data": decision.retain_subject_data,
            "reasons": list(decision.reasons),
            "version": decision.version,
            "answers": answers.__dict__,
        }
        report.save(update_fields=["status", "non_crime"])
        _tell(report, actor, "The police recorded a non-crime outcome. " + " ".join(decision.reasons))
    return report


def outcome_record(*, actor: User, report: PoliceReport, outcome: str, reason: str) -> PoliceReport:
    problems: dict[str, list[str]] = {}
    if outcome not in OUTCOMES:
        problems["outcome"] = [f"Choose an outcome: {', '.join(OUTCOMES)}"]
    if outcome.startswith("nfa") and not reason.strip():
        problems["reason"] = ["Say why there will be no further action: the person has a right to know"]
    if problems:
        raise InvalidInput("The outcome is not complete. Nothing was saved.", fields=problems)
    with transaction.atomic():
        report = _police_side(actor, report)
        report.outcome, report.outcome_reason, report.status = outcome, reason.strip(), PoliceReport.Status.OUTCOME
        report.outcome_at = timezone.now()
        report.save(update_fields=["outcome", "outcome_reason", "status", "outcome_at"])
        _tell(
            report,
            actor,
            f"Police outcome: {OUTCOMES[outcome]}"
            + (f" — {reason.strip()}" if reason.strip() else "")
            + ". Explain it to the person.",
        )
    return report


def _tell(report: PoliceReport, actor: User, summary: str) -> None:
    case = report.case
    case_event(
        person=case.person,
        case=case,
        kind=TimelineKind.POLICE_REPORT,
        summary=summary,
        actor=actor,
        agency=report.police,
        obj=report,
        action=AuditAction.UPDATE,
        audit_summary=summary[:300],
    )
    notify_staff(user=case.key_worker, text=f"{case.person.display_name}: {summary}", url=f"/cases/{case.uuid}")


def evidence_record(
    *, actor: User, report: PoliceReport, right: int, text: str, on: date | None = None
) -> VictimsCodeEvidence:
    """Something done that meets a right (for example 'Update given by phone', 'Referred to victim support')."""
    if right not in {n for n, _ in RIGHTS}:
        raise InvalidInput("Unknown right.", fields={"right": ["Choose a right from 1 to 12"]})
    if not text.strip():
        raise InvalidInput("Say what was done.", fields={"text": ["Say what was done"]})
    if on is not None and (problem := limits.past_date_problem(on, today=timezone.localdate(), what="The date")):
        raise InvalidInput(problem + ".", fields={"on": [problem]})
    require(actor, "case.view", report.case, purpose="Victims' Code")
    with transaction.atomic():
        item = VictimsCodeEvidence.objects.create(
            report=report, right=right, text=text.strip()[:500], on=on or timezone.localdate(), by=actor
        )
        if right == 9 and report.outcome:
            report.outcome_explained_at = timezone.now()
            report.save(update_fields=["outcome_explained_at"])
        case_event(
            person=report.case.person,
            case=report.case,
            kind=TimelineKind.POLICE_REPORT,
            summary=f"Victims' Code right {right}: {item.text}",
            actor=actor,
            agency=None,
            obj=report,
            action=AuditAction.UPDATE,
            audit_summary=f"Victims' Code right {right} evidence",
        )
    return item


def tracker(report: PoliceReport) -> dict[str, Any]:
    """The 12 rights with status, evidence and due dates, and the enhanced-rights bases."""

    evidence = [Evidence(e.right, e.on, e.text) for e in report.evidence.all()]
    reported = timezone.localtime(report.created_at).date()
    for referral in referrals_of(case=report.case):
        if (
            referral.service is not None  # a request for information has no service
            and "victim_support" in referral.service.needs
            and referral.sent_at.date() >= reported
        ):
            evidence.append(
                Evidence(4, timezone.localtime(referral.sent_at).date(), f"Referred to {referral.service.name}")
            )
    person = report.case.person
    incidents = incident_rows(
        person=person,
        fields=("hate_incident", "strands", "kinds", "care_has_needs", "created_at", "same_event_as_id"),
    )
    year_ago = timezone.now() - timedelta(days=365)
    facts = ReportFacts(
        reported_on=reported,
        crime_reference=report.crime_reference,
        non_crime=report.status == PoliceReport.Status.NON_CRIME,
        outcome=report.outcome,
        communication_needs=person.communication_needs,
        opted_out_of_support=report.opted_out_of_support,
        update_cadence=report.update_cadence,
        outcome_on=timezone.localtime(report.outcome_at).date() if report.outcome_at else None,
    )
    rights = track(facts, evidence, today=timezone.localdate(), support_due=add_working_days(reported, 2))
    bases = enhanced_bases(
        hate_incident=any(i[0] for i in incidents),
        incidents_last_year=sum(1 for i in incidents if i[4] >= year_ago and i[5] is None),  # events, once each
        vulnerable=any("disability" in i[1] or i[3] == "yes" for i in incidents),
        intimidated=any("threats" in i[2] for i in incidents),
    )
    return {"rights": rights, "enhanced": bases}


def overdue_rights_for(user: User) -> list[tuple[PoliceReport, list[str]]]:
    """Victims' Code rights overdue for people whose case the user holds (the 20 latest reports)."""
    found: list[tuple[PoliceReport, list[str]]] = []
    reports = (
        PoliceReport.objects.filter(case__key_worker=user, case__status="open")
        .select_related("case", "case__person")
        .order_by("-created_at")[:20]
    )
    for report in reports:
        late = [f"right {r.number}" for r in tracker(report)["rights"] if r.status == "overdue"]
        if late:
            found.append((report, late))
    return found
