"""Sign-in throttles: one address trying many accounts (password spraying), and one account tried from many
addresses. The counts live in the database (django-axes' failure records), so every worker sees them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings: Any) -> None:
    settings.SIGN_IN_IP_FAILURE_LIMIT = 8
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 6


def test_password_spraying_from_one_address_is_paused(gp: Agency, limits: None) -> None:
    for n in range(10):
        make_user(gp, email=f"staff{n}@gp.example")
    make_user(gp, email="victim@gp.example")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        attacker.post("/account/sign-in", {"email": f"staff{n}@gp.example", "password": "Summer2026!"}).status_code
        for n in range(10)
    ]
    assert statuses[:8] == [400] * 8  # one failure per account: django-axes' per-account lock never fires
    assert statuses[8:] == [429, 429]
    # The count is in the database, not in this process: another worker (here, a cleared cache) sees it too.
    cache.clear()
    # Even the right password is not confirmed from that address during the pause...
    response = attacker.post("/account/sign-in", {"email": "victim@gp.example", "password": TEST_PASSWORD})
    assert response.status_code == 429 and "from this network" in response.content.decode()
    entry = assert_audited("locked_out", ip="203.0.113.9")
    assert entry.details == {"because": "address"} and "@" not in entry.summary
    # ...while the same person elsewhere signs in as usual.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post("/account/sign-in", {"email": "victim@gp.example", "password": TEST_PASSWORD}).status_code == 302
    )


def test_one_account_tried_from_many_addresses_is_paused(gp: Agency, limits: None) -> None:
    make_user(gp, email="target@gp.example")
    for n in range(6):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert client.post("/account/sign-in", {"email": "target@gp.example", "password": "guess"}).status_code == 400
    fresh = Client(REMOTE_ADDR="192.0.2.200")
    response = fresh.post("/account/sign-in", {"email": "Target@GP.example", "password": TEST_PASSWORD})
    assert response.status_code == 429 and "to that account" in response.content.decode()
    assert AuditEntry.objects.filter(action="locked_out", details__because="account").exists()


def test_limits_can_be_switched_off(gp: Agency, settings: Any) -> None:
    settings.SIGN_IN_IP_FAILURE_LIMIT = 0
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 0
    make_user(gp, email="nurse@gp.example")
    client = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(4):
        client.post("/account/sign-in", {"email": f"x{n}@gp.example", "password": "nope"})
    assert client.post("/account/sign-in", {"email": "nurse@gp.example", "password": TEST_PASSWORD}).status_code == 302
