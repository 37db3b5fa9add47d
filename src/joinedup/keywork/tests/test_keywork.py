"""Case notes, Find a case on My work, and handing a provisional case to the hub."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.cases.models import Case, Handover, TimelineEntry
from joinedup.consent.services import consent_record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.incidents.services import incident_record
from joinedup.keywork.domain.hub import HubWorker, duty_key_worker
from joinedup.keywork.domain.search import read_query
from joinedup.keywork.models import CaseNote
from joinedup.keywork.selectors import case_search
from joinedup.keywork.services import hand_to_hub, note_add
from joinedup.people.models import Person


@pytest.fixture
def case(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., Any]) -> Case:
    incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert incident.case is not None
    return incident.case


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


QUERIES = [
    ("name", "Bob Smith", ("Bob Smith", "", "")),
    ("date-of-birth", "12/03/1980", ("12/03/1980", "", "")),
    ("report-reference", "k7qp-2xma", ("", "", "K7QP-2XMA")),
    ("case-id-start", "3f2a9c41", ("", "3f2a9c41", "")),
    ("a-name-is-never-a-case-id", "deadbeef", ("deadbeef", "", "")),
    ("spaces-closed-up", "  Robert   Smith ", ("Robert Smith", "", "")),
]


@pytest.mark.parametrize(("q", "expected"), [c[1:] for c in QUERIES], ids=[c[0] for c in QUERIES])
def test_reading_a_search(q: str, expected: tuple[str, str, str]) -> None:
    found = read_query(q)
    assert (found.text, found.case_id_prefix, found.report_reference) == expected


def test_the_duty_key_worker_is_the_least_loaded_never_the_one_handing_over() -> None:
    workers = [HubWorker(1, 5), HubWorker(2, 3), HubWorker(3, 3)]
    assert duty_key_worker(workers, handing_over=9) == 2
    assert duty_key_worker(workers, handing_over=2) == 3
    assert duty_key_worker([HubWorker(4, 0)], handing_over=4) is None


@pytest.mark.django_db
def test_a_note_is_dated_authored_grouped_audited_and_on_the_timeline(case: Case, nurse: User) -> None:
    with pytest.raises(InvalidInput) as problem:
        note_add(actor=nurse, case=case, text="  ", field_group="weather")
    assert set(problem.value.fields) == {"text", "field_group"}
    note = note_add(actor=nurse, case=case, text="Rang him; he is staying with his sister.", field_group="contact")
    assert note.author == nurse and note.author_agency is not None and note.written_at
    entry = TimelineEntry.objects.filter(kind="note", object_type="keywork.casenote").get()
    assert entry.details["field_group"] == "contact" and "staying with his sister" in entry.summary
    assert entry.field_groups == ["contact"]  # the story shows it only to readers of that group
    assert AuditEntry.objects.filter(summary="Case note written (contact)", person_uuid=case.person.uuid).exists()


@pytest.mark.django_db
def test_the_note_page_keeps_what_was_typed_and_redirects(case: Case, nurse: User) -> None:
    client = client_for(nurse)
    page = client.get(f"/cases/{case.uuid}/notes/new")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    bad = client.post(f"/cases/{case.uuid}/notes/new", {"text": "Half a thought"})
    assert bad.status_code == 400 and "Half a thought" in bad.content.decode()
    assert "Choose what the note is about" in bad.content.decode()
    done = client.post(f"/cases/{case.uuid}/notes/new", {"text": "Half a thought", "field_group": "risk"})
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.uuid}/story"
    assert CaseNote.objects.get().field_group == "risk"


@pytest.mark.django_db
def test_no_note_on_a_case_the_actor_may_not_see(case: Case, housing_officer: User) -> None:
    assert client_for(housing_officer).get(f"/cases/{case.uuid}/notes/new").status_code == 404


@pytest.mark.django_db
def test_find_a_case_by_name_nickname_date_of_birth_and_case_id(case: Case, nurse: User, robert: Person) -> None:
    from datetime import date

    robert.date_of_birth = date(1980, 3, 12)
    robert.save(update_fields=["date_of_birth"])
    for q in ("Smith", "Bob Smith", "robert", "12/03/1980", "1980-03-12", str(case.uuid)[:8], str(case.uuid)):
        found = case_search(actor=nurse, q=q)
        assert [f.person.pk for f in found] == [robert.pk], q
        assert found[0].cases == [case]
    assert case_search(actor=nurse, q="Jones") == []
    before = AuditEntry.objects.filter(purpose="Finding a case on My work").count()
    page = client_for(nurse).get("/my-work/find", {"q": "Smith"})
    assert page.status_code == 200 and "1 person found" in page.content.decode()
    # One entry per person shown (the page audits through the one door).
    assert AuditEntry.objects.filter(purpose="Finding a case on My work").count() == before + 1


@pytest.mark.django_db
def test_search_is_scoped_as_people_search_is(case: Case, housing_officer: User) -> None:
    """Another agency that does not know the person finds nothing, so a search never reveals someone is known."""
    assert case_search(actor=housing_officer, q="Robert Smith") == []
    page = client_for(housing_officer).get("/my-work/find", {"q": "Robert Smith"})
    assert page.status_code == 200 and "Robert Smith" not in page.content.decode().split("</form>")[-1]


@pytest.mark.django_db
def test_find_by_report_reference(lead_agency: Agency, incident_input: Callable[..., Any]) -> None:
    from joinedup.incidents.services import public_report_submit, triage_match

    hub_worker = make_user(lead_agency, "key_worker", email="hub@lead.example", name="Hana Hub")
    item = public_report_submit(
        data=incident_input(reported_by="self"), identity={"given_name": "Ann", "family_name": "Lee"}
    )
    from joinedup.people.domain.validation import PersonDetails

    triage_match(actor=hub_worker, item=item, person=None, details=PersonDetails(given_name="Ann", family_name="Lee"))
    found = case_search(actor=hub_worker, q=item.reference.lower())
    assert [f.person.family_name for f in found] == ["Lee"]


@pytest.mark.django_db
def test_my_work_lists_provisional_cases_and_hands_them_to_the_hub(
    case: Case, nurse: User, gp: Agency, robert: Person, lead_agency: Agency
) -> None:
    busy = make_user(lead_agency, "key_worker", email="busy@lead.example", name="Busy Hub")
    free = make_user(lead_agency, "key_worker", email="free@lead.example", name="Free Hub")
    assert case.key_worker == nurse and case.key_worker_provisional
    other_person = Person.objects.create(given_name="X", family_name="Y")
    Case.objects.create(person=other_person, key_worker=busy, key_worker_agency=lead_agency)
    client = client_for(nurse)
    work = client.get("/my-work").content.decode()
    assert "Cases you hold until a key worker is chosen" in work and "Hand over to the hub" in work
    # The hub does not know Robert yet: his agreement comes first.
    refused = client.post(f"/cases/{case.uuid}/hand-to-hub", follow=True)
    assert "does not know this person yet" in refused.content.decode()
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="share_with_agency",
        decision="given",
        recipient=lead_agency,
        capacity_note="He wants the hub to help",
    )
    done = client.post(f"/cases/{case.uuid}/hand-to-hub")
    assert done.status_code == 302 and done["Location"] == "/my-work"
    handover = Handover.objects.get(case=case)
    assert handover.to_user == free and handover.status == "pending"
    assert "Waiting for the hub" in client.get("/my-work").content.decode()
    with pytest.raises(PermissionDenied):  # only the one holding it hands it over
        hand_to_hub(actor=free, case=case)
    with pytest.raises(Conflict):  # a handover is already waiting
        hand_to_hub(actor=nurse, case=case)
