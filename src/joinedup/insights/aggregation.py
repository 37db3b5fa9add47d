"""The read-only aggregation queries behind every insight: the one place insights reads other apps' tables.

Why a query module and not the other apps' selectors: selectors answer for one actor about the records that actor
may see, and audit each person shown; a partnership-wide count is neither. This module instead
- only ever **reads** (values_list over indexed columns, streamed in chunks); it writes nothing anywhere;
- keeps person-level facts (which incidents belong to the same person, their postcode and date of birth) inside
  its own functions, only long enough to count them;
- **returns counts only**: `Counts`, a mapping (day, area, measure, group) → number, where area is a postcode
  district and every group is a code from `domain/dashboards.py` or a public agency name. No identifier, name,
  date of birth, postcode, or free text from a record ever leaves it (tests/test_no_person_level.py checks).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from joinedup.cases.models import Closure, Escalation, Task, TimelineEntry, TimelineKind
from joinedup.core.domain.calendar import add_working_days, bank_holidays
from joinedup.incidents.models import Incident
from joinedup.insights.domain.dashboards import age_band, area_of, first_contact_band
from joinedup.people.models import Person
from joinedup.police.domain.victims_code import Evidence, ReportFacts, track
from joinedup.police.models import PoliceReport, VictimsCodeEvidence
from joinedup.referrals.models import Referral, ReferralKind, ReferralStatus

Key = tuple[date, str, str, str]  # day, area, measure, group
Counts = Counter[Key]
TOTAL = "_total"  # each record counted once per measure: the total of tables whose groups overlap
REPEAT_WINDOW = timedelta(days=365)
CHUNK = 5000
Progress = Callable[[int], object]


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


class _People:
    """Area and date of birth per person id, loaded once and kept inside this module."""

    def __init__(self) -> None:
        self._area: dict[int, str] = {}
        self._born: dict[int, date | None] = {}
        for person_id, postcode, born in Person.objects.values_list("id", "postcode", "date_of_birth").iterator(
            chunk_size=CHUNK * 4
        ):
            self._area[person_id] = area_of(postcode)
            self._born[person_id] = born

    def area(self, person_id: int | None) -> str:
        return self._area.get(person_id, "unknown") if person_id is not None else "unknown"

    def born(self, person_id: int | None) -> date | None:
        return self._born.get(person_id) if person_id is not None else None


def _add(counts: Counts, day: date, area: str, measure: str, groups: Iterable[str]) -> None:
    counts[(day, area, measure, TOTAL)] += 1
    for group in groups:
        counts[(day, area, measure, group)] += 1


def count_all(
    *, since: date | None, now: datetime | None = None, progress: Progress | None = None
) -> tuple[Counts, int]:
    """Every count from `since` (inclusive; None: from the beginning), and how many records were read."""
    now = now or timezone.now()
    people = _People()
    counts: Counts = Counter()
    read = 0
    for step in (_incidents, _referrals, _escalations, _police, _closures):
        read += step(counts, people, since=since, now=now, progress=progress)
    return counts, read


def _contacts(since: date | None) -> dict[int, list[datetime]]:
    """First contacts are looked for after each incident; contacts before the window cannot be first contacts."""
    query = TimelineEntry.objects.filter(kind=TimelineKind.CONTACT)
    if since is not None:
        query = query.filter(at__date__gte=since)
    by_person: dict[int, list[datetime]] = {}
    for person_id, at in query.order_by("person_id", "at").values_list("person_id", "at").iterator(chunk_size=CHUNK):
        by_person.setdefault(person_id, []).append(at)
    return by_person


def _incidents(counts: Counts, people: _People, *, since: date | None, now: datetime, progress: Progress | None) -> int:
    contacts = _contacts(since)
    query = Incident.objects.all()
    if since is not None:  # a year's look-back, so repeats and escalations at the start of the window are right
        query = query.filter(created_at__date__gte=since - REPEAT_WINDOW)
    rows: Iterator[tuple[Any, ...]] = (
        query.order_by("person_id", "created_at", "id")
        .values_list(
            "person_id",
            "created_at",
            "strands",
            "kinds",
            "entry_setting",
            "entry_need",
            "location_kind",
            "reported_by",
            "severity",
        )
        .iterator(chunk_size=CHUNK)
    )
    read = 0
    previous: tuple[int | None, datetime, int] | None = None
    for person_id, created, strands, kinds, setting, need, location, reported_by, severity in rows:
        read += 1
        if progress and read % CHUNK == 0:
            progress(CHUNK)
        earlier = previous if previous is not None and person_id is not None and previous[0] == person_id else None
        previous = (person_id, created, severity)
        day = _day(created)
        if since is not None and day < since:
            continue
        area = people.area(person_id)
        _add(counts, day, area, "incidents_by_strand", strands or ["none_recorded"])
        _add(counts, day, area, "incidents_by_kind", kinds or ["other"])
        _add(counts, day, area, "incidents_by_pathway_cell", [f"{setting or 'not_recorded'}:{need or 'not_recorded'}"])
        _add(counts, day, area, "incidents_by_location", [location or "not_recorded"])
        _add(counts, day, area, "incidents_by_area", [area])
        _add(counts, day, area, "incidents_by_reporter", [reported_by])
        _add(counts, day, area, "incidents_by_age_band", [age_band(people.born(person_id), day)])
        repeat = earlier is not None and created - earlier[1] <= REPEAT_WINDOW
        _add(counts, day, area, "incidents_repeat", ["repeat" if repeat else "first"])
        escalation = "first" if earlier is None else "escalated" if severity > earlier[2] else "not_escalated"
        _add(counts, day, area, "incidents_escalation", [escalation])
        waited: int | None = None
        if person_id is not None and person_id in contacts:
            times = contacts[person_id]
            at = bisect.bisect_left(times, created)
            if at < len(times):
                waited = (_day(times[at]) - day).days
        _add(counts, day, area, "first_contact", [first_contact_band(waited)])
    if progress:
        progress(read % CHUNK)
    return read


def _referrals(counts: Counts, people: _People, *, since: date | None, now: datetime, progress: Progress | None) -> int:
    # Referrals to services; requests for information (linkage) are not referrals for help and are left out.
    query = Referral.objects.filter(kind=ReferralKind.SERVICE)
    if since is not None:
        query = query.filter(sent_at__date__gte=since)
    read = 0
    for sent, respond_by, answered, status, agency, urgency, person_id, alternative_service in query.values_list(
        "sent_at",
        "respond_by",
        "answered_at",
        "status",
        "to_agency__name",
        "urgency",
        "case__person_id",
        "alternative_service_id",
    ).iterator(chunk_size=CHUNK):
        read += 1
        day, area = _day(sent), people.area(person_id)
        if status == ReferralStatus.WITHDRAWN and answered is None:
            answer = "withdrawn"
        elif answered is not None:
            answer = "in_time" if answered <= respond_by else "late"
        else:
            answer = "overdue" if now > respond_by else "waiting"
        _add(counts, day, area, "referrals_answered", [answer])
        _add(counts, day, area, "referrals_by_urgency", [urgency])
        if status == ReferralStatus.DECLINED:
            _add(counts, day, area, "referral_declines_by_agency", [agency])
            alternative = "directory_service" if alternative_service else "other_route"
            _add(counts, day, area, "referral_declines_by_alternative", [alternative])
    return read


def _escalations(
    counts: Counts, people: _People, *, since: date | None, now: datetime, progress: Progress | None
) -> int:
    query = Escalation.objects.all()
    if since is not None:
        query = query.filter(at__date__gte=since)
    rows = list(query.values_list("at", "item_type", "item_id", "level"))
    referral_person = dict(
        Referral.objects.filter(id__in={i for _, t, i, _ in rows if t == "referral"}).values_list(
            "id", "case__person_id"
        )
    )
    task_person = dict(
        Task.objects.filter(id__in={i for _, t, i, _ in rows if t == "task"}).values_list("id", "case__person_id")
    )
    for at, item_type, item_id, level in rows:
        person_id = (referral_person if item_type == "referral" else task_person).get(item_id)
        _add(counts, _day(at), people.area(person_id), "escalations", [f"{item_type}_level_{min(level, 2)}"])
    return len(rows)


def _police(counts: Counts, people: _People, *, since: date | None, now: datetime, progress: Progress | None) -> int:
    query = PoliceReport.objects.all()
    if since is not None:
        query = query.filter(created_at__date__gte=since)
    reports = list(
        query.values_list(
            "id",
            "created_at",
            "status",
            "outcome",
            "crime_reference",
            "opted_out_of_support",
            "update_cadence",
            "case_id",
            "case__person_id",
            "case__person__communication_needs",
        )
    )
    if not reports:
        return 0
    ids = [r[0] for r in reports]
    evidence: dict[int, list[Evidence]] = {}
    for report_id, right, on in VictimsCodeEvidence.objects.filter(report_id__in=ids).values_list(
        "report_id", "right", "on"
    ):
        evidence.setdefault(report_id, []).append(Evidence(right, on, ""))
    support_referrals: dict[int, list[date]] = {}
    for case_id, sent, needs in Referral.objects.filter(case_id__in={r[7] for r in reports}).values_list(
        "case_id", "sent_at", "service__needs"
    ):
        if "victim_support" in (needs or []):
            support_referrals.setdefault(case_id, []).append(_day(sent))
    today = timezone.localdate(now)
    closed = bank_holidays(tuple(range(_day(min(r[1] for r in reports)).year - 1, today.year + 2)))
    for report_id, created, status, outcome, reference, opted_out, cadence, case_id, person_id, needs in reports:
        day, area = _day(created), people.area(person_id)
        _add(counts, day, area, "police_reports_by_status", [status])
        if outcome:
            _add(counts, day, area, "police_outcomes", [outcome])
        found = evidence.get(report_id, []) + [
            Evidence(4, on, "") for on in support_referrals.get(case_id, []) if on >= day
        ]
        facts = ReportFacts(
            reported_on=day,
            crime_reference=reference,
            non_crime=status == PoliceReport.Status.NON_CRIME,
            outcome=outcome,
            communication_needs=needs,
            opted_out_of_support=opted_out,
            update_cadence=cadence,
        )
        rights = track(facts, found, today=today, support_due=add_working_days(day, 2, closed))
        for status_now in rights:
            counts[(day, area, "victims_code_rights", f"right_{status_now.number}:{status_now.status}")] += 1
        counts[(day, area, "victims_code_rights", TOTAL)] += 1
    return len(reports)


def _closures(counts: Counts, people: _People, *, since: date | None, now: datetime, progress: Progress | None) -> int:
    query = Closure.objects.all()
    if since is not None:
        query = query.filter(closed_at__date__gte=since)
    read = 0
    for closed_at, met, safer, person_id in query.values_list(
        "closed_at", "outcomes_met", "person_feels_safer", "case__person_id"
    ).iterator(chunk_size=CHUNK):
        read += 1
        day, area = _day(closed_at), people.area(person_id)
        _add(counts, day, area, "case_outcomes_met", [met])
        _add(counts, day, area, "case_feels_safer", [safer])
    return read
