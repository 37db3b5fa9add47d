"""Reading harm reports through the one door (access/door.py). The agency complained about reads the report alone
— what was said, what is wanted, how to reply — never the person's other records; a named person's access log
shows every look."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.access import door
from joinedup.access.decision import NotVisible, actor_facts
from joinedup.access.domain.policy import HARM_RESPONDER_ROLES, LEAD_ROLES, SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.core.domain.calendar import working_days_between
from joinedup.harm.domain.model import MINIMISATIONS, SOURCES, label_of
from joinedup.harm.domain.route import PERSON_STAGE, STATUS_LABELS, Status, note_for_person
from joinedup.harm.models import HarmEscalation, HarmReport, HarmTransition
from joinedup.referrals.models import Service
from joinedup.referrals.selectors import service_get

OPEN = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.RESPONDED, Status.RESTORATIVE_MEETING)


def _person_uuid(report: HarmReport) -> uuid.UUID | None:
    return report.person.uuid if report.person_id else None  # type: ignore[union-attr]


def harm_report_read(
    *, actor: User, report_uuid: uuid.UUID | str, purpose: str, action: str = "harm_report.view"
) -> tuple[HarmReport, door.Seen]:
    try:
        report = HarmReport.objects.select_related(
            "person", "about_agency", "about_service", "responder_agency", "safeguarding_case", "follow_up"
        ).get(uuid=report_uuid)
    except (HarmReport.DoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing
    seen = door.read(actor, action, report, purpose=purpose, person_uuid=_person_uuid(report))
    return report, seen


def inbox(*, actor: User, show: str = "open") -> QuerySet[HarmReport]:
    """Reports the actor's agencies must answer (and, for the lead partner's leads, every report), those waiting
    longest first. The caller audits the page it shows (`read_shown`)."""
    door.allow_list(actor, "harm_report.list", purpose="Harm reports")
    facts = actor_facts(actor)
    mine = Q(responder_agency_id__in=facts.agencies_with(HARM_RESPONDER_ROLES))
    lead = set(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    if facts.agencies_with(LEAD_ROLES) & lead:
        mine = Q()
    found = HarmReport.objects.filter(mine).select_related(
        "person", "about_agency", "about_service", "responder_agency"
    )
    found = found.filter(status__in=OPEN) if show == "open" else found.filter(status=Status.CLOSED)
    return found.order_by("acknowledge_by", "received_at", "id")


def read_shown(actor: User, reports: list[HarmReport], purpose: str) -> None:
    door.read_list(actor, objects=reports, purpose=purpose, person_uuid_of=_person_uuid)


def history_of(*, report: HarmReport) -> list[HarmTransition]:
    """The report's steps (the caller read the report through the one door)."""
    return list(report.history.select_related("actor"))


@dataclass(frozen=True)
class PersonStep:
    at: Any
    stage: str
    note: str


@dataclass(frozen=True)
class PersonReport:
    """A harm report as the person who made it follows it in their own place: where it is, what comes next and
    the words meant for them — never the service's working notes or who at the service did what."""

    uuid: Any
    about: str
    received_at: Any
    stage: str
    status: str
    acknowledge_by: date | None
    respond_by: date | None
    steps: tuple[PersonStep, ...]
    person_view: str


def reports_for_person(*, person: Any) -> list[PersonReport]:
    """The person's own harm reports (the caller read their record through the one door: `my.view`)."""
    reports = (
        HarmReport.objects.filter(person=person)
        .select_related("about_agency", "about_service", "responder_agency")
        .prefetch_related("history")
        .order_by("-received_at", "-id")
    )
    found = []
    for report in reports:
        steps = []
        for t in report.history.all():
            if t.from_status == "":
                continue  # received: shown as the date it was received
            meant = note_for_person(from_status=t.from_status, to_status=t.to_status, by_staff=t.actor_id is not None)
            stage = "An update for you" if t.from_status == t.to_status else STATUS_LABELS[Status(t.to_status)]
            if t.from_status == t.to_status and not meant:
                continue
            steps.append(PersonStep(at=t.at, stage=stage, note=t.note if meant else ""))
        about = (
            report.about_service.name
            if report.about_service
            else (report.about_agency.name if report.about_agency else "More than one service")
        )
        found.append(
            PersonReport(
                uuid=report.uuid,
                about=about,
                received_at=report.received_at,
                stage=PERSON_STAGE[Status(report.status)],
                status=report.status,
                acknowledge_by=report.acknowledge_by if report.status == Status.RECEIVED else None,
                respond_by=report.respond_by if report.status in {Status.ACKNOWLEDGED, Status.INVESTIGATING} else None,
                steps=tuple(steps),
                person_view=report.person_view,
            )
        )
    return found


