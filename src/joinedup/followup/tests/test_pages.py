"""The reporter's journey through the pages, without JavaScript (Django's test client posts the forms as a
browser with scripts off would), and the hub's side on the report's page. Reading age and internal references
are measured on every page the reporter sees."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.core.models import Notification
from joinedup.core.tests.plain_words import forbidden_in, page_text, reading_age
from joinedup.followup.models import FollowUp
from joinedup.harm.models import HarmReport
from joinedup.incidents.models import Incident, TriageItem
from joinedup.incidents.tests.test_journeys import INCIDENT_ANSWERS, walk

pytestmark = pytest.mark.django_db

PASSPHRASE = "purple harbour lantern"
ANONYMOUS = {**INCIDENT_ANSWERS, "name": {"give_name": "no"}}


def report_anonymously(client: Client, about: str = "self") -> TriageItem:
    check = walk(client, client.post("/report/start", {"about": about})["Location"], ANONYMOUS)
    assert client.post(check)["Location"] == "/report/done"
    return TriageItem.objects.get()


@pytest.fixture
def hub_worker(lead_agency: Agency) -> User:
    return make_user(lead_agency, "practitioner", email="hub@lead.example")


def _errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r"Error:</span>([^<]*)", html)]


def test_the_whole_journey_without_javascript(lead_agency: Agency, hub_worker: User) -> None:
    reporter = Client()
    item = report_anonymously(reporter)
    pages: dict[str, str] = {}
    done = reporter.get("/report/done").content.decode()
    assert "Choose a passphrase" in done and 'href="/keep-a-way-back"' in done
    pages["keep"] = reporter.get("/keep-a-way-back").content.decode()
    assert item.reference in pages["keep"]

    # Rules are specific, and nothing is saved until they are met.
    short = reporter.post("/keep-a-way-back", {"passphrase": "short", "again": "short"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    mismatch = reporter.post("/keep-a-way-back", {"passphrase": PASSPHRASE, "again": "purple harbour"})
    assert "do not match" in mismatch.content.decode()
    assert FollowUp.objects.count() == 0
    assert PASSPHRASE not in mismatch.content.decode(), "a passphrase is never sent back to the page"

    kept = reporter.post("/keep-a-way-back", {"passphrase": PASSPHRASE, "again": f"  {PASSPHRASE} "})
    assert kept["Location"] == "/keep-a-way-back/kept"
    pages["kept"] = reporter.get("/keep-a-way-back/kept").content.decode()
    assert item.reference in pages["kept"]
    item.refresh_from_db()
    assert item.follow_up is not None and item.follow_up.reference == item.reference
    assert PASSPHRASE not in item.follow_up.passphrase_hash
    assert "You chose a passphrase" in reporter.get("/report/done").content.decode()
    # Only once: a second visit does not let anyone holding the device change it.
    assert reporter.get("/keep-a-way-back")["Location"] == "/keep-a-way-back/kept"

    # The hub asks, on the report's page.
    hub = Client()
    hub.force_login(hub_worker)
    page = hub.get(f"/triage/{item.uuid}").content.decode()
    assert "Questions for the person who told us" in page and "No questions yet" in page
    empty = hub.post(f"/triage/{item.uuid}", {"action": "ask", "text": "  "})
    assert empty.status_code == 400 and "Enter your question" in empty.content.decode()
    asked = hub.post(f"/triage/{item.uuid}", {"action": "ask", "text": "Is the man still coming to your door?"})
    assert asked.status_code == 302

    # The reporter comes back later, from another browser, with the reference and the passphrase.
    later = Client()
    pages["check"] = later.get("/check-for-a-reply").content.decode()
    wrong = later.post("/check-for-a-reply", {"reference": item.reference, "passphrase": "not my phrase at all"})
    unknown = later.post("/check-for-a-reply", {"reference": "ZZZZ-ZZZZ", "passphrase": PASSPHRASE})
    assert wrong.status_code == unknown.status_code == 400
    assert _errors(wrong.content.decode()) == _errors(unknown.content.decode()) != []
    pages["check error"] = wrong.content.decode()
    opened = later.post(
        "/check-for-a-reply", {"reference": item.reference.lower().replace("-", " "), "passphrase": PASSPHRASE}
    )
    assert opened["Location"] == "/check-for-a-reply/messages"
    pages["messages"] = later.get("/check-for-a-reply/messages").content.decode()
    assert "Is the man still coming to your door?" in pages["messages"]
    assert hub_worker.name not in pages["messages"] and lead_agency.name not in pages["messages"]

    empty = later.post("/check-for-a-reply/messages", {"text": ""})
    assert empty.status_code == 400 and "Enter your message" in empty.content.decode()
    answered = later.post("/check-for-a-reply/messages", {"text": "Yes, every night after ten."})
    assert answered["Location"] == "/check-for-a-reply/messages?sent=1"
    pages["messages sent"] = later.get(answered["Location"]).content.decode()
    told = Notification.objects.get(user=hub_worker)
    assert "every night" not in told.text and item.reference in told.text

    assert "New answer" in hub.get("/triage").content.decode(), "the queue shows an answer is waiting"
    page = hub.get(f"/triage/{item.uuid}").content.decode()
    assert "Yes, every night after ten." in page and "New answer" in page
    assert "New answer" not in hub.get(f"/triage/{item.uuid}").content.decode(), "read once, no longer new"

    # They choose to become named: nothing of their account is asked again.
    pages["named"] = later.get("/check-for-a-reply/give-your-name").content.decode()
    assert "What happened" not in pages["named"]
    missing = later.post("/check-for-a-reply/give-your-name", {"name": "Sam Lee"})
    assert missing.status_code == 400
    assert "Enter a phone number or an email address" in missing.content.decode()
    assert 'value="Sam Lee"' in missing.content.decode(), "nothing typed is lost"
    pages["named error"] = missing.content.decode()
    named = later.post(
        "/check-for-a-reply/give-your-name",
        {"name": "Sam Lee", "phone": "07700 900982", "contact_notes": "Text first, do not leave voicemail"},
    )
    assert named["Location"] == "/check-for-a-reply/messages?named=1"
    pages["messages named"] = later.get(named["Location"]).content.decode()

    item.refresh_from_db()
    incident = Incident.objects.get()
    assert incident.anonymous is False
    assert incident.description == INCIDENT_ANSWERS["what-happened"]["description"], "their words, as told"
    assert item.reported_identity["given_name"] == "Sam" and item.reported_identity["family_name"] == "Lee"
    assert item.reported_identity["phone"] == "07700 900982"
    assert item.status == "waiting"
    # The hub picks it up as any named report: "Record as a new person" from what they gave.
    page = hub.get(f"/triage/{item.uuid}").content.decode()
    assert "Gave their name" in page and "Record as a new person" in page
    hub.post(f"/triage/{item.uuid}", {"action": "new"})
    incident.refresh_from_db()
    assert incident.person is not None and incident.person.given_name == "Sam"

    for name, html in pages.items():
        text = page_text(html)
        assert reading_age(text) <= 9, (name, round(reading_age(text), 1))
        assert forbidden_in(text) == [], (name, forbidden_in(text))
        assert "Exit this page" in html, name


def test_each_page_is_no_store_and_needs_the_passphrase_first(lead_agency: Agency) -> None:
    client = Client()
    for path in ("/check-for-a-reply/messages", "/check-for-a-reply/give-your-name"):
        assert client.get(path)["Location"] == "/check-for-a-reply"
    assert client.get("/keep-a-way-back")["Location"] == "/"
    response = client.get("/check-for-a-reply")
    assert "no-store" in response["Cache-Control"]


def test_a_named_report_is_not_offered_a_passphrase(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    client.post(check)
    assert "Choose a passphrase" not in client.get("/report/done").content.decode()
    assert client.get("/keep-a-way-back")["Location"] == "/"


def test_exit_this_page_ends_the_opened_conversation(lead_agency: Agency) -> None:
    reporter = Client()
    item = report_anonymously(reporter)
    reporter.post("/keep-a-way-back", {"passphrase": PASSPHRASE, "again": PASSPHRASE})
    reporter.post("/check-for-a-reply", {"reference": item.reference, "passphrase": PASSPHRASE})
    assert reporter.get("/check-for-a-reply/messages").status_code == 200
    reporter.get("/exit")
    assert reporter.get("/check-for-a-reply/messages")["Location"] == "/check-for-a-reply"


def test_too_many_tries_answers_429_with_retry_after(lead_agency: Agency) -> None:
    reporter = Client()
    item = report_anonymously(reporter)
    reporter.post("/keep-a-way-back", {"passphrase": PASSPHRASE, "again": PASSPHRASE})
    guesser = Client()
    for _ in range(5):
        assert (
            guesser.post(
                "/check-for-a-reply", {"reference": item.reference, "passphrase": "wrong guess here"}
            ).status_code
            == 400
        )
    # Even the right passphrase is not confirmed during the pause.
    refused = guesser.post("/check-for-a-reply", {"reference": item.reference, "passphrase": PASSPHRASE})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "Please wait before you try again" in refused.content.decode()
    assert reading_age(page_text(refused.content.decode())) <= 9
    assert AuditEntry.objects.filter(action="denied", basis="followup_refused").count() == 5
    # Nothing the reporter does is kept with their address: it would tie them to their report.
    reporter_side = AuditEntry.objects.filter(object_type="followup.followup", actor__isnull=True)
    assert reporter_side.exists() and set(reporter_side.values_list("ip", flat=True)) == {None}


def test_speaking_up_anonymously_then_the_service_asks_and_they_come_forward(
    housing: Agency, housing_officer: User, lead_agency: Agency
) -> None:
    """The confidential line for staff and others, reached from the start page in plain words, with the same way
    back as an anonymous report; coming forward asks who they are (the report did not say)."""
    lead = make_user(housing, "safeguarding_lead", email="lead@homes.example")
    reporter = Client()
    start = reporter.get("/").content.decode()
    assert 'href="/raise-a-concern-about-a-service"' in start
    form = reporter.get("/raise-a-concern-about-a-service").content.decode()
    assert "Raise a concern about a service" in form and "I do not want to give my name" in form
    pages = {"speak up": form}
    sent = reporter.post(
        "/raise-a-concern-about-a-service",
        {
            "about": str(housing.uuid),
            "description": "Night staff lock residents in their rooms.",
            "reported_by": "anonymous",
            "update_cadence": "fortnightly",
            "advocacy": "no",
        },
    )
    assert sent["Location"] == "/tell-us-a-service-harmed-you/sent"
    report = HarmReport.objects.get()
    assert report.speaking_up is True and report.reported_by == "anonymous"
    pages["sent"] = reporter.get(sent["Location"]).content.decode()
    assert "Choose a passphrase" in pages["sent"]
    assert reporter.post("/keep-a-way-back", {"passphrase": PASSPHRASE, "again": PASSPHRASE}).status_code == 302
    report.refresh_from_db()
    assert report.follow_up is not None
    reference = report.follow_up.reference
    pages["kept"] = reporter.get("/keep-a-way-back/kept").content.decode()
    assert reference in pages["kept"] and reference in reporter.get(sent["Location"]).content.decode()

    responder = Client()
    responder.force_login(housing_officer)
    assert (
        "They did not give their name, but they chose a passphrase"
        in responder.get(f"/harm/reports/{report.uuid}").content.decode()
    )
    responder.post(f"/harm/reports/{report.uuid}", {"action": "ask", "text": "Which ward, and on which nights?"})

    later = Client()
    later.post("/check-for-a-reply", {"reference": reference, "passphrase": PASSPHRASE})
    pages["messages"] = later.get("/check-for-a-reply/messages").content.decode()
    assert "Which ward" in pages["messages"] and housing_officer.name not in pages["messages"]
    later.post("/check-for-a-reply/messages", {"text": "Ward 3, most weekends."})
    told = {n.user for n in Notification.objects.filter(text__contains=reference)}
    assert {housing_officer, lead} <= told
    assert not Notification.objects.filter(text__contains="Ward 3").exists()

    pages["named"] = later.get("/check-for-a-reply/give-your-name").content.decode()
    assert "Who are you?" in pages["named"]
    no_who = later.post("/check-for-a-reply/give-your-name", {"name": "Alex Reed", "email": "alex@example.com"})
    assert no_who.status_code == 400 and "Say who you are" in no_who.content.decode()
    later.post(
        "/check-for-a-reply/give-your-name",
        {"name": "Alex Reed", "email": "alex@example.com", "who": "practitioner"},
    )
    report.refresh_from_db()
    assert (report.reported_by, report.contact_name, report.contact_detail) == (
        "practitioner",
        "Alex Reed",
        "alex@example.com",
    )
    assert report.description == "Night staff lock residents in their rooms."
    assert report.history.filter(note__contains="gave their name").exists()
    page = responder.get(f"/harm/reports/{report.uuid}").content.decode()
    assert "Alex Reed" in page and "Ward 3, most weekends." in page

    for name, html in pages.items():
        text = page_text(html)
        assert reading_age(text) <= 9, (name, round(reading_age(text), 1))
        assert forbidden_in(text) == [], (name, forbidden_in(text))
