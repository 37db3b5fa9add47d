"""Linked history against the database: which linked records count (confirmed, auto at or above the threshold —
never rejected, never the review band), what risk counts from them and says, who is told, and the case page's
one-query count agreeing with the full list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.cases.models import Case, TimelineEntry
from joinedup.core.models import Notification
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record, incident_record_with_new_person
from joinedup.linkage.models import RecordLink
from joinedup.linkage.selectors import linked_people
from joinedup.linkage.services import link_decide
from joinedup.linkage.tests.factories import Linker
from joinedup.people import linked
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person
from joinedup.risk.models import RiskAssessment
from joinedup.risk.services import LINKED_INCIDENT_TRIGGER, risk_reassess

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    lead_agency: Agency,
    incident_input: Callable[..., IncidentInput],
) -> dict[str, Any]:
    """Robert as the GP knows him (one incident), and "Bob" as the housing association recorded him (two), before
    anyone knew they were one man; the mental health trust holds an imported record of him too."""
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    bob_incident = incident_record_with_new_person(
        actor=housing_officer,
        agency=housing,
        details=PersonDetails(given_name="Bob", family_name="Smith", postcode="EM1 2AB"),
        data=incident_input(kinds=("verbal_abuse",)),
    )
    bob = bob_incident.person
    assert bob is not None
    incident_record(actor=housing_officer, agency=housing, person=bob, data=incident_input(kinds=("verbal_abuse",)))
    trust = AgencyFactory.create(slug="marsh-mh", name="Marsh Mental Health Trust", kind="mental_health")
    linker = Linker()
    keys = {"robert": linker.person(robert), "bob": linker.person(bob)}
    keys["trust"] = linker.record(trust, "MH-77", given_name="Rob", family_name="Smith")
    return {
        "robert": robert,
        "bob": bob,
        "trust": trust,
        "linker": linker,
        "keys": keys,
        "dpl": make_user(lead_agency, "data_protection_lead", email="dpl@lead.example"),
    }


def _reasons(person: Person) -> dict[str, str]:
    assessment = risk_reassess(person=person, actor=None, trigger="test")
    return {r["code"]: r["text"] for r in assessment.reasons}


@pytest.mark.parametrize(
    ("status", "weight", "counts"),
    [
        pytest.param("confirmed", 2.0, True, id="confirmed-by-a-reviewer-counts"),
        pytest.param("auto", 6.0, True, id="auto-at-the-threshold-counts"),
        pytest.param("auto", 14.0, True, id="auto-above-the-threshold-counts"),
        pytest.param("review", 4.5, False, id="review-band-below-the-threshold-does-not"),
        pytest.param("rejected", 14.0, False, id="rejected-does-not"),
    ],
)
def test_risk_counts_the_history_of_linked_records(
    world: dict[str, Any], status: str, weight: float, counts: bool
) -> None:
    robert = world["robert"]
    assert "repeat_victimisation" not in _reasons(robert)
    world["linker"].link(world["keys"]["robert"], world["keys"]["bob"], status, weight)
    reasons = _reasons(robert)
    if counts:
        assert reasons["repeat_victimisation"].startswith("3 incidents")
        assert "known_to_several_agencies" in reasons
        assert reasons["linked_history"].startswith(
            "Also known to 1 other agency under linked records: 2 incidents in the last 365 days recorded under 1 "
            "linked JoinedUp record ("
        )
        assert "Riverside" not in reasons["linked_history"] and "Marsh" not in reasons["linked_history"]
    else:
        assert "repeat_victimisation" not in reasons and "linked_history" not in reasons


def test_an_agency_record_counts_only_as_being_known(world: dict[str, Any]) -> None:
    world["linker"].link(world["keys"]["robert"], world["keys"]["trust"], "auto", 11.0)
    reasons = _reasons(world["robert"])
    assert reasons["linked_history"] == (
        "Also known to 1 other agency under linked records; what they hold is not in JoinedUp — ask them for "
        "information, with the person's consent."
    )
    assert "repeat_victimisation" not in reasons


def test_a_reviewers_decision_reassesses_everyone_it_touches_and_tells_the_key_worker(
    world: dict[str, Any], nurse: User
) -> None:
    robert, bob = world["robert"], world["bob"]
    risk_reassess(person=robert, actor=None, trigger="before")
    pair = world["linker"].link(world["keys"]["robert"], world["keys"]["bob"], "review", 4.0)
    link_decide(actor=world["dpl"], link_uuid=pair.uuid, decision="confirm")
    for person in (robert, bob):
        latest = RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id").first()
        assert latest is not None and latest.trigger == "linked records confirmed"
        assert "linked_history" in {r["code"] for r in latest.reasons}
    # Robert's level rose (3 incidents, 2 agencies): his key worker is told, and the timeline says why, not who.
    entry = TimelineEntry.objects.filter(person=robert, kind="risk_changed").order_by("-at").first()
    assert entry is not None and "(linked records confirmed)" in entry.summary
    assert Notification.objects.filter(user=nurse, text__contains="linked records confirmed").exists()
    link_decide(actor=world["dpl"], link_uuid=_other_pair(world), decision="reject")
    latest = RiskAssessment.objects.filter(person=robert).order_by("-assessed_at", "-id").first()
    assert latest is not None and "linked_history" in {r["code"] for r in latest.reasons}


def _other_pair(world: dict[str, Any]) -> Any:
    """A second pair to decide: Bob and the trust's record, in the review band."""
    return world["linker"].link(world["keys"]["bob"], world["keys"]["trust"], "review", 3.0).uuid


