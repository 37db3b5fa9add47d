"""Safe for a person in danger, server-side: Exit this page ends the session's hold on the report, nothing
personal is cached, a crisis answer brings help on the very next page and makes the report urgent, triage
puts urgent reports first with their flags and due day, and words typed when time ran out are kept."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.access.tests.test_url_matrix import MATRIX
from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import make_user
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.models import Incident, JourneyDraft, TriageItem
from joinedup.incidents.services import public_report_submit, triage_record_anonymous
from joinedup.incidents.tests.test_journeys import INCIDENT_ANSWERS, walk

pytestmark = pytest.mark.django_db

STORY = "The man next door calls me names every night."
HELP_NOW = ("999", "press 55", "NHS 111", "option 2", "116 123", "SHOUT", "85258")


def _started(client: Client, about: str = "self") -> JourneyDraft:
    client.post("/report/start", {"about": about})
    client.post("/report/what-happened", {"description": STORY})
    return JourneyDraft.objects.get()


def test_exit_this_page_ends_the_session_hold_and_leaves_for_a_neutral_site(lead_agency: Agency) -> None:
    client = Client()
    draft = _started(client)
    assert STORY in client.get("/report/what-happened").content.decode()
    html = client.get("/report/when").content.decode()
    assert 'href="/exit"' in html, "the exit button goes through the server, not straight to the other site"
    response = client.get("/exit")
    assert response.status_code == 302 and response["Location"] == "https://www.bbc.co.uk/weather"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response["Referrer-Policy"] == "no-referrer"
    for path in ("/report/what-happened", "/report/check", "/report/when", "/report/done"):
        after = client.get(path, follow=True)
        assert STORY not in after.content.decode(), path
        assert draft.resume_code not in after.content.decode(), path
    # The code, if they wrote it down, still brings the story back — on purpose, not by pressing Back.
    resumed = client.post("/report/resume", {"code": draft.resume_code})
    assert resumed["Location"] == "/report/when"
    assert STORY in client.get("/report/what-happened").content.decode()


def test_exit_works_by_post_without_a_form_token() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/exit")["Location"] == "https://www.bbc.co.uk/weather"


def test_back_after_sending_shows_the_confirmation(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    client.post(check)
    for path in (check, "/report/contact", "/report/what-happened"):
        assert client.get(path)["Location"] == "/report/done", path


@pytest.mark.parametrize(("name", "path"), [(n, p) for n, (p, _) in MATRIX.items()], ids=list(MATRIX))
def test_every_response_is_never_stored(name: str, path: str) -> None:
    """Pages, API answers, PDFs, redirects and errors: none may stay in a browser's cache (anonymous here;
    signed in below)."""
    response = Client().get(path)
    # Exactly no-store, or Django's never_cache (which some pages use on top): no-store, and nothing that keeps.
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives and not directives & {"public", "immutable"}, name
    assert directives <= {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"}, name


def test_personal_pages_and_api_answers_are_never_stored(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    assert client.get(check)["Cache-Control"] == "no-store"
    client.post(check)
    assert client.get("/report/done")["Cache-Control"] == "no-store"
    worker = make_user(lead_agency, "practitioner", email="hub@lead.example")
    hub = Client()
    hub.force_login(worker)
    item = TriageItem.objects.get()
    hub.post(f"/triage/{item.uuid}", {"action": "new"})
    incident = Incident.objects.get()
    assert incident.person is not None and incident.case is not None
    for path in (
        "/my-work",
        "/triage",
        f"/triage/{item.uuid}",
        f"/incidents/{incident.uuid}",
        f"/people/{incident.person.uuid}",
        f"/cases/{incident.case.uuid}",
        f"/api/v1/incidents/{incident.uuid}",
        f"/api/v1/people/{incident.person.uuid}",
        f"/api/v1/cases/{incident.case.uuid}/timeline",
    ):
        response = hub.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("crisis", ["danger_now", "suicidal_thoughts", "self_harm", "cannot_keep_safe"])
def test_a_crisis_answer_brings_help_on_the_very_next_page(lead_agency: Agency, crisis: str) -> None:
    client = Client()
    answers = {**INCIDENT_ANSWERS, "safe-now": {"safety_now": [crisis]}}
    url = client.post("/report/start", {"about": "self"})["Location"]
    while not url.endswith("safe-now"):
        url = client.post(url, answers[url.rsplit("/", 1)[1]])["Location"]
    response = client.post(url, answers["safe-now"])
    assert response["Location"] == "/report/help-now?after=safe-now"
    html = client.get(response["Location"]).content.decode()
    for words in HELP_NOW:
        assert words in html, words
    assert 'href="/report/wishes"' in html, "then the journey goes on"
    check = walk(client, "/report/wishes", answers)
    client.post(check)
    item = TriageItem.objects.get()
    assert item.incident.urgent and item.incident.risk_flags == [crisis]
    assert item.due_on == timezone.localdate()
    assert "today" in client.get("/report/done").content.decode()


def test_no_crisis_goes_straight_on(lead_agency: Agency) -> None:
    client = Client()
    url = client.post("/report/start", {"about": "self"})["Location"]
    while not url.endswith("safe-now"):
        url = client.post(url, INCIDENT_ANSWERS[url.rsplit("/", 1)[1]])["Location"]
    assert client.post(url, {"safety_now": ["none"]})["Location"] == "/report/wishes"


def test_triage_sorts_urgent_first_with_flags_and_due_day_and_keeps_anonymous_reports_findable(
    lead_agency: Agency,
) -> None:
    calm = public_report_submit(data=IncidentInput(description="Older, calm.", reported_by="self"), identity={})
    TriageItem.objects.filter(pk=calm.pk).update(received_at=timezone.now() - timedelta(days=3))
    urgent = public_report_submit(
        data=IncidentInput(description="Newer, in danger.", reported_by="self", safety_now=("danger_now",)),
        identity={},
    )
    gone = public_report_submit(
        data=IncidentInput(description="Nobody to contact.", reported_by="self", anonymous=True), identity={}
    )
    worker = make_user(lead_agency, "practitioner", email="hub@lead.example")
    triage_record_anonymous(actor=worker, item=gone, note="No name or contact given")
    hub = Client()
    hub.force_login(worker)
    html = hub.get("/triage").content.decode()
    assert html.index(urgent.reference) < html.index(calm.reference), "urgent first, though newer"
    assert "Urgent" in html and "In danger now" in html and "Today" in html
    assert calm.due_on is not None and f"{calm.due_on.day} {calm.due_on:%B %Y}" in html
    assert "2 reports waiting" in html and gone.reference not in html
    kept = hub.get("/triage?show=anonymous").content.decode()
    assert gone.reference in kept and "No name or contact given" in kept and "1 report kept anonymous" in kept
    assert "No name or contact given" in hub.get(f"/triage/{gone.uuid}").content.decode()


def test_words_sent_after_the_session_ended_are_kept_with_the_draft(lead_agency: Agency) -> None:
    client = Client()
    draft = _started(client)
    later = Client()  # the session has gone (timed out): a new browser session, the page still open
    response = later.post("/report/when", {"draft": str(draft.uuid), "when": "yesterday"})
    assert response["Location"] == "/report/expired"
    page = later.get("/report/expired").content.decode()
    assert "We saved what you typed on the last page" in page
    assert STORY not in page and draft.resume_code not in page
    draft.refresh_from_db()
    assert draft.answers["when"]["when"] == "yesterday"
    # A page with a problem: the raw words are kept, and shown again after resuming with the code.
    later.post("/report/why", {"draft": str(draft.uuid), "strands": ["other"], "other_detail": ""})
    draft.refresh_from_db()
    assert draft.answers["_unsent"]["why"] == {"strands": ["other"]}
    assert "We kept what you typed" in later.get("/report/expired").content.decode()
    resumed = Client()
    resumed.post("/report/resume", {"code": draft.resume_code})
    assert 'value="other" checked' in resumed.get("/report/why").content.decode()
    resumed.post("/report/why", {"strands": ["race"]})
    draft.refresh_from_db()
    assert "why" not in draft.answers["_unsent"], "once sent properly, the kept copy goes"


def test_a_post_for_an_unknown_draft_keeps_nothing_and_shows_nothing(lead_agency: Agency) -> None:
    response = Client().post("/report/what-happened", {"draft": str(uuid.uuid4()), "description": "x"})
    assert response["Location"] == "/report/expired"
    assert Client().post("/report/what-happened", {"draft": "not-a-uuid", "description": "x"}).status_code == 302


def test_timing_out_with_the_warning_sends_the_page_and_closes_the_report(lead_agency: Agency) -> None:
    client = Client()
    draft = _started(client)
    response = client.post("/report/when", {"draft": str(draft.uuid), "when": "today", "timed_out": "1"})
    assert response["Location"] == "/report/expired"
    draft.refresh_from_db()
    assert draft.answers["when"]["on_date"] == timezone.localdate().isoformat()
    assert client.get("/report/what-happened")["Location"] == "/report/expired", "closed on this device"


def test_keep_alive_renews_the_session_only_while_a_report_is_open(lead_agency: Agency) -> None:
    client = Client()
    assert client.post("/report/keep-alive").status_code == 410
    _started(client)
    response = client.post("/report/keep-alive")
    assert response.status_code == 200 and response.json()["seconds"] == 1800
    assert response["Cache-Control"] == "no-store"


def test_the_time_out_warning_is_on_public_question_pages_only(lead_agency: Agency) -> None:
    client = Client()
    _started(client)
    html = client.get("/report/when").content.decode()
    assert 'data-module="app-timeout-warning"' in html and 'data-timeout-seconds="1800"' in html
    assert 'data-warning-seconds="120"' in html
    assert re.search(r'<dialog[^>]*aria-labelledby="app-timeout-heading"', html)
    assert 'data-module="app-timeout-warning"' not in Client().get("/").content.decode()


def test_timing_out_on_tell_us_more_saves_then_closes(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    client.post(check)
    response = client.post("/report/more/what-kind", {"kinds": ["theft"], "timed_out": "1"})
    assert response["Location"] == "/report/expired"
    assert Incident.objects.get().kinds == ["theft"]
    assert client.get("/report/more/who")["Location"] == "/report/expired"
    assert client.get("/report/done")["Location"] == "/"
