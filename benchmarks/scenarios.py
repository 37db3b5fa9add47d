"""The scenarios `make bench` times. Each `prepare` returns the call to time, set up once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

from joinedup.accounts.models import User
from joinedup.accounts.services import token_issue

DEMO_USER = "amara.osei@asc.eastmere.example"


@dataclass
class Context:
    client: Client
    api_headers: dict[str, str]
    user: User

    @classmethod
    def build(cls, client: Client) -> Context:
        user = User.objects.get(email=DEMO_USER)
        _, raw = token_issue(actor=None, user=user, name="benchmark")
        client.force_login(user)
        return cls(client=client, api_headers={"HTTP_AUTHORIZATION": f"Bearer {raw}"}, user=user)

    def get_ok(self, path: str, **headers: str) -> None:
        response = self.client.get(path, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    prepare: Callable[[Context], Callable[[], None]]


def _get(path: str, api: bool = False) -> Callable[[Context], Callable[[], None]]:
    def prepare(context: Context) -> Callable[[], None]:
        headers = context.api_headers if api else {}
        return lambda: context.get_ok(path, **headers)

    return prepare


SCENARIOS: list[Scenario] = [
    Scenario("api_me", "GET /api/v1/me (bearer token)", _get("/api/v1/me", api=True)),
    Scenario(
        "api_users_page",
        "GET /api/v1/users?page_size=50 (audited list)",
        _get("/api/v1/users?page_size=50", api=True),
    ),
    Scenario("page_my_work", "GET /my-work (signed-in page)", _get("/my-work")),
    Scenario("page_start", "GET / (public start page)", _get("/")),
]
