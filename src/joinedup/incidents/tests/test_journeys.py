"""The three doors through their pages (server-side; the browser versions are in tests/browser)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.cases.models import Case
from joinedup.incidents.models import Incident, JourneyDraft, TriageItem
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db

INCIDENT_ANSWERS: dict[str, dict[str, Any]] = {
    "what-happened": {"description": "They keep shouting at me in the street.\nCalled me a nutter."},
    "when": {"when": "on_date", "on_date_0": "3", "on_date_1": "11", "on_date_2": "2026"},
    "where": {"location_kind": "street"},
    "what-kind": {"kinds": ["verbal_abuse", "threats"]},
    "why": {"strands": ["disability"], "perceived_by": ["victim"], "person_agrees": "yes"},
    "who": {"relationships": ["neighbour"], "perpetrator_details": "Lives at number 4"},
    "hurt": {"injured": "no"},
    "impacts": {"impacts": ["fear"]},
    "before": {"happened_before": "yes"},
    "police": {"police_aware": "no"},
    "believed": {"dismissed": "yes"},
    "support": {"has_needs": "yes", "can_protect": "no"},
    "safe-now": {"safety_now": ["none"]},
    "about-person": {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": "", "postcode": "EM1 2AB"},
    "anything-else": {"wishes": "I want to feel safe"},
    "wishes": {"wanted_actions": ["make_it_stop"], "wishes": "I want to feel safe"},
    "name": {
        "give_name": "yes",
        "given_name": "Robbie",
        "family_name": "Smith",
        "postcode": "EM1 2AB",
        "date_of_birth_0": "",
        "date_of_birth_1": "",
        "date_of_birth_2": "",
    },
    "contact": {"channels": ["text"], "text_phone": "07700 900982", "contact_notes": "no voicemail"},
    "contact-them": {"contact_whom": "me"},
    "communication": {"communication_needs": "Easy read please"},
    "reporter": {
        "reporter_name": "Sam",
        "reporter_relationship": "sister",
        "reporter_phone": "07700 900123",
        "person_knows": "yes",
    },
    "entry-point": {"setting": "acute", "need": "mental"},
}


def walk(client: Client, url: str, answers: dict[str, dict[str, Any]]) -> str:
    """Answer each page in turn until check-your-answers; return its URL."""
    seen = 0
    while not url.endswith("/check"):
        seen += 1
        assert seen < 30, "the journey does not end"
        slug = url.rstrip("/").rsplit("/", 1)[1]
        assert client.get(url).status_code == 200, url
        response = client.post(url, answers[slug])
        assert response.status_code == 302, (slug, _errors(response.content.decode()))
        url = response["Location"]
    return url


def _errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r"Error:</span>([^<]*)", html)]


def test_self_report_lands_in_the_hub_queue_with_contact_rules(lead_agency: Agency) -> None:
    client = Client()
    response = client.post("/report/start", {"about": "self"})
    check = walk(client, response["Location"], INCIDENT_ANSWERS)
    page = client.get(check).content.decode()
    assert "Check your answers" in page and "Called me a nutter." in page
    done = client.post(check)
    assert done["Location"] == "/report/done"
    reference = re.findall(r"<strong>([A-Z0-9-]+)</strong>", client.get("/report/done").content.decode())[0]
    item = TriageItem.objects.get(reference=reference)
    assert item.hub == lead_agency
    assert item.incident.reported_by == "self" and item.incident.perceived_by == ["victim"]
    assert item.incident.description == "They keep shouting at me in the street.\nCalled me a nutter."
    assert item.reported_identity["contact_allowed"] == ["text"]
    assert item.incident.kinds == [] and not item.incident.urgent, "asked after sending, not before"
    assert JourneyDraft.objects.get().submitted_incident == item.incident
    assert client.get(check)["Location"] == "/report/done", "Back after sending shows the confirmation"
    assert TriageItem.objects.count() == 1


def tell_more(client: Client, answers: dict[str, dict[str, Any]]) -> list[str]:
    """Walk the optional pages after sending, from the confirmation's link; return the pages seen."""
    html = client.get("/report/done").content.decode()
    url = re.findall(r'href="(/report/more/[a-z-]+)"', html)[0]
    seen = []
    while url.startswith("/report/more/"):
        if "help-now" in url:
            seen.append("help-now")
            html = client.get(url).content.decode()
            url = re.findall(r'href="(/report/[^"]+)"[^>]*class="govuk-button"', html)[0]
            continue
        slug = url.rsplit("/", 1)[1]
        seen.append(slug)
        assert client.get(url).status_code == 200, url
        response = client.post(url, answers.get(slug, {}))
        assert response.status_code == 302, (slug, _errors(response.content.decode()))
        url = response["Location"]
    assert url == "/report/done?added=1"
    return seen