def test_a_rejection_stands_even_when_other_links_join_the_records(world: dict[str, Any]) -> None:
    keys = world["keys"]
    world["linker"].link(keys["robert"], keys["trust"], "auto", 10.0)
    world["linker"].link(keys["trust"], keys["bob"], "auto", 10.0)
    assert "linked_history" in _reasons(world["robert"])
    pair = RecordLink.objects.create(
        left_key=min(keys["robert"], keys["bob"]),
        right_key=max(keys["robert"], keys["bob"]),
        match_weight=3.0,
        match_probability=0.8,
        status="review",
        explanation=[],
    )
    link_decide(actor=world["dpl"], link_uuid=pair.uuid, decision="reject")
    history = linked.linked_history(world["robert"])
    assert history.person_ids == () and history.other_agencies == 1
    reasons = {r["code"] for r in RiskAssessment.objects.filter(person=world["robert"]).first().reasons}  # type: ignore[union-attr]
    assert "repeat_victimisation" not in reasons


def test_an_incident_under_a_linked_record_reassesses_the_person(
    world: dict[str, Any], housing_officer: User, housing: Agency, incident_input: Callable[..., IncidentInput]
) -> None:
    world["linker"].link(world["keys"]["robert"], world["keys"]["bob"], "auto", 12.0)
    incident_record(actor=housing_officer, agency=housing, person=world["bob"], data=incident_input())
    latest = RiskAssessment.objects.filter(person=world["robert"]).order_by("-assessed_at", "-id").first()
    assert latest is not None and latest.trigger == LINKED_INCIDENT_TRIGGER
    assert latest.reasons[0]["code"] == "linked_history" and "3 incidents" in latest.reasons[0]["text"]


def test_linked_people_for_the_risk_page_give_each_record_and_why(world: dict[str, Any], nurse: User) -> None:
    keys = world["keys"]
    world["linker"].link(keys["robert"], keys["trust"], "auto", 10.0)
    world["linker"].link(keys["trust"], keys["bob"], "confirmed", 1.0)
    found = linked_people(nurse, world["robert"])
    assert [(p.person_uuid, p.basis, p.reason) for p in found] == [
        (world["bob"].uuid, "through", "Linked through other records of the same person.")
    ]


@pytest.mark.parametrize(
    "links",
    [
        pytest.param([], id="nothing-linked"),
        pytest.param([("robert", "bob", "confirmed", 2.0)], id="confirmed"),
        pytest.param([("robert", "trust", "auto", 9.0)], id="auto"),
        pytest.param([("robert", "trust", "review", 3.0)], id="review"),
        pytest.param([("robert", "bob", "rejected", 9.0)], id="rejected"),
        pytest.param(
            [("robert", "trust", "auto", 9.0), ("trust", "bob", "auto", 9.0), ("robert", "bob", "rejected", 3.0)],
            id="rejected-but-joined-through-another",
        ),
    ],
)
def test_the_case_pages_one_query_count_agrees_with_the_list(
    world: dict[str, Any], nurse: User, links: list[tuple[str, str, str, float]]
) -> None:
    keys = world["keys"]
    for left, right, status, weight in links:
        world["linker"].link(keys[left], keys[right], status, weight)
    readers = frozenset({nurse.memberships.get().agency_id})
    listed = linked.agencies_elsewhere(world["robert"], reader_agencies=readers)
    with CaptureQueriesContext(connection) as captured:
        count = linked.agencies_elsewhere_count(world["robert"], reader_agencies=readers)
    assert count == len(listed) and len(captured) == 1


def test_the_case_summary_says_known_to_other_agencies_only_with_a_count(world: dict[str, Any], nurse: User) -> None:
    keys = world["keys"]
    case = Case.objects.get(person=world["robert"])
    client = Client()
    client.force_login(nurse)
    assert "Known to" not in client.get(f"/cases/{case.uuid}").content.decode()
    world["linker"].link(keys["robert"], keys["bob"], "auto", 9.0)
    world["linker"].link(keys["bob"], keys["trust"], "auto", 9.0)
    html = client.get(f"/cases/{case.uuid}").content.decode()
    assert "Known to 2 other agencies" in html and "Ask them for information" in html
    # Never the other records: not Bob's name, not the trust's reference.
    assert "Bob" not in html and "MH-77" not in html
