from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.accounts.models import Agency, ApiToken, User
from joinedup.accounts.services import token_authenticate

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_agency_user_and_token() -> None:
    assert "Created agency city-police" in run(
        "create_agency", "city-police", "--name", "City Police", "--kind", "police"
    )
    assert Agency.objects.get(slug="city-police").kind == "police"
    out = run(
        "create_user",
        "liaison@police.example",
        "--agency",
        "city-police",
        "--role",
        "police_liaison",
        "--role",
        "practitioner",
        "--password",
        "long-enough-passphrase",
    )
    assert "police_liaison" in out
    token = run("issue_token", "LIAISON@police.example").strip()
    assert token.startswith("ju_") and "\n" not in token
    assert token_authenticate(token) == User.objects.get(email="liaison@police.example")
    assert ApiToken.objects.count() == 1


def test_create_agency_with_a_bad_slug_fails_clearly() -> None:
    with pytest.raises(CommandError, match="slug"):
        run("create_agency", "Bad Slug", "--name", "X", "--kind", "police")


def test_create_agency_twice_fails_clearly() -> None:
    run("create_agency", "x", "--name", "X", "--kind", "gp")
    with pytest.raises(CommandError, match="already exists"):
        run("create_agency", "x", "--name", "X", "--kind", "gp")


def test_create_user_for_an_unknown_agency_fails_clearly() -> None:
    with pytest.raises(CommandError, match="No agency"):
        run("create_user", "a@example.org", "--agency", "nowhere", "--role", "practitioner")


def test_create_user_with_a_weak_password_fails_clearly() -> None:
    run("create_agency", "x", "--name", "X", "--kind", "gp")
    with pytest.raises(CommandError, match="password"):
        run("create_user", "a@example.org", "--agency", "x", "--role", "practitioner", "--password", "123")
    assert not User.objects.exists()


def test_issue_token_for_an_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match="No account"):
        run("issue_token", "nobody@example.org")