def test_tell_us_more_after_sending_joins_the_same_report_and_a_crisis_makes_it_urgent(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    client.post(check)
    item = TriageItem.objects.get()
    due = item.due_on
    assert due is not None and due > item.received_at.date()
    more = {**INCIDENT_ANSWERS, "impacts": {"impacts": ["fear", "suicidality"]}}
    seen = tell_more(client, more)
    assert seen[: seen.index("help-now")][-1] == "impacts", "help comes on the very next page"
    assert "about-person" in seen and "what-happened" not in seen, "never asked twice"
    item.refresh_from_db()
    incident = item.incident
    assert Incident.objects.count() == 1
    assert incident.kinds == ["verbal_abuse", "threats"] and incident.care_unable_to_protect_self == "yes"
    assert incident.urgent and incident.risk_flags == ["suicidal_thoughts", "cannot_keep_safe"]
    assert item.due_on == item.received_at.date()
    assert item.reported_identity["postcode"] == "EM1 2AB"
    assert incident.wishes == "I want to feel safe"
    assert incident.description == "They keep shouting at me in the street.\nCalled me a nutter."


def test_an_anonymous_self_report_skips_contact_questions(lead_agency: Agency) -> None:
    client = Client()
    answers = {**INCIDENT_ANSWERS, "name": {"give_name": "no"}}
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], answers)
    client.post(check)
    incident = Incident.objects.get()
    assert incident.anonymous is True
    assert TriageItem.objects.get().reported_identity["given_name"] == ""


def test_third_party_report_records_the_reporter_and_who_perceived(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "third_party"})["Location"], INCIDENT_ANSWERS)
    client.post(check)
    incident = Incident.objects.get()
    assert incident.reported_by == "third_party"
    assert incident.reporter["name"] == "Sam" and incident.reporter["contact"] == "me"
    assert set(incident.perceived_by) == {"other_person", "victim"}


