"""The follow-up's services against the database, through both doors: keeping a way back, coming back
(rate-limited, the same answer for unknown and wrong), the conversation both ways, and coming forward by name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.models import Notification
from joinedup.followup import selectors, services
from joinedup.followup.domain.rules import Named
from joinedup.followup.models import FollowUp
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.services import harm_keep_way_back, harm_report_raise
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.models import TriageItem, TriageStatus
from joinedup.incidents.services import public_report_submit, triage_match, triage_record_anonymous
from joinedup.people.domain.validation import PersonDetails

pytestmark = pytest.mark.django_db
Build = Callable[..., IncidentInput]
PHRASE = "purple harbour lantern"


@pytest.fixture
def hub_worker(lead_agency: Agency) -> User:
    return make_user(lead_agency, "practitioner", email="hub@lead.example", name="Hana Hub")


@pytest.fixture
def kept(lead_agency: Agency, incident_input: Build) -> TriageItem:
    return public_report_submit(data=incident_input(reported_by="self", anonymous=True), identity={}, passphrase=PHRASE)


def test_a_way_back_keeps_only_a_slow_hash_of_the_passphrase(kept: TriageItem) -> None:
    follow_up = kept.follow_up
    assert follow_up is not None and follow_up.reference == kept.reference and follow_up.kind == "incident_report"
    assert PHRASE not in follow_up.passphrase_hash
    assert identify_hasher(follow_up.passphrase_hash) is not None
    assert check_password(PHRASE, follow_up.passphrase_hash)
    entry = assert_audited("create", object_type="followup.followup")
    assert PHRASE not in entry.summary


def test_only_an_anonymous_report_takes_a_passphrase_and_a_weak_one_stores_nothing(
    lead_agency: Agency, incident_input: Build
) -> None:
    with pytest.raises(InvalidInput) as named:
        public_report_submit(data=incident_input(reported_by="self"), identity={}, passphrase=PHRASE)
    assert "passphrase" in named.value.fields
    with pytest.raises(InvalidInput) as weak:
        public_report_submit(data=incident_input(anonymous=True), identity={}, passphrase="password123")
    assert "too easy to guess" in weak.value.fields["passphrase"][0]
    assert not TriageItem.objects.exists() and not FollowUp.objects.exists()


def test_coming_back_right_and_wrong(kept: TriageItem) -> None:
    assert services.follow_up_unlock(reference=kept.reference.lower(), passphrase=f" {PHRASE} ", address="1.2.3.4")
    with pytest.raises(services.NoSuchFollowUp) as wrong:
        services.follow_up_unlock(reference=kept.reference, passphrase="purple harbour", address="1.2.3.4")
    with pytest.raises(services.NoSuchFollowUp) as unknown:
        services.follow_up_unlock(reference="ZZZZ-ZZZZ", passphrase=PHRASE, address="1.2.3.4")
    assert wrong.value.message == unknown.value.message
    denied = AuditEntry.objects.filter(action="denied", basis="followup_refused")
    assert denied.count() == 2
    assert set(denied.values_list("reason", flat=True)) == {"Wrong passphrase", "Unknown reference"}
    assert not denied.filter(summary__icontains="ZZZZ").exists(), "what was typed is not kept"


def test_wrong_guesses_at_one_reference_pause_it_from_every_address(kept: TriageItem) -> None:
    for n in range(5):
        with pytest.raises(services.NoSuchFollowUp):
            services.follow_up_unlock(reference=kept.reference, passphrase="not it at all", address=f"10.0.0.{n}")
    with pytest.raises(services.TooManyTries) as paused:
        services.follow_up_unlock(reference=kept.reference, passphrase=PHRASE, address="10.9.9.9")
    assert 0 < paused.value.retry_after <= 900
    assert "wait" in paused.value.message


def test_one_address_cannot_walk_through_references(kept: TriageItem) -> None:
    for n in range(30):
        with pytest.raises(services.NoSuchFollowUp):
            services.follow_up_unlock(reference=f"AAAA-AA{n:02d}", passphrase=PHRASE, address="10.1.1.1")
    with pytest.raises(services.TooManyTries) as paused:
        services.follow_up_unlock(reference=kept.reference, passphrase=PHRASE, address="10.1.1.1")
    assert 0 < paused.value.retry_after <= 3600
    # Another address is not held up.
    assert services.follow_up_unlock(reference=kept.reference, passphrase=PHRASE, address="10.1.1.2")


def test_the_conversation_both_ways(kept: TriageItem, hub_worker: User, nurse: User) -> None:
    follow_up = kept.follow_up
    assert follow_up is not None
    with pytest.raises(NotVisible):
        services.follow_up_ask(actor=nurse, follow_up=follow_up, text="Who are you?")
    assert_audited("denied", actor=nurse)
    with pytest.raises(InvalidInput):
        services.follow_up_ask(actor=hub_worker, follow_up=follow_up, text="  ")
    services.follow_up_ask(actor=hub_worker, follow_up=follow_up, text="Are you safe tonight?")
    assert_audited("create", object_type="followup.followup", actor=hub_worker)

    services.follow_up_reply(follow_up=follow_up, text="Yes, I am at my sister's.")
    follow_up.refresh_from_db()
    assert follow_up.answer_waiting is True
    told = Notification.objects.get(user=hub_worker)
    assert kept.reference in told.text and "sister" not in told.text and told.url == f"/triage/{kept.uuid}"

    lines = selectors.reporter_lines(services.follow_up_messages_for_reporter(follow_up=follow_up, via="test"))
    assert [(line.from_you, line.text) for line in lines] == [
        (False, "Are you safe tonight?"),
        (True, "Yes, I am at my sister's."),
    ]
    assert not hasattr(lines[0], "asked_by"), "the reporter is never told who asked"

    before = AuditEntry.objects.filter(actor=hub_worker, action="view").count()
    conversation = selectors.conversation_read(actor=hub_worker, follow_up=follow_up, purpose="Triage")
    assert conversation is not None and conversation.answer_waiting and conversation.may_ask
    assert conversation.lines[0].asked_by == "Hana Hub"
    assert AuditEntry.objects.filter(actor=hub_worker, action="view").count() == before + 1
    follow_up.refresh_from_db()
    assert follow_up.answer_waiting is False
    assert selectors.conversation_read(actor=nurse, follow_up=follow_up, purpose="Triage") is None


def test_coming_forward_reopens_a_report_kept_anonymous_without_retelling(kept: TriageItem, hub_worker: User) -> None:
    triage_record_anonymous(actor=hub_worker, item=kept, note="No way to reach them")
    follow_up = kept.follow_up
    assert follow_up is not None
    words = kept.incident.description
    with pytest.raises(InvalidInput) as problem:
        services.follow_up_become_named(follow_up=follow_up, named=Named(name="Sam Lee"))
    assert "phone" in problem.value.fields
    services.follow_up_become_named(
        follow_up=follow_up, named=Named(name="Sam  Lee", email="sam@example.com", contact_notes="Email only")
    )
    kept.refresh_from_db()
    kept.incident.refresh_from_db()
    assert kept.status == TriageStatus.WAITING and kept.resolved_by is None and kept.due_on is not None
    assert kept.incident.anonymous is False and kept.incident.description == words
    assert kept.reported_identity["given_name"] == "Sam" and kept.reported_identity["email"] == "sam@example.com"
    assert kept.reported_identity["contact_allowed"] == ["email"]
    assert Notification.objects.filter(user=hub_worker, text__contains="has given their name").exists()
    assert_audited("update", object_type="followup.followup")
    with pytest.raises(Conflict):
        services.follow_up_become_named(follow_up=follow_up, named=Named(name="Sam Lee", email="sam@example.com"))

    incident = triage_match(actor=hub_worker, item=kept, person=None, details=_details(kept))
    assert incident.person is not None
    assert incident.case is not None
    assert incident.case.timeline.filter(summary__contains="the reporter gave their name later").exists()


def _details(item: TriageItem) -> PersonDetails:
    identity = item.reported_identity
    return PersonDetails(given_name=identity["given_name"], family_name=identity["family_name"])


def test_a_third_party_reporter_comes_forward_as_the_reporter(lead_agency: Agency, incident_input: Build) -> None:
    item = public_report_submit(
        data=incident_input(reported_by="third_party", anonymous=True), identity={}, passphrase=PHRASE
    )
    assert item.follow_up is not None
    services.follow_up_become_named(follow_up=item.follow_up, named=Named(name="Kim Ray", phone="07700 900111"))
    item.refresh_from_db()
    item.incident.refresh_from_db()
    assert item.incident.reporter["name"] == "Kim Ray" and item.incident.reporter["phone"] == "07700 900111"
    assert not item.reported_identity.get("given_name"), "the person it happened to is still not known"


def test_a_harm_report_has_its_own_reference(housing: Agency, housing_officer: User) -> None:
    report = harm_report_raise(
        actor=None,
        data=ReportInput(reported_by="anonymous", description="Staff mock residents.", speaking_up=True),
        about_agency=housing,
        passphrase=PHRASE,
    )
    assert report.follow_up is not None and report.follow_up.kind == "harm_report"
    assert not TriageItem.objects.filter(reference=report.follow_up.reference).exists()
    with pytest.raises(InvalidInput) as named:
        harm_report_raise(
            actor=None,
            data=ReportInput(reported_by="person", description="They shouted.", contact_name="Al"),
            about_agency=housing,
            passphrase=PHRASE,
        )
    assert "passphrase" in named.value.fields
    services.follow_up_ask(actor=housing_officer, follow_up=report.follow_up, text="Which ward?")
    with pytest.raises(Conflict):
        harm_keep_way_back(report_uuid=str(report.uuid), passphrase=PHRASE)


def test_a_flood_of_messages_is_held_up(kept: TriageItem) -> None:
    follow_up = kept.follow_up
    assert follow_up is not None
    for n in range(20):
        services.follow_up_reply(follow_up=follow_up, text=f"Message {n}")
    with pytest.raises(services.TooManyTries) as paused:
        services.follow_up_reply(follow_up=follow_up, text="One more")
    assert 0 < paused.value.retry_after <= 3600
    assert follow_up.messages.count() == 20
