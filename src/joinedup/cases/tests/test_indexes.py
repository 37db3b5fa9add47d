"""My work's first page and people search are served by indexes on PostgreSQL (issue 20). The planner is told to
avoid sequential scans and sorts wherever it has any other way: if a plan still holds one, no index can serve the
query, which is what these tests guard. Small test tables cannot show timings; benchmarks/ measures those at 1M."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case
from joinedup.cases.selectors import my_cases, provisional_cases_query
from joinedup.incidents.services import incident_record_with_new_person
from joinedup.people.domain.matching import Identity
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.selectors import search_candidates

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are PostgreSQL's; SQLite has no EXPLAIN of this kind"
    ),
]


@pytest.fixture
def no_scans_if_avoidable() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")


@pytest.fixture
def caseload(nurse: User, gp: Agency, incident_input: Callable[..., Any]) -> None:
    for i in range(5):
        incident_record_with_new_person(
            actor=nurse,
            agency=gp,
            details=PersonDetails(given_name=f"Ada{i}", family_name=f"Lovelace{i}", postcode="EM1 2AB"),
            data=incident_input(),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE people_person")


def test_my_work_first_page_is_a_range_of_the_rank_index(
    nurse: User, caseload: None, no_scans_if_avoidable: None
) -> None:
    assert Case.objects.filter(key_worker=nurse).count() == 5
    plan = my_cases(user=nurse)[:25].explain()
    assert "case_key_worker_rank" in plan, plan
    assert "Sort" not in plan, plan
    assert "Seq Scan on cases_case" not in plan, plan


def test_cases_held_until_a_key_worker_is_chosen_come_from_their_own_index(
    nurse: User, caseload: None, no_scans_if_avoidable: None
) -> None:
    Case.objects.filter(key_worker=nurse).update(key_worker_provisional=True)
    plan = str(provisional_cases_query(user=nurse).explain())
    assert "case_held_until_chosen" in plan, plan
    assert "Seq Scan on cases_case" not in plan, plan


@pytest.mark.parametrize(
    "identity",
    [
        Identity(given_name="Ada1", family_name="Lovelace1"),
        Identity(family_name="Lovelace"),
        Identity(given_name="Ada", family_name="Lovelace", postcode="EM1 2AB"),
        Identity(family_name="Byron", date_of_birth=__import__("datetime").date(1980, 3, 12)),
    ],
    ids=["given and family", "one word", "name and postcode", "name and date of birth"],
)
def test_search_candidates_come_from_indexes(
    nurse: User, caseload: None, no_scans_if_avoidable: None, identity: Identity
) -> None:
    candidates = search_candidates(actor=nurse, identity=identity)
    assert candidates is not None
    plan = candidates.explain()
    assert "Seq Scan on people_person" not in plan, plan
    assert "people_person" in plan, plan
