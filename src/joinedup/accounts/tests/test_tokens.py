"""API token lifetime: expiry from API_TOKEN_DAYS, refusal (401) of an expired token, audited by its public id
only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.accounts.models import Agency, ApiToken
from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db


def test_tokens_expire_after_the_configured_days(gp: Agency, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 30
    token, raw = token_issue(actor=None, user=make_user(gp))
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert raw.startswith(f"ju_{token.public_id}_") and token.public_id and len(token.public_id) == 12


def test_zero_days_means_no_expiry(gp: Agency, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 0
    token, _ = token_issue(actor=None, user=make_user(gp))
    assert token.expires_at is None


def test_an_expired_token_is_refused_and_the_attempt_audited_without_personal_data(gp: Agency) -> None:
    user = make_user(gp, email="bridge@gp.example", name="Bridge Account")
    token, raw = token_issue(actor=None, user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    entry = assert_audited("denied", object_type="accounts.apitoken", object_id=token.public_id)
    assert entry.actor is None and entry.reason == "token_expired"
    assert "bridge" not in (entry.summary + str(entry.details)).lower()
    assert "Bridge Account" not in entry.summary


def test_expiry_is_kept_for_revoked_and_used_tokens(gp: Agency) -> None:
    token, raw = token_issue(actor=None, user=make_user(gp))
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None and token.expires_at is not None
