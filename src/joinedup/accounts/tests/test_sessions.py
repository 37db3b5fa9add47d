"""Idle and absolute session limits (rules table-tested, then the middleware), and deactivation ending every
session and token of the account."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client

from joinedup.accounts.domain.sessions import SessionEnd, session_end
from joinedup.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from joinedup.accounts.models import Agency, SignInSession
from joinedup.accounts.services import token_authenticate, token_issue, user_deactivate
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.testing import assert_audited

IDLE, ABSOLUTE = 1800, 12 * 3600
# (id with source, signed_in_at, last_seen_at, now, expected)
CASES = [
    ("OWASP-session-idle: active a moment ago", 0, 100, 200, None),
    ("OWASP-session-idle: exactly the idle limit ends it", 0, 100, 100 + IDLE, SessionEnd.IDLE),
    ("OWASP-session-idle: just under the idle limit", 0, 100, 100 + IDLE - 1, None),
    ("OWASP-session-absolute: busy all day still ends at the limit", 0, ABSOLUTE - 1, ABSOLUTE, SessionEnd.ABSOLUTE),
    ("OWASP-session-absolute: wins over idle when both apply", 0, 0, ABSOLUTE + IDLE, SessionEnd.ABSOLUTE),
    ("NCSC-identity: unknown start is not ended here (the clock starts)", None, None, 10**9, None),
]


@pytest.mark.parametrize(("signed_in", "seen", "now", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_session_end_rules(
    signed_in: float | None, seen: float | None, now: float, expected: SessionEnd | None
) -> None:
    assert (
        session_end(signed_in_at=signed_in, last_seen_at=seen, now=now, idle_seconds=IDLE, absolute_seconds=ABSOLUTE)
        == expected
    )


def test_a_limit_of_zero_is_off() -> None:
    assert session_end(signed_in_at=0, last_seen_at=0, now=10**9, idle_seconds=0, absolute_seconds=0) is None


def _age_session(client: Client, *, signed_in_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - seen_ago
    session.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signed_in_ago", "seen_ago", "ended"),
    [(60, IDLE + 5, "idle"), (ABSOLUTE + 5, 1, "absolute")],
    ids=["idle", "absolute"],
)
def test_the_middleware_ends_old_sessions_and_says_why(
    gp: Agency, signed_in_ago: float, seen_ago: float, ended: str
) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    client.post("/account/sign-in", {"email": "nurse@gp.example", "password": TEST_PASSWORD})
    assert client.get("/my-work").status_code == 200
    _age_session(client, signed_in_ago=signed_in_ago, seen_ago=seen_ago)
    response = client.get("/my-work")
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in?ended={ended}&next=%2Fmy-work"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out:" in page
    assert_audited("sign_out", actor=user, details__reason=SessionEnd(ended).reason)
    assert client.get("/my-work").status_code == 302
    assert not SignInSession.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_an_old_session_on_the_api_gets_401(gp: Agency) -> None:
    make_user(gp, email="nurse@gp.example")
    client = Client()
    client.post("/account/sign-in", {"email": "nurse@gp.example", "password": TEST_PASSWORD})
    assert client.get("/api/v1/me").status_code == 200
    _age_session(client, signed_in_ago=ABSOLUTE + 1, seen_ago=1)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_activity_keeps_a_session_alive_until_the_absolute_limit(gp: Agency, settings: Any) -> None:
    make_user(gp, email="nurse@gp.example")
    client = Client()
    client.post("/account/sign-in", {"email": "nurse@gp.example", "password": TEST_PASSWORD})
    _age_session(client, signed_in_ago=ABSOLUTE - 60, seen_ago=IDLE - 60)
    assert client.get("/my-work").status_code == 200
    assert client.session[LAST_SEEN_AT] > time.time() - 5


@pytest.mark.django_db
def test_deactivation_ends_every_session_and_token(gp: Agency) -> None:
    user = make_user(gp, email="leaver@gp.example")
    phone, desk = Client(), Client()
    for client in (phone, desk):
        client.post("/account/sign-in", {"email": "leaver@gp.example", "password": TEST_PASSWORD})
        assert client.get("/my-work").status_code == 200
    keys = list(SignInSession.objects.filter(user=user).values_list("session_key", flat=True))
    assert len(keys) == 2
    _, raw = token_issue(actor=None, user=user)

    user_deactivate(actor=None, user=user)

    for key in keys:
        assert not SessionStore(session_key=key).exists(key)
    for client in (phone, desk):
        assert client.get("/my-work").status_code == 302
    assert token_authenticate(raw) is None
    entry = assert_audited("update", summary__startswith="Account deactivated")
    assert entry.details == {"tokens_revoked": 1, "sessions_ended": 2}
