from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.audit.testing import assert_audited
from joinedup.incidents.models import Incident, TriageItem
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


def body(person: Person | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reported_by": "practitioner",
        "entry_point": {"setting": "primary", "need": "mental"},
        "occurred_between": ["2026-10-01", "2026-10-31"],
        "location_kind": "near_home",
        "description": "Teenagers throw eggs at my window and shout that I'm mental.",
        "kinds": ["verbal_abuse", "criminal_damage"],
        "perceived_hostility": {"strands": ["disability"], "perceived_by": ["victim", "practitioner"]},
        "perpetrators": [{"relationship": "stranger", "details": "group of 4, school uniform"}],
        "impacts": ["fear", "mental_health_deterioration"],
        "happened_before": "yes",
        "police_aware": False,
        "dismissed_as_symptom": True,
        "care_and_support": {"has_needs": "yes", "unable_to_protect_self": "unknown"},
        "wishes": "I want it to stop. I don't want them arrested, they're kids.",
        "wanted_actions": ["make_it_stop", "feel_safe_at_home"],
    }
    if person is not None:
        data["person_id"] = str(person.uuid)
    data.update(overrides)
    return data


def test_create_and_read_back(nurse: User, robert: Person, api_for: Callable[[User], APIClient]) -> None:
    client = api_for(nurse)
    response = client.post("/api/v1/incidents", body(robert), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["person_id"] == str(robert.uuid) and created["case_id"]
    assert created["classification"]["hate_incident"] is True
    assert {o["code"] for o in created["classification"]["possible_offences"]} >= {"public_order_s5", "criminal_damage"}
    assert created["classification"]["safeguarding"]["s42_criteria_met"] is None
    assert created["occurred_between"] == ["2026-10-01", "2026-10-31"]
    again = client.get(f"/api/v1/incidents/{created['id']}").json()
    assert again["description"] == body()["description"] and again["dismissed_as_symptom"] is True
    assert_audited("view", object_id=created["id"], actor=nurse)


def test_entry_point_defaults_to_the_agency(nurse: User, robert: Person, api_for: Callable[[User], APIClient]) -> None:
    data = body(robert)
    del data["entry_point"]
    created = api_for(nurse).post("/api/v1/incidents", data, format="json").json()
    assert created["entry_point"] == {"setting": "primary", "need": "physical"}


def test_idempotency_key_creates_one_incident(
    nurse: User, robert: Person, api_for: Callable[[User], APIClient]
) -> None:
    client = api_for(nurse)
    first = client.post("/api/v1/incidents", body(robert), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/incidents", body(robert), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Incident.objects.count() == 1
    reused = client.post("/api/v1/incidents", body(robert, kinds=["theft"]), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"


BAD = [
    ("missing-description", {"description": ""}, "description"),
    ("unknown-kind", {"kinds": ["shouting"]}, "kinds.0"),
    (
        "unknown-strand",
        {"perceived_hostility": {"strands": ["height"], "perceived_by": ["victim"]}},
        "perceived_hostility.strands.0",
    ),
    ("strand-without-perceiver", {"perceived_hostility": {"strands": ["race"], "perceived_by": []}}, "perceived_by"),
    (
        "other-strand-without-detail",
        {"perceived_hostility": {"strands": ["other"], "perceived_by": ["victim"]}},
        "other_detail",
    ),
    ("dates-the-wrong-way-round", {"occurred_between": ["2026-10-31", "2026-10-01"]}, "occurred_between"),
    ("future-date", {"occurred_between": None, "occurred_on": "2099-01-01"}, "occurred_on"),
    ("both-date-forms", {"occurred_on": "2026-10-02"}, "occurred_on"),
    ("bad-date", {"occurred_between": None, "occurred_on": "31/10/2026"}, "occurred_on"),
    ("bad-relationship", {"perpetrators": [{"relationship": "boss"}]}, "perpetrators.0.relationship"),
    ("bad-happened-before", {"happened_before": "maybe"}, "happened_before"),
    ("bad-entry-point", {"entry_point": {"setting": "moon", "need": "mental"}}, "entry_point.setting"),
    ("bad-impact", {"impacts": ["boredom"]}, "impacts.0"),
    ("no-person-and-not-anonymous", {"person_id": None}, "person_id"),
]


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_every_bad_input_is_a_400_naming_the_field_and_stores_nothing(
    nurse: User, robert: Person, api_for: Callable[[User], APIClient], changes: dict[str, Any], field: str
) -> None:
    response = api_for(nurse).post("/api/v1/incidents", body(robert, **changes), format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error
    assert not Incident.objects.exists()


def test_malformed_json_is_a_400(nurse: User, api_for: Callable[[User], APIClient]) -> None:
    response = api_for(nurse).post("/api/v1/incidents", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "parse_error"


def test_unknown_or_invisible_person_is_404(
    housing_officer: User, robert: Person, api_for: Callable[[User], APIClient]
) -> None:
    client = api_for(housing_officer)
    assert client.post("/api/v1/incidents", body(robert), format="json").status_code == 404
    assert client.get(f"/api/v1/people/{robert.uuid}").status_code == 404
    assert client.get("/api/v1/people?q=Robert Smith").json()["count"] == 0


def test_an_incident_is_404_to_an_unrelated_agency(
    nurse: User, housing_officer: User, robert: Person, api_for: Callable[[User], APIClient]
) -> None:
    created = api_for(nurse).post("/api/v1/incidents", body(robert), format="json").json()
    assert api_for(housing_officer).get(f"/api/v1/incidents/{created['id']}").status_code == 404


def test_anonymous_report_from_a_practitioner_goes_to_the_hub(
    nurse: User, lead_agency: Agency, api_for: Callable[[User], APIClient]
) -> None:
    response = api_for(nurse).post("/api/v1/incidents", body(None, anonymous=True), format="json")
    assert response.status_code == 201
    assert response.json()["person_id"] is None
    assert TriageItem.objects.get().hub == lead_agency


def test_people_create_search_and_read(nurse: User, api_for: Callable[[User], APIClient]) -> None:
    client = api_for(nurse)
    created = client.post(
        "/api/v1/people",
        {
            "given_name": "Robert",
            "family_name": "Smith",
            "date_of_birth": "1980-03-12",
            "postcode": "em12ab",
            "safe_contact": {"allowed": ["text"], "notes": "no voicemail"},
            "phone": "07700 900982",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["postcode"] == "EM1 2AB"
    found = client.get("/api/v1/people?q=bob smyth 12/03/1980").json()
    assert found["results"][0]["id"] == created.json()["id"]
    assert found["results"][0]["match_score"] >= 0.85
    assert client.get(f"/api/v1/people/{created.json()['id']}").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"given_name": "", "family_name": ""}, "given_name"),
        ({"given_name": "A", "postcode": "nope"}, "postcode"),
        ({"given_name": "A", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"given_name": "A", "safe_contact": {"allowed": ["phone"]}}, "safe_contact"),
        ({"given_name": "A", "safe_contact": {"allowed": ["pigeon"]}}, "safe_contact.allowed.0"),
    ],
)
def test_people_bad_input(nurse: User, api_for: Callable[[User], APIClient], data: dict[str, Any], field: str) -> None:
    response = api_for(nurse).post("/api/v1/people", data, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert not Person.objects.exists()


def test_search_needs_a_query(nurse: User, api_for: Callable[[User], APIClient]) -> None:
    response = api_for(nurse).get("/api/v1/people")
    assert response.status_code == 400 and "q" in response.json()["error"]["fields"]
