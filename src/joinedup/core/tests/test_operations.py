"""Issue 19: honest failures. A database outage answers 503 "Nothing was saved. Try again."; /healthz needs no
database; /readyz checks the database, migrations and the worker's heartbeat; DEBUG's 404 page does not tell a
hidden record from a missing one."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.accounts.models import User
from joinedup.core.heartbeat import beat, start_heartbeat
from joinedup.core.models import WorkerHeartbeat
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(nurse: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(nurse)
    return client


def test_outage_answers_503_for_api_and_pages(
    nurse: User, api_for: Callable[[User], APIClient], signed_in: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_for(nurse)
    api.raise_request_exception = False

    def refuse(self: BaseDatabaseWrapper) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    answer = api.post("/api/v1/people", {"given_name": "Ann"}, format="json")
    assert answer.status_code == 503
    assert answer.json() == {
        "error": {"code": "unavailable", "message": "The service is unavailable. Nothing was saved. Try again."}
    }
    assert answer["Retry-After"] == "30"
    page = signed_in.get("/my-work")  # fails in the session middleware, before any view
    assert page.status_code == 503
    assert b"Nothing was saved. Try again" in page.content and b"not been lost" not in page.content
    assert Client().get("/healthz").json() == {"status": "ok"}  # liveness needs no database
    ready = Client().get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["database"]["ok"] is False


def test_readyz_needs_a_fresh_worker_heartbeat() -> None:
    client = Client()
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer["Content-Type"] == "application/json"
    checks = answer.json()["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"] and not checks["worker"]["ok"]
    stop = start_heartbeat("test-worker", every=3600)
    stop.set()
    answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.json()["status"] == "ready"
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    assert client.get("/readyz").status_code == 503
    beat("test-worker", timezone.now())
    assert WorkerHeartbeat.objects.count() == 1 and client.get("/readyz").status_code == 200


def test_debug_404_does_not_tell_hidden_from_missing(robert: Person, housing_officer: User) -> None:
    client = Client()
    client.force_login(housing_officer)
    missing = uuid.uuid4()
    with override_settings(DEBUG=True):
        hidden_page = client.get(f"/people/{robert.uuid}")
        missing_page = client.get(f"/people/{missing}")
    assert hidden_page.status_code == missing_page.status_code == 404
    assert b"not known to your agency" not in hidden_page.content
    assert hidden_page.content.replace(str(robert.uuid).encode(), b"ID") == missing_page.content.replace(
        str(missing).encode(), b"ID"
    )


def test_development_keeps_no_idle_connections() -> None:
    development = importlib.import_module("joinedup.config.settings.development")
    assert development.DATABASES["default"]["CONN_MAX_AGE"] == 0
