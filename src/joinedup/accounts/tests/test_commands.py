from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.accounts.models import Agency, ApiToken, User
from joinedup.accounts.services import token_authenticate
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    extra = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command(*args, stdout=out, **extra)
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
        "--password-stdin",
        stdin="long-enough-passphrase\n",
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
        run(
            "create_user", "a@example.org", "--agency", "x", "--role", "practitioner", "--password-stdin", stdin="123\n"
        )
    assert not User.objects.exists()


def test_issue_token_for_an_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match="No account"):
        run("issue_token", "nobody@example.org")


def test_passwords_are_never_command_line_arguments() -> None:
    run("create_agency", "x", "--name", "X", "--kind", "gp")
    with pytest.raises(CommandError, match="unrecognized arguments"):
        run(
            "create_user", "a@example.org", "--agency", "x", "--role", "practitioner", "--password", "long-passphrase-1"
        )
    with pytest.raises(CommandError, match="held no password"):
        run("create_user", "a@example.org", "--agency", "x", "--role", "practitioner", "--password-stdin", stdin="")
    run(
        "create_user",
        "b@example.org",
        "--agency",
        "x",
        "--role",
        "practitioner",
        "--password-stdin",
        stdin="a-long-passphrase-here\n",
    )
    user = User.objects.get(email="b@example.org")
    assert user.check_password("a-long-passphrase-here")
    run("create_user", "c@example.org", "--agency", "x", "--role", "practitioner")
    assert not User.objects.get(email="c@example.org").has_usable_password()


def _user_with_token(email: str = "ops@example.org") -> tuple[User, str]:
    run("create_agency", "x", "--name", "X", "--kind", "gp")
    run("create_user", email, "--agency", "x", "--role", "practitioner")
    return User.objects.get(email=email), run("issue_token", email, "--name", "bridge").strip()


def test_revoke_token_revokes_exactly_one_token_by_its_id() -> None:
    user, first = _user_with_token()
    second = run("issue_token", user.email).strip()
    token_id = first.split("_")[1]
    assert len(token_id) == 12 and ApiToken.objects.get(public_id=token_id).digest not in first
    listing = run("list_tokens", user.email)
    assert token_id in listing and "bridge" in listing and first not in listing
    assert f"Revoked token {token_id}" in run("revoke_token", token_id)
    assert token_authenticate(first) is None
    assert token_authenticate(second) == user
    assert_audited("update", object_type="accounts.apitoken", object_id=token_id)
    assert "revoked" in run("list_tokens", user.email)


def test_revoke_token_accepts_a_pasted_token_without_echoing_it() -> None:
    _, raw = _user_with_token()
    out = run("revoke_token", raw)
    assert raw not in out and raw.split("_")[1] in out
    assert token_authenticate(raw) is None


@pytest.mark.parametrize(
    ("given", "message"),
    [("nonsense", "12 letters"), ("0123456789ab", "No token"), ("", "12 letters")],
    ids=["malformed", "unknown", "empty"],
)
def test_revoke_token_bad_input_fails_clearly(given: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("revoke_token", given)


def test_revoking_twice_says_so() -> None:
    _, raw = _user_with_token()
    token_id = raw.split("_")[1]
    run("revoke_token", token_id)
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke_token", token_id)


def test_list_tokens_for_an_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match="No account"):
        run("list_tokens", "nobody@example.org")