def test_errors_keep_what_was_typed(lead_agency: Agency) -> None:
    client = Client()
    client.post("/report/start", {"about": "self"})
    for slug in ("what-happened", "when", "where", "what-kind"):
        client.post(f"/report/{slug}", INCIDENT_ANSWERS[slug])
    response = client.post("/report/why", {"strands": ["other", "race"]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say what else it was because of" in html
    assert re.search(r'value="race"\s+checked', html), "the ticked box stays ticked"
    assert re.search(r'value="other"\s+checked', html)


def test_a_lost_session_loses_nothing_thanks_to_the_resume_code(lead_agency: Agency) -> None:
    client = Client()
    client.post("/report/start", {"about": "self"})
    client.post("/report/what-happened", INCIDENT_ANSWERS["what-happened"])
    code = JourneyDraft.objects.get().resume_code
    fresh = Client()  # the session has timed out, or it is another device
    assert fresh.get("/report/when")["Location"] == "/report/expired"
    response = fresh.post("/report/resume", {"code": code.lower().replace("-", " ")})
    assert response["Location"] == "/report/when"
    assert "Called me a nutter." in fresh.get("/report/what-happened").content.decode()
    wrong = fresh.post("/report/resume", {"code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and "We cannot find a report with that code" in wrong.content.decode()


def test_public_reporting_is_rate_limited(lead_agency: Agency, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_report": "2/hour"},
    }
    client = Client()
    assert client.post("/report/start", {"about": "self"}).status_code == 302
    assert client.post("/report/start", {"about": "self"}).status_code == 302
    assert client.post("/report/start", {"about": "self"}).status_code == 429


def _practitioner(client: Client, user: User) -> None:
    client.force_login(user)


def test_practitioner_searches_first_then_records_for_the_matched_person(
    nurse: User, gp: Agency, robert: Person
) -> None:
    client = Client()
    _practitioner(client, nurse)
    start = client.post("/record/start")
    person_url = start["Location"]
    assert person_url.endswith("/person")
    page = client.post(person_url, {"given_name": "Bob", "family_name": "Smyth"}).content.decode()
    assert "Robert Smith" in page and "given name is a known variant" in page.lower()
    chosen = client.post(person_url, {"choose": str(robert.uuid)})
    check = walk(client, chosen["Location"], INCIDENT_ANSWERS)
    incident_page = client.post(check)
    incident = Incident.objects.get()
    assert incident_page["Location"] == f"/incidents/{incident.uuid}"
    assert incident.person == robert and incident.recording_agency == gp
    assert (incident.entry_setting, incident.entry_need) == ("acute", "mental")
    assert Case.objects.get(person=robert).key_worker == nurse
    html = client.get(incident_page["Location"]).content.decode()
    assert "Called me a nutter." in html and "Hate incident (perceived)" in html


def test_practitioner_cannot_create_a_new_person_without_searching(nurse: User, gp: Agency) -> None:
    client = Client()
    _practitioner(client, nurse)
    person_url = client.post("/record/start")["Location"]
    client.post(person_url, {"new": "1"})
    assert JourneyDraft.objects.get().answers.get("person", {}).get("mode") is None
    client.post(person_url, {"given_name": "Ann", "family_name": "Lee"})
    client.post(person_url, {"new": "1"})
    check = walk(client, person_url.replace("/person", "/entry-point"), INCIDENT_ANSWERS)
    client.post(check)
    assert Person.objects.get().given_name == "Ann"
    assert Person.objects.get().safe_contact["allowed"] == ["text"]


def test_existing_contact_rules_are_not_asked_again(nurse: User, gp: Agency, robert: Person) -> None:
    client = Client()
    _practitioner(client, nurse)
    person_url = client.post("/record/start")["Location"]
    chosen = client.post(person_url, {"choose": str(robert.uuid)})
    walk(client, chosen["Location"], INCIDENT_ANSWERS)
    answered = JourneyDraft.objects.get().answers
    assert "contact" not in answered and "communication" in answered, "contact rules are on record already"


def test_drafts_belong_to_their_owner(nurse: User, gp: Agency) -> None:
    other = make_user(gp, "practitioner")
    client = Client()
    _practitioner(client, nurse)
    person_url = client.post("/record/start")["Location"]
    snooper = Client()
    snooper.force_login(other)
    assert snooper.get(person_url).status_code == 404


def test_hub_matches_a_public_report_through_the_pages(lead_agency: Agency) -> None:
    client = Client()
    check = walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    client.post(check)
    hub_worker = make_user(lead_agency, "practitioner")
    staff = Client()
    staff.force_login(hub_worker)
    queue = staff.get("/triage").content.decode()
    item = TriageItem.objects.get()
    assert item.reference in queue
    assert "1 report is waiting" in staff.get("/my-work").content.decode()
    response = staff.post(f"/triage/{item.uuid}", {"action": "new"})
    incident = Incident.objects.get()
    assert response["Location"] == f"/incidents/{incident.uuid}"
    assert incident.person is not None and incident.person.given_name == "Robbie"
    outsider = Client()
    outsider.force_login(make_user(Agency.objects.create(slug="x", name="X", kind="gp"), "practitioner"))
    assert outsider.get(f"/triage/{item.uuid}").status_code == 404
    assert outsider.get("/triage").status_code == 404


def test_a_draft_is_sent_once_even_if_submitted_twice(lead_agency: Agency) -> None:
    from joinedup.core.errors import Conflict
    from joinedup.incidents.services import draft_submit, public_report_submit

    client = Client()
    walk(client, client.post("/report/start", {"about": "self"})["Location"], INCIDENT_ANSWERS)
    draft = JourneyDraft.objects.get()
    from joinedup.incidents import journeys

    def send() -> TriageItem:
        return public_report_submit(data=journeys.incident_input(draft.answers, "self"), identity={})

    draft_submit(draft=draft, submit=send, incident_of=lambda made: made.incident)
    stale = JourneyDraft.objects.get(pk=draft.pk)
    stale.submitted_incident = None  # a second request that read the draft before the first one finished
    with pytest.raises(Conflict):
        draft_submit(draft=stale, submit=send, incident_of=lambda made: made.incident)
    assert TriageItem.objects.count() == 1


def test_expired_drafts_are_deleted_by_the_periodic_check(lead_agency: Agency) -> None:
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    client = Client()
    client.post("/report/start", {"about": "self"})
    client.post("/report/start", {"about": "third_party"})
    JourneyDraft.objects.filter(journey="self").update(expires_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("check_deadlines", stdout=out)
    assert list(JourneyDraft.objects.values_list("journey", flat=True)) == ["third_party"]
    assert "expired drafts deleted: 1" in out.getvalue()


def test_practitioner_search_takes_a_date_of_birth_in_a_govuk_date_input(nurse: User, gp: Agency) -> None:
    client = Client()
    _practitioner(client, nurse)
    person_url = client.post("/record/start")["Location"]
    html = client.get(person_url).content.decode()
    assert 'name="date_of_birth_0"' in html and 'name="date_of_birth_2"' in html
    bad = client.post(person_url, {"given_name": "Ann", "date_of_birth_0": "31", "date_of_birth_1": "2"})
    assert bad.status_code == 400 and "Date of birth must include a year" in bad.content.decode()
    good = {"given_name": "Ann", "date_of_birth_0": "3", "date_of_birth_1": "11", "date_of_birth_2": "1980"}
    assert client.post(person_url, good).status_code == 200
    assert JourneyDraft.objects.get().answers["person"]["search"]["date_of_birth"] == "1980-11-03"
    assert 'value="1980"' in client.get(person_url).content.decode(), "shown again as typed"
