"""Changing a password when signed in, and resetting it by an emailed link (also how a new account gets its
first password, so operators never handle one)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import user_create
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db
NEW = "a-different-long-passphrase"


def signed_in(email: str) -> Client:
    client = Client()
    assert client.post("/account/sign-in", {"email": email, "password": TEST_PASSWORD}).status_code == 302
    return client


def test_change_password_checks_the_current_one_and_ends_other_sessions(gp: Agency) -> None:
    user = make_user(gp, email="nurse@gp.example")
    here, elsewhere = signed_in("nurse@gp.example"), signed_in("nurse@gp.example")
    page = here.get("/account/password")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]

    response = here.post("/account/password", {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 400
    assert "Your current password is not right" in response.content.decode()

    response = here.post(
        "/account/password", {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 400 and "too short" in response.content.decode()

    response = here.post(
        "/account/password", {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response["Location"] == "/account/password/changed"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert_audited("update", actor=user, details__change="password")
    assert here.get("/my-work").status_code == 200
    assert elsewhere.get("/my-work").status_code == 302  # signed out everywhere else


def _reset_link() -> str:
    match = re.search(r"https?://[^/\s]+(/account/password/reset/\S+)", mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(1)


def test_reset_by_email_sets_a_new_password_once(gp: Agency) -> None:
    user = make_user(gp, email="nurse@gp.example", name="Siobhán O'Neill")
    client = Client()
    response = client.post("/account/password/reset", {"email": "Nurse@GP.example"})
    assert response["Location"] == "/account/password/reset/sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nurse@gp.example"]
    assert "Siobhán O'Neill" in mail.outbox[0].body  # plain text: no HTML escaping in the email
    link = _reset_link()
    page = client.get(link, follow=True)
    assert "Set a new password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/account/password/reset/done"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert_audited("update", actor=user, details__by_reset=True)
    # The link works once.
    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_reset_answers_the_same_for_unknown_addresses_and_audits_no_address(gp: Agency) -> None:
    response = Client().post("/account/password/reset", {"email": "nobody@gp.example"})
    assert response["Location"] == "/account/password/reset/sent"
    assert mail.outbox == []
    entry = assert_audited("create", object_type="accounts.passwordreset")
    assert entry.details == {"sent": False} and "nobody" not in entry.summary


def test_reset_sets_the_first_password_of_a_new_account(gp: Agency) -> None:
    user = user_create(actor=None, email="new@gp.example", name="New Starter", agency=gp, roles=["practitioner"])
    assert not user.has_usable_password()
    client = Client()
    client.post("/account/password/reset", {"email": "new@gp.example"})
    page = client.get(_reset_link(), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert User.objects.get(pk=user.pk).check_password(NEW)


def test_reset_links_are_rate_limited_per_address(gp: Agency, settings: Any) -> None:
    settings.PASSWORD_RESET_RATE = 2
    make_user(gp, email="nurse@gp.example")
    client = Client()
    for _ in range(4):
        assert client.post("/account/password/reset", {"email": "nurse@gp.example"}).status_code == 302
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(object_type="accounts.passwordreset", details__sent=True).count() == 2


def test_reset_form_errors_keep_what_was_typed(gp: Agency) -> None:
    response = Client().post("/account/password/reset", {"email": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html and 'value="not-an-address"' in html


def test_inactive_accounts_get_no_reset_link(gp: Agency) -> None:
    make_user(gp, email="left@gp.example", is_active=False)
    Client().post("/account/password/reset", {"email": "left@gp.example"})
    assert mail.outbox == []
