from __future__ import annotations

import pytest
from django.test import Client

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(gp: Agency) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    response = client.post("/account/sign-in", {"email": "Nurse@GP.example", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/my-work"
    assert_audited("sign_in", actor=user)
    assert client.get("/my-work").status_code == 200
    response = client.post("/account/sign-out")
    assert response["Location"] == "/account/signed-out"
    assert_audited("sign_out", actor=user)
    assert client.get("/my-work").status_code == 302


def test_wrong_password_keeps_the_email_and_says_what_to_do(gp: Agency) -> None:
    make_user(gp, email="nurse@gp.example")
    response = Client().post("/account/sign-in", {"email": "nurse@gp.example", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a correct email address and password" in html
    assert 'value="nurse@gp.example"' in html
    assert "There is a problem" in html and 'href="#id_email"' in html
    assert_audited("sign_in_failed")


def test_empty_fields_get_specific_messages() -> None:
    html = Client().post("/account/sign-in", {"email": "", "password": ""}).content.decode()
    assert "Enter your email address" in html and "Enter your password" in html


def test_open_redirects_are_refused(gp: Agency) -> None:
    make_user(gp, email="nurse@gp.example")
    response = Client().post(
        "/account/sign-in",
        {"email": "nurse@gp.example", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/my-work"


def test_repeated_failures_lock_the_account_and_are_audited(gp: Agency, settings: object) -> None:
    make_user(gp, email="nurse@gp.example")
    client = Client()
    for _ in range(5):
        client.post("/account/sign-in", {"email": "nurse@gp.example", "password": "wrong"})
    response = client.post("/account/sign-in", {"email": "nurse@gp.example", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Sign-in is paused" in response.content.decode()
    assert_audited("locked_out")


def test_sign_out_needs_post(gp: Agency) -> None:
    client = Client()
    client.force_login(make_user(gp))
    assert client.get("/account/sign-out").status_code == 405
