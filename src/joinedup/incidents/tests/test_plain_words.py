"""Every public page reads at a reading age of 9 or under (Flesch–Kincaid grade + 5, over the rendered text),
and no page — public, or a practitioner's — shows file names, section marks, source tags, seed references, raw
values, ISO dates or wrong plurals. The journeys are walked the way people walk them, so every question page,
check your answers, help now, the confirmation and "tell us more" are measured as rendered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import make_user
from joinedup.core.tests.plain_words import forbidden_in, page_text, reading_age
from joinedup.incidents.models import Incident, TriageItem
from joinedup.incidents.tests.test_journeys import INCIDENT_ANSWERS

pytestmark = pytest.mark.django_db

MAX_READING_AGE = 9
INFORMATION_PAGES = [
    "/",
    "/easy-read",
    "/cover-your-tracks",
    "/privacy",
    "/cookies",
    "/accessibility",
    "/report/start",
    "/report/resume",
    "/report/expired",
]
CRISIS = {**INCIDENT_ANSWERS, "safe-now": {"safety_now": ["suicidal_thoughts"]}}


def _visit_journey(client: Client, about: str, answers: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Walk a public journey to the end and through "tell us more"; every page's HTML by its address."""
    pages: dict[str, str] = {}
    url = client.post("/report/start", {"about": about})["Location"]
    for _ in range(60):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages[f"{about} {url}"] = html
        if url.endswith("/report/check"):
            url = client.post(url)["Location"]
            continue
        if url.startswith("/report/done"):
            if "/report/done/easy-read" not in pages and "easy" not in url:
                pages[f"{about} /report/done/easy-read"] = client.get("/report/done/easy-read").content.decode()
            more = re.findall(r'href="(/report/more/[a-z-]+)"', html)
            if not more:
                return pages
            url = more[0]
            continue
        if "help-now" in url:
            url = re.findall(r'href="(/report/[^"]+)"[^>]*class="govuk-button"', html)[0]
            continue
        slug = url.rsplit("/", 1)[1]
        response = client.post(url, answers.get(slug, {}))
        assert response.status_code == 302, (url, response.content.decode()[:300])
        url = response["Location"]
    raise AssertionError("the journey does not end")


@pytest.fixture
def public_pages(lead_agency: Agency) -> dict[str, str]:
    client = Client()
    pages = {path: client.get(path).content.decode() for path in INFORMATION_PAGES}
    pages["/no-such-page"] = client.get("/no-such-page").content.decode()
    pages.update(_visit_journey(Client(), "self", CRISIS))
    pages.update(_visit_journey(Client(), "third_party", INCIDENT_ANSWERS))
    anonymous = {**INCIDENT_ANSWERS, "name": {"give_name": "no"}}
    pages.update({f"anonymous {k}": v for k, v in _visit_journey(Client(), "self", anonymous).items()})
    return pages


def test_every_public_page_reads_at_age_nine_or_under(public_pages: dict[str, str]) -> None:
    ages = {name: round(reading_age(page_text(html)), 1) for name, html in public_pages.items()}
    too_hard = {name: age for name, age in ages.items() if age > MAX_READING_AGE}
    assert len(ages) > 40, "every page of every public journey is measured"
    assert too_hard == {}, f"reading age over {MAX_READING_AGE}: {too_hard}"


def test_no_internal_references_on_public_pages(public_pages: dict[str, str]) -> None:
    found = {name: forbidden_in(page_text(html)) for name, html in public_pages.items()}
    assert {name: f for name, f in found.items() if f} == {}


def test_someone_else_is_spoken_of_in_the_third_person(public_pages: dict[str, str]) -> None:
    """The options a friend or supporter chooses from describe the person ("them"), never "me" or "your"."""
    first_person = re.compile(r"\b(my|myself|your|yourself)\b", re.IGNORECASE)
    for name, html in public_pages.items():
        if not name.startswith("third_party /report/") or "/done" in name:
            continue
        options = re.findall(r'class="govuk-(?:radios|checkboxes)__label"[^>]*>\s*([^<]+)<', html)
        wrong = [o.strip() for o in options if first_person.search(o)]
        assert wrong == [], f"{name}: {wrong}"
        rows = [r.strip() for r in re.findall(r'<dt class="govuk-summary-list__key">\s*([^<]+)<', html)]
        about_the_reporter = {"Your name", "Your phone number (optional)", "Your email address (optional)"}
        assert [r for r in rows if first_person.search(r) and r not in about_the_reporter] == [], name


def test_practitioner_pages_show_no_internal_references(lead_agency: Agency) -> None:
    """The pages a hub worker reaches from a report: the queue, the report, the record it becomes."""
    client = Client()
    _visit_journey(client, "self", CRISIS)
    worker = make_user(lead_agency, "practitioner", email="hub@lead.example")
    hub = Client()
    hub.force_login(worker)
    item = TriageItem.objects.get()
    pages = {
        "/my-work": hub.get("/my-work"),
        "/triage": hub.get("/triage"),
        f"/triage/{item.uuid}": hub.get(f"/triage/{item.uuid}"),
    }
    hub.post(f"/triage/{item.uuid}", {"action": "new"})
    incident = Incident.objects.get()
    assert incident.person is not None and incident.case is not None
    pages[f"/incidents/{incident.uuid}"] = hub.get(f"/incidents/{incident.uuid}")
    pages[f"/people/{incident.person.uuid}"] = hub.get(f"/people/{incident.person.uuid}")
    pages[f"/cases/{incident.case.uuid}"] = hub.get(f"/cases/{incident.case.uuid}")
    pages["/triage?show=anonymous"] = hub.get("/triage?show=anonymous")
    for path, response in pages.items():
        assert response.status_code == 200, path
        text = page_text(response.content.decode())
        assert forbidden_in(text) == [], (path, forbidden_in(text))
