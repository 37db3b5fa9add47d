"""The public follow-up API (no account, no token): the contract's names, one documented answer for an unknown
reference and a wrong passphrase (404 not_found), 429 with Retry-After, and nothing personal in any answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.followup import services
from joinedup.followup.models import FollowUp
from joinedup.incidents.models import TriageItem

pytestmark = pytest.mark.django_db
PHRASE = "purple harbour lantern"
REPORT = {"description": "They wrote slurs on my door again.", "anonymous": True, "reported_by": "third_party"}


@pytest.fixture
def hub_worker(lead_agency: Agency) -> User:
    return make_user(lead_agency, "practitioner", email="hub@lead.example", name="Hana Hub")


@pytest.fixture
def reference(nurse: User, lead_agency: Agency, api_for: Callable[[User], APIClient]) -> str:
    """A charity worker passes on an anonymous report; the reporter chose the passphrase with them."""
    answer = api_for(nurse).post("/api/v1/incidents", {**REPORT, "passphrase": PHRASE}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["reference"] == TriageItem.objects.get().reference
    assert "passphrase" not in answer.json()
    return str(answer.json()["reference"])


def test_reading_answering_and_coming_forward(reference: str, hub_worker: User) -> None:
    public = APIClient()
    first = public.post("/api/v1/public/follow-up", {"reference": reference, "passphrase": PHRASE}, format="json")
    assert first.status_code == 200
    assert first.json() == {"reference": reference, "named": False, "messages": []}

    services.follow_up_ask(actor=hub_worker, follow_up=FollowUp.objects.get(), text="Which door, and since when?")
    read = public.post("/api/v1/public/follow-up", {"reference": reference, "passphrase": PHRASE}, format="json")
    [message] = read.json()["messages"]
    assert set(message) == {"from", "text", "at"} and message["from"] == "service"
    assert "Hana" not in str(read.json()) and "Lead" not in str(read.json())

    empty = public.post(
        "/api/v1/public/follow-up/messages", {"reference": reference, "passphrase": PHRASE, "text": ""}, format="json"
    )
    assert empty.status_code == 400 and "text" in empty.json()["error"]["fields"]
    sent = public.post(
        "/api/v1/public/follow-up/messages",
        {"reference": reference, "passphrase": PHRASE, "text": "Number 12, since May."},
        format="json",
    )
    assert sent.status_code == 201
    assert [m["from"] for m in sent.json()["messages"]] == ["service", "you"]

    bad = public.post(
        "/api/v1/public/follow-up/named",
        {"reference": reference, "passphrase": PHRASE, "name": "Kim Ray"},
        format="json",
    )
    assert bad.status_code == 400 and "phone" in bad.json()["error"]["fields"]
    named = public.post(
        "/api/v1/public/follow-up/named",
        {"reference": reference, "passphrase": PHRASE, "name": "Kim Ray", "phone": "07700 900111"},
        format="json",
    )
    assert named.status_code == 200 and named.json()["named"] is True
    again = public.post(
        "/api/v1/public/follow-up/named",
        {"reference": reference, "passphrase": PHRASE, "name": "Kim Ray", "phone": "07700 900111"},
        format="json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_named"


def test_unknown_reference_and_wrong_passphrase_get_the_same_answer(reference: str) -> None:
    public = APIClient()
    wrong = public.post(
        "/api/v1/public/follow-up", {"reference": reference, "passphrase": "nope nope nope"}, format="json"
    )
    unknown = public.post("/api/v1/public/follow-up", {"reference": "ZZZZ-ZZZZ", "passphrase": PHRASE}, format="json")
    malformed = public.post("/api/v1/public/follow-up", {"reference": "x", "passphrase": PHRASE}, format="json")
    assert wrong.status_code == unknown.status_code == malformed.status_code == 404
    assert wrong.json() == unknown.json() == malformed.json()
    assert wrong.json()["error"]["code"] == "not_found"
    missing = public.post("/api/v1/public/follow-up", {"reference": reference}, format="json")
    assert missing.status_code == 400 and "passphrase" in missing.json()["error"]["fields"]


def test_too_many_tries_answers_429_with_retry_after(reference: str) -> None:
    public = APIClient()
    for _ in range(5):
        assert (
            public.post(
                "/api/v1/public/follow-up", {"reference": reference, "passphrase": "wrong guess"}, format="json"
            ).status_code
            == 404
        )
    paused = public.post("/api/v1/public/follow-up", {"reference": reference, "passphrase": PHRASE}, format="json")
    assert paused.status_code == 429
    assert 0 < int(paused["Retry-After"]) <= 900
    assert paused.json()["error"]["code"] == "throttled"
    # Posting a message is held up the same way (every call proves the passphrase again).
    held = public.post(
        "/api/v1/public/follow-up/messages",
        {"reference": reference, "passphrase": PHRASE, "text": "Hello"},
        format="json",
    )
    assert held.status_code == 429


def test_no_token_is_needed_and_a_stale_one_does_not_get_in_the_way(reference: str) -> None:
    public = APIClient()
    public.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    answer = public.post("/api/v1/public/follow-up", {"reference": reference, "passphrase": PHRASE}, format="json")
    assert answer.status_code == 200


def test_a_passphrase_is_only_for_anonymous_reports(
    nurse: User, lead_agency: Agency, robert: object, api_for: Callable[[User], APIClient]
) -> None:
    answer = api_for(nurse).post(
        "/api/v1/incidents",
        {"description": "He shouted.", "person_id": str(robert.uuid), "passphrase": PHRASE},  # type: ignore[attr-defined]
        format="json",
    )
    assert answer.status_code == 400 and "passphrase" in answer.json()["error"]["fields"]
    weak = api_for(nurse).post("/api/v1/incidents", {**REPORT, "passphrase": "short"}, format="json")
    assert weak.status_code == 400 and "passphrase" in weak.json()["error"]["fields"]
    assert not TriageItem.objects.exists()
    named = api_for(nurse).post("/api/v1/incidents", {**REPORT}, format="json")
    assert named.status_code == 201 and named.json()["reference"]


def test_an_anonymous_harm_report_answers_its_reference(
    housing: Agency, housing_officer: User, api_for: Callable[[User], APIClient]
) -> None:
    answer = api_for(housing_officer).post(
        "/api/v1/harm-reports",
        {
            "about_agency_id": str(housing.uuid),
            "reported_by": "anonymous",
            "description": "Managers tell staff to skip checks.",
            "speaking_up": True,
            "passphrase": PHRASE,
        },
        format="json",
    )
    assert answer.status_code == 201
    reference = answer.json()["reference"]
    opened = APIClient().post("/api/v1/public/follow-up", {"reference": reference, "passphrase": PHRASE}, format="json")
    assert opened.status_code == 200
    named = api_for(housing_officer).post(
        "/api/v1/harm-reports",
        {"reported_by": "person", "description": "They lost my forms.", "passphrase": PHRASE},
        format="json",
    )
    assert named.status_code == 400 and "passphrase" in named.json()["error"]["fields"]


def test_the_harm_report_messages_api(
    housing: Agency, housing_officer: User, nurse: User, api_for: Callable[[User], APIClient]
) -> None:
    officer = api_for(housing_officer)
    created = officer.post(
        "/api/v1/harm-reports",
        {
            "about_agency_id": str(housing.uuid),
            "reported_by": "anonymous",
            "description": "Residents are shouted at.",
            "passphrase": PHRASE,
        },
        format="json",
    ).json()
    path = f"/api/v1/harm-reports/{created['id']}/messages"
    empty = officer.get(path).json()
    assert empty == {"way_back": True, "reference": created["reference"], "named": False, "messages": []}
    assert officer.post(path, {"text": ""}, format="json").status_code == 400
    asked = officer.post(path, {"text": "Which floor?"}, format="json")
    assert asked.status_code == 201
    [message] = asked.json()["messages"]
    assert message["from"] == "service" and message["asked_by"] == housing_officer.name
    APIClient().post(
        "/api/v1/public/follow-up/messages",
        {"reference": created["reference"], "passphrase": PHRASE, "text": "The second floor."},
        format="json",
    )
    assert [m["from"] for m in officer.get(path).json()["messages"]] == ["service", "reporter"]
    assert api_for(nurse).get(path).status_code == 404
    assert api_for(nurse).post(path, {"text": "Hello?"}, format="json").status_code == 404

    named = officer.post(
        "/api/v1/harm-reports",
        {"about_agency_id": str(housing.uuid), "reported_by": "person", "description": "Lost my forms."},
        format="json",
    ).json()
    no_way = officer.post(f"/api/v1/harm-reports/{named['id']}/messages", {"text": "Hi"}, format="json")
    assert no_way.status_code == 409 and no_way.json()["error"]["code"] == "no_way_back"
    assert officer.get(f"/api/v1/harm-reports/{named['id']}/messages").json()["way_back"] is False