def escalations_of(*, report: HarmReport) -> list[HarmEscalation]:
    return list(report.escalations.all())


def service_by_uuid(value: uuid.UUID | str) -> Service | None:
    return service_get(value)


# --- Measures: figures with no person in them ---------------------------------------------------------------------

# Counts below this are shown as "fewer than 5" so no one can be recognised from a small number (docs/api.md).
THRESHOLD = 5


@dataclass(frozen=True)
class Figure:
    measure: str
    group: str
    value: float | None
    suppressed: bool


def _count(measure: str, group: str, n: int) -> Figure:
    return Figure(measure, group, None if 0 < n < THRESHOLD else n, 0 < n < THRESHOLD)


def measures_facts() -> SubjectFacts:
    lead = frozenset(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    return SubjectFacts(kind="harm_measures", agency_ids=lead, lead_partner=bool(lead))


def measures(*, actor: User, since: date | None = None, until: date | None = None) -> list[Figure]:
    """Reports by source of harm and agency, time to acknowledge and to respond (working days, median), outcomes,
    lessons by minimisation and whether the person's view was heard at closure. De-identified: no person-level
    field, and small counts suppressed."""
    door.read(actor, "harm.measures", measures_facts(), purpose="Harm measures", summary="Harm figures")
    found = HarmReport.objects.select_related("responder_agency")
    if since:
        found = found.filter(received_at__date__gte=since)
    if until:
        found = found.filter(received_at__date__lte=until)
    rows = list(
        found.values_list(
            "sources",
            "responder_agency__name",
            "received_at",
            "acknowledged_at",
            "responded_at",
            "status",
            "person_view",
            "not_asked_reason",
            "minimisations",
            "serious",
        )
    )
    figures: list[Figure] = [_count("reports", "all", len(rows))]
    by_source = Counter(s for r in rows for s in r[0])
    figures += [_count("reports_by_source", label_of(SOURCES, c.value), by_source[c.value]) for c in SOURCES]
    by_agency = Counter(r[1] for r in rows)
    figures += [_count("reports_by_agency", name, n) for name, n in sorted(by_agency.items())]
    figures.append(_count("serious_harm", "safeguarding concern raised", sum(1 for r in rows if r[9])))
    local = timezone.localdate
    to_ack = [working_days_between(local(r[2]), local(r[3])) for r in rows if r[3]]
    to_respond = [working_days_between(local(r[2]), local(r[4])) for r in rows if r[4]]
    for measure, values in (("working_days_to_acknowledge", to_ack), ("working_days_to_respond", to_respond)):
        suppressed = 0 < len(values) < THRESHOLD
        figures.append(
            Figure(measure, "median", None if suppressed or not values else float(median(values)), suppressed)
        )
    by_status = Counter(r[5] for r in rows)
    figures += [_count("reports_by_stage", s.value, by_status[s.value]) for s in Status]
    lessons = Counter(m for r in rows for m in r[8])
    figures += [_count("lessons_by_minimisation", c.label, lessons[c.value]) for c in MINIMISATIONS]
    closed = [r for r in rows if r[5] == Status.CLOSED]
    figures.append(_count("closed_with_persons_view", "view heard", sum(1 for r in closed if r[6])))
    figures.append(_count("closed_with_persons_view", "could not be asked", sum(1 for r in closed if r[7])))
    return figures


def figures_as_dicts(figures: list[Figure]) -> list[dict[str, Any]]:
    return [f.__dict__ for f in figures]


def insights_counts(since: date | None) -> list[tuple[tuple[date, str, str, str], int]]:
    """Counts only, for the insights `harm` dashboard (insights/providers.py: insights registers this, as it sits
    above harm): ((day received, area, "harm_reports_by_source", source), n), each report once in "_total". A
    report holds no address, so its area is "unknown"."""
    found = HarmReport.objects.all()
    if since is not None:
        found = found.filter(received_at__date__gte=since)
    counts: Counter[tuple[date, str, str, str]] = Counter()
    for received_at, sources in found.values_list("received_at", "sources"):
        day = timezone.localdate(received_at)
        counts[(day, "unknown", "harm_reports_by_source", "_total")] += 1
        for source in dict.fromkeys(sources):
            counts[(day, "unknown", "harm_reports_by_source", source)] += 1
    return sorted(counts.items())
