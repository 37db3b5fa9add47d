"""Issue 19: hostile input answers 400, never 500, on every JSON endpoint, the searches and the commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.core.domain import limits
from joinedup.incidents.tests.test_api import body
from joinedup.people.models import Person
from joinedup.referrals.models import Service

pytestmark = pytest.mark.django_db


def raw_post(client: APIClient, path: str, payload: str | bytes) -> tuple[int, dict[str, object]]:
    response = client.generic("POST", path, payload, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/incidents", "/api/v1/people", "/api/v1/consents", "/api/v1/referrals", "/api/v1/sharing-decisions"],
)
def test_deep_nesting_is_400_on_every_json_endpoint(
    nurse: User, api_for: Callable[[User], APIClient], path: str
) -> None:
    status, answer = raw_post(api_for(nurse), path, "[" * 100_000 + "]" * 100_000)
    assert status == 400 and answer["error"]["code"] == "parse_error"  # type: ignore[index]
    just_too_deep = "[" * (limits.JSON_MAX_DEPTH + 1) + "]" * (limits.JSON_MAX_DEPTH + 1)
    status, _ = raw_post(api_for(nurse), path, just_too_deep)
    assert status == 400


def test_body_size_limit(nurse: User, api_for: Callable[[User], APIClient]) -> None:
    payload = json.dumps({"description": "x" * (limits.REQUEST_BODY_MAX_BYTES + 10)})
    status, answer = raw_post(api_for(nurse), "/api/v1/incidents", payload)
    assert status == 400 and "larger than" in answer["error"]["message"]  # type: ignore[index]


def test_null_bytes_and_bad_encoding_in_bodies(
    nurse: User, robert: Person, api_for: Callable[[User], APIClient]
) -> None:
    client = api_for(nurse)
    status, _ = raw_post(client, "/api/v1/incidents", json.dumps(body(robert, description="eggs\u0000thrown")))
    assert status == 400
    status, _ = raw_post(client, "/api/v1/incidents", b'{"description": "\xff\xfe"}')
    assert status == 400
    status, _ = raw_post(client, "/api/v1/incidents", '{"description": NaN}')
    assert status == 400


def test_null_bytes_in_search_parameters(
    nurse: User, housing: Agency, api_for: Callable[[User], APIClient], client: Client
) -> None:
    api = api_for(nurse)
    for query in ("q=%00", "area=a%00b", "q=x&need=%00"):
        response = api.get(f"/api/v1/services?{query}")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid", query
    client.force_login(nurse)
    page = client.get("/services?q=%00")
    assert page.status_code == 400 and b"<html" in page.content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"occurred_on": "0001-01-01", "occurred_between": None}, "occurred_on", id="year 1"),
        pytest.param({"occurred_on": "9999-12-31", "occurred_between": None}, "occurred_on", id="year 9999"),
        pytest.param({"occurred_between": ["0001-01-01", "2026-01-01"]}, "occurred_between", id="between from year 1"),
        pytest.param(
            {"perpetrators": [{"relationship": "stranger"}] * 10_000}, "perpetrators", id="10,000 perpetrators"
        ),
        pytest.param({"kinds": ["verbal_abuse"] * 21}, "kinds", id="21 kinds"),
        pytest.param({"impacts": ["fear"] * 21}, "impacts", id="21 impacts"),
        pytest.param(
            {"reported_by": "third_party", "reporter": {"email": "javascript:alert()//@x.example"}},
            "reporter.email",
            id="script as email",
        ),
    ],
)
def test_absurd_incidents_are_refused(
    nurse: User, robert: Person, api_for: Callable[[User], APIClient], overrides: dict[str, object], field: str
) -> None:
    response = api_for(nurse).post("/api/v1/incidents", body(robert, **overrides), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"email": "javascript:alert()//@x.example"}, "email", id="script as email"),
        pytest.param({"phone": "call after 6"}, "phone", id="words as phone"),
        pytest.param({"date_of_birth": "0001-01-01"}, "date_of_birth", id="born in year 1"),
        pytest.param({"other_names": ["x"] * 21}, "other_names", id="21 other names"),
    ],
)
def test_absurd_people_are_refused(
    nurse: User, api_for: Callable[[User], APIClient], overrides: dict[str, object], field: str
) -> None:
    response = api_for(nurse).post("/api/v1/people", {"given_name": "Ann", **overrides}, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_check_deadlines_refuses_absurd_dates() -> None:
    for as_of in ("0001-01-01", "9999-12-31T23:59:59+14:00", "yesterday"):
        with pytest.raises(CommandError):
            call_command("check_deadlines", "--as-of", as_of, stdout=StringIO())


def write(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "services.json"
    path.write_bytes(content)
    return str(path)


def service(uuid: str, **extra: object) -> dict[str, object]:
    return {"id": uuid, "name": "Hate crime advocacy", "status": "active", **extra}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"\xff\xfe\x00garbage", "not UTF-8", id="bad bytes"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested", id="deep nesting"),
        pytest.param(
            json.dumps([service("9a0c5b6e-51d4-4b8e-8b0e-1e7b3c1c7a01", name="x" * 301)]).encode(),
            "300",
            id="name too long",
        ),
        pytest.param(
            json.dumps([service("9a0c5b6e-51d4-4b8e-8b0e-1e7b3c1c7a01", name="a\u0000b")]).encode(),
            "null",
            id="null byte",
        ),
        pytest.param(json.dumps([1, "two"]).encode(), "object", id="not objects"),
        pytest.param(
            json.dumps([service("9a0c5b6e-51d4-4b8e-8b0e-1e7b3c1c7a01", x_joinedup={"waiting_days": "soon"})]).encode(),
            "whole number",
            id="words for a number",
        ),
    ],
)
def test_import_services_bad_files_end_cleanly(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import_services", write(tmp_path, content), stdout=StringIO())
    assert message in str(refused.value)
    assert not Service.objects.exists()


def test_import_cannot_take_over_another_agencys_service(tmp_path: Path, housing: Agency, gp: Agency) -> None:
    uuid = "9a0c5b6e-51d4-4b8e-8b0e-1e7b3c1c7a02"
    path = write(tmp_path, json.dumps([service(uuid)]).encode())
    call_command("import_services", path, "--agency", housing.slug, stdout=StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("import_services", path, "--agency", gp.slug, stdout=StringIO())
    assert "--allow-owner-change" in str(refused.value)
    assert Service.objects.get(uuid=uuid).agency == housing
    call_command("import_services", path, "--agency", gp.slug, "--allow-owner-change", stdout=StringIO())
    assert Service.objects.get(uuid=uuid).agency == gp
    # Without --agency a re-import leaves the owner alone.
    call_command("import_services", path, stdout=StringIO())
    assert Service.objects.get(uuid=uuid).agency == gp


def test_numbers_are_not_text(nurse: User, api_for: Callable[[User], APIClient]) -> None:
    """The schema says string; a JSON number is refused, not quietly turned into text."""
    response = api_for(nurse).post("/api/v1/people", {"given_name": 42}, format="json")
    assert response.status_code == 400 and "given_name" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["export_services", "/nonexistent/folder/services.json"], id="export to a missing folder"),
        pytest.param(
            ["create_agency", "long-name", "--name", "x" * 201, "--kind", "police"], id="agency name too long"
        ),
        pytest.param(
            ["create_agency", "long-area", "--name", "X", "--kind", "police", "--area", "x" * 201], id="area too long"
        ),
    ],
)
def test_operator_commands_end_cleanly(args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command(*args, stdout=StringIO())
