"""One event, many accounts: the suggestion rule (a table), joining, and counting the event once — for risk, for
the panel and in police packages — while keeping every account verbatim."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.events import Account, likeness, told_by
from joinedup.incidents.domain.recording import PerpetratorInput
from joinedup.incidents.models import Incident
from joinedup.incidents.services import incident_join_event, incident_record
from joinedup.people.models import Person
from joinedup.police.services import police_report_send
from joinedup.risk.domain.rules import IncidentFacts, assess, one_per_event

DAY = date(2026, 10, 2)
NEIGHBOUR = frozenset({"neighbour"})

LIKENESS = [
    (
        "same-day-place-and-perpetrator",
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        True,
    ),
    (
        "a-range-that-covers-the-day",
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        Account(
            occurred_from=DAY - timedelta(days=1),
            occurred_to=DAY + timedelta(days=1),
            location_kind="street",
            relationships=NEIGHBOUR,
        ),
        True,
    ),
    (
        "another-day-is-another-event",
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        Account(DAY + timedelta(days=3), location_kind="street", relationships=NEIGHBOUR),
        False,
    ),
    (
        "another-place-is-another-event",
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        Account(DAY, location_kind="home", relationships=NEIGHBOUR),
        False,
    ),
    (
        "other-people-is-another-event",
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        Account(DAY, location_kind="street", relationships=frozenset({"stranger"})),
        False,
    ),
    (
        "unknown-perpetrators-never-match",
        Account(DAY, location_kind="street", relationships=frozenset({"unknown"})),
        Account(DAY, location_kind="street", relationships=frozenset({"unknown"})),
        False,
    ),
    (
        "named-details-that-differ-are-different-people",
        Account(DAY, location_kind="street", relationships=NEIGHBOUR, perpetrator_details=frozenset({"number 4"})),
        Account(DAY, location_kind="street", relationships=NEIGHBOUR, perpetrator_details=frozenset({"number 9"})),
        False,
    ),
    (
        "an-unknown-date-never-matches",
        Account(None, location_kind="street", relationships=NEIGHBOUR),
        Account(DAY, location_kind="street", relationships=NEIGHBOUR),
        False,
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), [c[1:] for c in LIKENESS], ids=[c[0] for c in LIKENESS])
def test_suggested_when_date_place_and_perpetrators_match(a: Account, b: Account, expected: bool) -> None:
    found = likeness(a, b)
    assert found.same_event_likely is expected
    assert likeness(b, a).same_event_likely is expected
    if expected:
        assert len(found.reasons) == 3


def test_told_by_in_plain_words() -> None:
    assert told_by("third_party", "Friend") == "a friend (third party)"
    assert told_by("third_party", "aunt") == "an aunt (third party)"
    assert told_by("self") == "the person themselves"
    assert told_by("practitioner", agency="High Street GP") == "High Street GP (practitioner)"


AT = datetime(2026, 10, 2, tzinfo=timezone.get_fixed_timezone(0))


def _fact(event: int | None, **kw: Any) -> IncidentFacts:
    base: dict[str, Any] = {"at": AT, "kinds": frozenset({"physical_assault"}), "severity": 4, "agency_id": 1}
    base.update(kw)
    return IncidentFacts(event=event, **base)


def test_S24_accounts_of_one_event_count_once_for_risk_and_the_panel() -> None:
    now = AT + timedelta(days=1)
    told_twice = [
        _fact(1, relationships=NEIGHBOUR),
        _fact(1, relationships=NEIGHBOUR, agency_id=2, at=AT + timedelta(hours=3)),
    ]
    assert len(one_per_event(told_twice)) == 1
    once = assess(told_twice, now=now)
    separately = assess(
        [_fact(None, relationships=NEIGHBOUR), _fact(None, relationships=NEIGHBOUR, agency_id=2)], now=now
    )
    codes_once = {r.code for r in once.reasons}
    assert "repeat_victimisation" not in codes_once and "repeat_perpetrator" not in codes_once
    # Both agencies still know about it.
    assert "known_to_several_agencies" in codes_once
    assert {r.code for r in separately.reasons} >= {"repeat_victimisation", "repeat_perpetrator"}
    assert once.level < separately.level


def test_joining_only_adds_what_an_account_says() -> None:
    merged = one_per_event([_fact(1, impacts=frozenset({"fear"})), _fact(1, impacts=frozenset({"suicidality"}))])
    assert merged[0].impacts == {"fear", "suicidality"}


@pytest.fixture
def attack(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]) -> Incident:
    return incident_record(
        actor=nurse,
        agency=gp,
        person=robert,
        data=incident_input(
            description="He punched me outside the shop.",
            kinds=("physical_assault",),
            occurred_on=DAY,
            location_kind="street",
            perpetrators=(PerpetratorInput("neighbour", "number 4"),),
            happened_before="no",
        ),
    )


@pytest.mark.django_db
def test_the_api_keeps_a_friends_account_as_the_same_event(
    attack: Incident,
    nurse: User,
    robert: Person,
    police: Agency,
    gp: Agency,
    api_for: Callable[[User], APIClient],
) -> None:
    client = api_for(nurse)
    body = {
        "person_id": str(robert.uuid),
        "reported_by": "third_party",
        "reporter": {"name": "Jo", "relationship": "friend"},
        "occurred_on": DAY.isoformat(),
        "location_kind": "street",
        "description": "I saw Rob get hit by the man from number 4 outside the shop.",
        "kinds": ["physical_assault"],
        "perpetrators": [{"relationship": "neighbour", "details": "number 4"}],
    }
    unknown = client.post("/api/v1/incidents", {**body, "same_event_as": str(uuid.uuid4())}, format="json")
    assert unknown.status_code == 404
    assert Incident.objects.count() == 1  # nothing stored
    level_before = robert.risk_assessments.order_by("-assessed_at", "-id").first().level  # type: ignore[union-attr]
    made = client.post("/api/v1/incidents", {**body, "same_event_as": str(attack.uuid)}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["same_event_as"] == str(attack.uuid)
    friend = Incident.objects.get(uuid=made.json()["id"])
    assert friend.description == body["description"] and attack.description == "He punched me outside the shop."
    level_after = robert.risk_assessments.order_by("-assessed_at", "-id").first().level  # type: ignore[union-attr]
    assert level_after == level_before  # the event counts once

    # Another person's incident cannot be the same event.
    other = Person.objects.create(given_name="Ann", family_name="Lee")
    from joinedup.people.models import PersonAgencyLink

    PersonAgencyLink.objects.create(person=other, agency=gp, basis="recorded")
    refused = client.post(
        "/api/v1/incidents", {**body, "person_id": str(other.uuid), "same_event_as": str(attack.uuid)}, format="json"
    )
    assert refused.status_code == 400 and "same_event_as" in refused.json()["error"]["fields"]

    # The police package carries the event once, with both accounts verbatim.
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="report_to_police",
        decision="given",
        recipient=police,
        capacity_note="He wants it reported",
    )
    assert attack.case is not None
    report = police_report_send(
        actor=nurse,
        agency=gp,
        case=attack.case,
        incident_uuids=[str(attack.uuid), str(friend.uuid)],
        third_party=False,
    )
    assert len(report.package["incidents"]) == 1
    event = report.package["incidents"][0]
    assert event["in_their_own_words"] == attack.description
    assert event["other_accounts"][0]["in_their_own_words"] == friend.description
    assert event["other_accounts"][0]["told_by"] == "a friend (third party)"

    # The incident page says who else told it.
    web = Client()
    web.force_login(nurse)
    page = web.get(f"/incidents/{attack.uuid}").content.decode()
    assert "Also told by: a friend (third party), " in page


@pytest.mark.django_db
def test_the_key_worker_joins_from_a_page_and_likely_matches_come_first(
    attack: Incident, nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]
) -> None:
    unrelated = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(description="Another day"))
    second = incident_record(
        actor=nurse,
        agency=gp,
        person=robert,
        data=incident_input(
            description="My neighbour hit me by the shop, my friend saw it.",
            kinds=("physical_assault",),
            occurred_on=DAY,
            location_kind="street",
            perpetrators=(PerpetratorInput("neighbour", "Number 4"),),
        ),
    )
    web = Client()
    web.force_login(nurse)
    assert (
        "This may be another account of an event already recorded on 2 October 2026"
        in web.get(f"/incidents/{second.uuid}").content.decode()
    )
    page = web.get(f"/incidents/{second.uuid}/same-event").content.decode()
    assert page.index("likely the same event") < page.index("Another day")
    assert web.post(f"/incidents/{second.uuid}/same-event", {}).status_code == 400
    done = web.post(f"/incidents/{second.uuid}/same-event", {"same_as": str(attack.uuid)})
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.same_event_as == attack
    assert unrelated.same_event_as is None


@pytest.mark.django_db
def test_only_the_key_worker_or_the_hub_joins(
    attack: Incident, nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any], lead_agency: Agency
) -> None:
    second = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(description="Again"))
    colleague = make_user(gp, "practitioner", email="colleague@gp.example")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        incident_join_event(actor=colleague, incident=second, same_as=attack)
    hub_worker = make_user(lead_agency, "key_worker", email="hub2@lead.example")
    from joinedup.people.models import PersonAgencyLink

    PersonAgencyLink.objects.create(person=robert, agency=lead_agency, basis="triage")
    incident_join_event(actor=hub_worker, incident=second, same_as=attack)
    second.refresh_from_db()
    assert second.same_event_as == attack
