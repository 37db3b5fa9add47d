from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db


def test_me_lists_agencies_and_roles(gp: Agency, police: Agency, api_for: Callable[[User], APIClient]) -> None:
    user = make_user(gp, "practitioner", "safeguarding_lead")
    response = api_for(user).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(user.uuid)
    assert body["agencies"] == [
        {
            "id": str(gp.uuid),
            "slug": gp.slug,
            "name": gp.name,
            "kind": "gp",
            "area": gp.area,
            "roles": ["practitioner", "safeguarding_lead"],
        }
    ]


def test_agencies_filter_by_kind(gp: Agency, police: Agency, api_for: Callable[[User], APIClient]) -> None:
    client = api_for(make_user(gp))
    body = client.get("/api/v1/agencies?kind=police").json()
    assert body["count"] == 1 and body["next"] is None
    assert body["results"][0]["slug"] == police.slug


def test_bad_filter_gives_a_field_message(gp: Agency, api_for: Callable[[User], APIClient]) -> None:
    response = api_for(make_user(gp)).get("/api/v1/agencies?kind=bank")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "kind" in error["fields"]


def test_users_by_agency_and_role(gp: Agency, police: Agency, api_for: Callable[[User], APIClient]) -> None:
    me = make_user(gp)
    liaison = make_user(police, "police_liaison")
    make_user(police, "practitioner")
    response = api_for(me).get(f"/api/v1/users?agency={police.slug}&role=police_liaison")
    body = response.json()
    assert [u["id"] for u in body["results"]] == [str(liaison.uuid)]
    assert body["results"][0]["agency"]["slug"] == police.slug
    assert body["results"][0]["roles"] == ["police_liaison"]
    assert_audited("view", actor=me, object_type="accounts.user")


def test_users_list_is_paginated_with_a_fixed_number_of_queries(
    gp: Agency, api_for: Callable[[User], APIClient]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(make_user(gp))

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/users?page_size=50").status_code == 200
        return len(captured)

    make_user(gp)
    queries_for_page()  # the first request also creates the throttle's cache row
    small = queries_for_page()
    for _ in range(30):
        make_user(gp, "practitioner", "key_worker")
    assert queries_for_page() == small
    body = client.get("/api/v1/users?page_size=20").json()
    assert body["count"] == 32 and len(body["results"]) == 20 and body["next"]


def test_a_user_without_any_role_sees_no_colleagues(api_for: Callable[[User], APIClient], db: None) -> None:
    from joinedup.accounts.tests.factories import UserFactory

    loner = UserFactory()
    response = api_for(loner).get("/api/v1/users")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert_audited("denied", actor=loner)


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/agencies", "/api/v1/users"])
def test_no_token_is_401_in_the_contract_shape(path: str) -> None:
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_bad_token_is_401(gp: Agency) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer ju_nonsense")
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_unknown_api_path_is_json_404(gp: Agency, api_for: Callable[[User], APIClient]) -> None:
    response = api_for(make_user(gp)).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_form_bodies_are_refused(gp: Agency, api_for: Callable[[User], APIClient]) -> None:
    client = api_for(make_user(gp))
    response = client.post("/api/v1/me", data="a=b", content_type="multipart/form-data; boundary=x")
    assert response.status_code in {405, 415}
    assert "error" in response.json()


def test_schema_is_valid_openapi_3() -> None:
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_docs_are_served_locally(gp: Agency) -> None:
    from django.test import Client

    client = Client()
    client.force_login(make_user(gp))
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
