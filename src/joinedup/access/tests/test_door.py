"""The one door for reads (access/door.py): one audit entry per look, field groups from the policy, refusals that
no rollback erases, and calls without valid credentials recorded without personal data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from joinedup.access import door
from joinedup.access.decision import NotVisible, decide, require
from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue, token_revoke
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.cases.models import Case
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.people.selectors import person_read


def _looks(person: Person, actor: User) -> int:
    return AuditEntry.objects.filter(person_uuid=person.uuid, actor=actor, action="view").count()


def test_a_read_is_one_entry_with_its_groups(nurse: User, robert: Person, housing_officer: User) -> None:
    person, seen = person_read(actor=nurse, person_uuid=robert.uuid, purpose="Testing the door")
    assert person == robert and seen.withheld == [] and seen.sees("health", "risk")
    entry = AuditEntry.objects.get(person_uuid=robert.uuid, actor=nurse, action="view")
    assert (entry.purpose, entry.basis) == ("Testing the door", "relationship:agency_knows_person")
    with pytest.raises(NotVisible):
        person_read(actor=housing_officer, person_uuid=robert.uuid, purpose="Curious")
    refused = AuditEntry.objects.get(actor=housing_officer, action="denied")
    assert refused.basis == "no_relationship" and refused.person_uuid is None, "a refusal names nobody"


def test_an_agency_known_by_consent_sees_its_groups(
    nurse: User, gp: Agency, robert: Person, housing: Agency, housing_officer: User
) -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=housing,
        capacity_note="Agreed",
    )
    _, seen = person_read(actor=housing_officer, person_uuid=robert.uuid, purpose="Housing")
    assert seen.withheld == ["health", "safeguarding"]
    assert seen.shows({"harm", "risk"}) and not seen.shows({"risk", "health"})


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("/cases/{case}", 1),
        ("/cases/{case}/story", 1),
        ("/cases/{case}/support", 1),
        ("/cases/{case}/risk", 1),
        ("/cases/{case}/sharing", 1),
        ("/cases/{case}/police", 1),
        ("/cases/{case}/tasks", 1),
        ("/people/{person}", 1),
        ("/people/{person}/access-log", 1),
        ("/people/{person}/consent", 1),
    ],
)
def test_each_page_is_one_look(
    path: str,
    parts: int,
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Callable[..., IncidentInput],
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    before = _looks(robert, nurse)
    client = Client()
    client.force_login(nurse)
    response = client.get(path.format(case=case.uuid, person=robert.uuid))
    assert response.status_code == 200
    assert _looks(robert, nurse) - before == parts, "one line per look in the person's access log"


def test_my_work_and_inboxes_record_one_entry_per_person_shown(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    client = Client()
    client.force_login(nurse)
    before = _looks(robert, nurse)
    assert client.get("/my-work").status_code == 200
    assert _looks(robert, nurse) - before == 1


def test_unauthenticated_and_revoked_calls_are_recorded_without_personal_data(nurse: User, robert: Person) -> None:
    anonymous = APIClient()
    assert anonymous.get(f"/api/v1/people/{robert.uuid}").status_code == 401
    entry = AuditEntry.objects.get(action="denied", basis="not_authenticated")
    assert entry.actor is None and entry.person_uuid is None and str(robert.uuid) not in entry.summary
    assert entry.summary == "Refused: api.people/{id}"
    token, raw = token_issue(actor=None, user=nurse)
    token_revoke(actor=None, token=token)
    revoked = APIClient()
    revoked.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.get(f"/api/v1/people/{robert.uuid}/risk").status_code == 401
    assert AuditEntry.objects.filter(action="denied", basis="invalid_token", actor=None).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite holds one write lock per database, so a second connection cannot write while the request's "
    "transaction is open; production and CI run PostgreSQL, where this holds",
)
@pytest.mark.django_db(transaction=True)
def test_a_refusal_survives_the_rollback_of_the_transaction_it_happened_in(gp: Agency) -> None:
    stranger = make_user(Agency.objects.create(slug="elsewhere", name="Elsewhere", kind="voluntary"), "practitioner")
    person = Person.objects.create(given_name="Robert", family_name="Smith")
    with pytest.raises(NotVisible), transaction.atomic():
        require(stranger, "person.view", person, purpose="Accepting a referral")
        AuditEntry.objects.create(action="view", object_type="test", summary="rolled back with the request")
    assert AuditEntry.objects.filter(actor=stranger, action="denied", basis="no_relationship").count() == 1
    assert not AuditEntry.objects.filter(summary="rolled back with the request").exists()


def test_door_read_list_writes_one_entry_per_person_not_per_row(nurse: User, robert: Person) -> None:
    door.read_list(nurse, objects=[robert, robert], purpose="A list", person_uuid_of=lambda p: p.uuid)
    assert AuditEntry.objects.filter(person_uuid=robert.uuid, purpose="A list").count() == 1


PAGE_ACTIONS = ["case.view", "case.manage", "risk.judge", "sharing.decide", "access_log.view", "portal.invite"]


@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_a_page_asks_again_with_the_facts_of_its_read_and_gets_the_policys_answer(
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
    action: str,
) -> None:
    """`Seen.decide` (what a sub-page may offer) answers exactly as `decide` would, for the key worker and for an
    agency that knows the person only by consent: the facts are gathered once, not decided differently."""
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=housing,
        capacity_note="Talked it through",
    )
    case = Case.objects.get(person=robert)
    for actor in (nurse, housing_officer):
        seen = door.read(actor, "case.view", case, purpose="Testing", person_uuid=robert.uuid)
        assert seen.decide(actor, action) == decide(actor, action, case)
        assert seen.decide(actor, action, kind="person") == decide(actor, action, robert)
