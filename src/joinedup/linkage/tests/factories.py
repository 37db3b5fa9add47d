"""A small linkage world without a Splink run: records in clusters of their own, then links between them, clustered
as a run or a decision would (services._recluster). For tests of what linkage's answers do elsewhere (risk, the case
page, requests for information); the engine itself is tested end to end in test_end_to_end.py."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink
from joinedup.linkage.services import _ordered, _recluster
from joinedup.people.models import Person, PersonAgencyLink

EXPLANATION = [
    {"comparison": "Starting point", "level": "Two records chosen at random are rarely the same person", "weight": -13},
    {"comparison": "First name", "level": "Same first name", "weight": 7.5},
    {"comparison": "Date of birth", "level": "Same date of birth", "weight": 9.0},
    {"comparison": "Address and postcode", "level": "Same address", "weight": 6.0},
]


class Linker:
    """Builds the linkage tables for a test, as a finished run would leave them."""

    def __init__(self) -> None:
        now = timezone.now()
        self.run = LinkageRun.objects.create(backend="duckdb", status="finished", started_at=now, finished_at=now)
        self._clusters = itertools.count(1_000)

    def person(self, person: Person) -> str:
        key = f"p:{person.uuid}"
        agencies = sorted(set(PersonAgencyLink.objects.filter(person=person).values_list("agency_id", flat=True)))
        ClusterMember.objects.create(
            run=self.run, record_key=key, agency=None, agency_ids=agencies, cluster=next(self._clusters)
        )
        return key

    def record(self, agency: Agency, source_id: str, **values: Any) -> str:
        now = timezone.now()
        record = AgencyRecord.objects.create(
            agency=agency, source_id=source_id, imported_at=now, updated_at=now, **values
        )
        key = f"a:{record.pk}"
        ClusterMember.objects.create(
            run=self.run, record_key=key, agency=agency, agency_ids=[agency.pk], cluster=next(self._clusters)
        )
        return key

    def link(self, left: str, right: str, status: str, weight: float = 9.5) -> RecordLink:
        """A scored pair; the clusters follow at once, as after a run or a decision."""
        first, second = _ordered(left, right)
        link = RecordLink.objects.create(
            left_key=first,
            right_key=second,
            run=self.run,
            match_weight=weight,
            match_probability=0.99,
            explanation=EXPLANATION,
            status=status,
        )
        _recluster([first, second])
        return link
