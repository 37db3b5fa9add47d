"""The second factor: enrolment at first sign-in, the verify step, recovery codes shown once, and the gate that
keeps a half-signed-in session away from everything else. Required here by the setting, as in production."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings: Any) -> None:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = True


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows (steps_ahead=1: the next one, since a code is accepted only once)."""
    return str(totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits)).zfill(
        device.digits
    )


def sign_in(client: Client, email: str, next_url: str = "") -> str:
    data = {"email": email, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/account/sign-in", data)
    assert response.status_code == 302
    return str(response["Location"])


def enrol(client: Client, user: User) -> list[str]:
    client.get("/account/second-factor/set-up")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/second-factor/set-up", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"].startswith("/account/second-factor/recovery-codes")
    html = client.get(response["Location"]).content.decode()
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)


def test_first_sign_in_goes_to_set_up_and_nothing_else_is_reachable(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    location = sign_in(client, "nurse@gp.example")
    assert location == "/account/second-factor/set-up?next=%2Fmy-work"
    entry = assert_audited("sign_in", actor=user)
    assert entry.details == {"step": "password"} and "second factor asked for" in entry.summary
    for path in ["/my-work", "/services", "/account/security", "/account/password"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/second-factor/set-up?next="), path
    # Session-authenticated API calls count as not signed in until the second factor is given.
    assert client.get("/api/v1/me").status_code == 401
    # Public pages and the way out stay open.
    assert client.get("/accessibility").status_code == 200
    assert client.post("/account/sign-out").status_code == 302


def test_set_up_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    first = client.get("/account/second-factor/set-up")
    html = first.content.decode()
    assert first["Cache-Control"].startswith("max-age=0") and "no-store" in first["Cache-Control"]
    assert '<svg role="img" aria-label="QR code' in html
    key = re.search(r'id="secret-key">([A-Z2-7 ]+)<', html)
    assert key is not None
    again = client.get("/account/second-factor/set-up").content.decode()
    assert key.group(1) in again
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_keeps_the_person_on_set_up_with_a_clear_message(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    client.get("/account/second-factor/set-up")
    response = client.post("/account/second-factor/set-up", {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The code is not right" in html and 'href="#id_code"' in html
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    response = client.post("/account/second-factor/set-up", {"code": "12"})
    assert "Enter the 6 numbers" in response.content.decode()


def test_enrolment_shows_recovery_codes_once_and_audits_it(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert_audited("update", actor=user, summary="Second factor set up: authenticator app")
    assert AuditEntry.objects.filter(actor=user, action="sign_in", details__step="second_factor").exists()
    # Shown once: the page afterwards explains, and offers new codes instead.
    html = client.get("/account/second-factor/recovery-codes").content.decode()
    assert not any(code in html for code in codes)
    assert "Make new recovery codes" in html
    # And the person is fully signed in now.
    assert client.get("/my-work").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_next_sign_in_asks_for_a_code_and_audits_failures(gp: Agency, required: None, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off is its own; here we test the journey
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    enrol(client, user)
    client.post("/account/sign-out")

    client = Client()
    assert sign_in(client, "nurse@gp.example", "/services") == "/account/second-factor?next=%2Fservices"
    assert client.get("/my-work")["Location"].startswith("/account/second-factor?next=")
    response = client.post("/account/second-factor", {"code": "000000", "next": "/services"})
    assert response.status_code == 400 and "The code is not right" in response.content.decode()
    assert_audited("sign_in_failed", actor=user, details__step="second_factor")

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post("/account/second-factor", {"code": code_for(device, 1), "next": "/services"})
    assert response.status_code == 302 and response["Location"] == "/services"
    entry = assert_audited("sign_in", actor=user, details__step="second_factor")
    assert entry.details["method"] == "authenticator app"
    assert client.get("/my-work").status_code == 200


def test_a_recovery_code_works_exactly_once(gp: Agency, required: None, settings: Any) -> None:
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    codes = enrol(client, user)
    client.post("/account/sign-out")

    client = Client()
    sign_in(client, "nurse@gp.example")
    spaced = codes[0][:4] + " " + codes[0][4:].upper()  # as people copy it: spaces and capitals do not matter
    assert client.post("/account/second-factor", {"code": spaced})["Location"] == "/my-work"
    entry = assert_audited("sign_in", actor=user, details__method="recovery code")
    assert entry.details["recovery_codes_left"] == 9
    client.post("/account/sign-out")

    client = Client()
    sign_in(client, "nurse@gp.example")
    assert client.post("/account/second-factor", {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_new_recovery_codes_replace_the_old_and_need_the_second_factor(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    old = enrol(client, user)
    response = client.post("/account/second-factor/recovery-codes")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)
    assert_audited("update", actor=user, details__second_factor="recovery_codes")

    # Someone with only the password cannot make (and so read) new codes.
    other = Client()
    sign_in(other, "nurse@gp.example")
    response = other.post("/account/second-factor/recovery-codes")
    assert response["Location"].startswith("/account/second-factor?")
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)


def test_a_password_alone_cannot_add_another_second_factor(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    enrol(client, user)
    attacker = Client()
    sign_in(attacker, "nurse@gp.example")
    response = attacker.get("/account/second-factor/set-up")
    assert response.status_code == 302 and response["Location"].startswith("/account/second-factor?")
    # Nor register a passkey behind the page's back.
    assert attacker.post("/account/passkeys/registration/begin").status_code == 403


def test_without_the_setting_a_person_who_set_one_up_is_still_asked(gp: Agency, settings: Any) -> None:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = False
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    assert sign_in(client, "nurse@gp.example") == "/my-work"  # development and the demo: password only
    enrol(client, user)  # chose to set one up from their sign-in settings
    client.post("/account/sign-out")
    client = Client()
    assert sign_in(client, "nurse@gp.example") == "/account/second-factor?next=%2Fmy-work"
    assert client.get("/my-work").status_code == 302


def test_bearer_tokens_are_not_asked_for_a_second_factor(gp: Agency, required: None) -> None:
    user = make_user(gp, email="bridge@gp.example")
    _, raw = token_issue(actor=None, user=user)
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_production_settings_require_it_and_keep_sign_in_counts_shared() -> None:
    """Loaded in a fresh interpreter, as a deployment would, with only the variables production insists on."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "joinedup.config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
        "ALLOWED_HOSTS": "joinedup.example",
        "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[3]),
    }
    env.pop("JOINEDUP_REQUIRE_SECOND_FACTOR", None)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.JOINEDUP_REQUIRE_SECOND_FACTOR, s.CACHES['default']['BACKEND'], s.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
    )
    out = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split()[0] == "True"
    # Shared by every worker: the database cache table, or Redis where REDIS_URL is set (as in CI).
    assert "LocMem" not in out and ("DatabaseCache" in out or "RedisCache" in out)
    assert "https://joinedup.example" in out


def test_a_failed_passkey_check_is_audited(gp: Agency, required: None) -> None:
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    enrol(client, user)
    client.post("/account/sign-out")
    client = Client()
    sign_in(client, "nurse@gp.example")
    # A completion with no ceremony begun (a replay, or a forged request) is refused, and recorded.
    response = client.post("/account/passkeys/authentication/complete", {}, content_type="application/json")
    assert response.status_code in {400, 403}
    assert_audited("sign_in_failed", actor=user, details__step="second_factor")
    assert client.get("/my-work").status_code == 302


@pytest.mark.parametrize(
    "path",
    ["registration/begin", "registration/complete", "authentication/begin", "authentication/complete"],
)
def test_passkey_endpoints_answer_deeply_nested_json_with_400(gp: Agency, path: str) -> None:
    make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(f"/account/passkeys/{path}", body, content_type="application/json")
    assert response.status_code in {400, 403}


def test_reset_second_factor_makes_the_person_enrol_again(gp: Agency, required: None) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    enrol(client, user)
    out = StringIO()
    call_command("reset_second_factor", "Nurse@GP.example", stdout=out)
    assert "Removed 2 second-factor device(s)" in out.getvalue()  # the app and the recovery codes
    assert client.get("/my-work").status_code == 302  # their session ended
    assert_audited("update", actor=None, details__change="removed", object_id=str(user.uuid))
    assert sign_in(Client(), "nurse@gp.example").startswith("/account/second-factor/set-up")
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_second_factor", "nobody@gp.example", stdout=StringIO())


def test_while_the_app_must_wait_the_page_says_wait_not_wrong(gp: Agency, required: None, settings: Any) -> None:
    """django-otp makes a device wait longer after each wrong code and refuses even the right code until then: the
    page says how long to wait instead of calling a right code wrong."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    user = make_user(gp, email="nurse@gp.example")
    client = Client()
    sign_in(client, "nurse@gp.example")
    enrol(client, user)
    client.post("/account/sign-out")
    client = Client()
    sign_in(client, "nurse@gp.example")
    first = client.post("/account/second-factor", {"code": "000000"}).content.decode()
    assert "The code is not right" in first, "the first wrong code is simply wrong"
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    refused = client.post("/account/second-factor", {"code": code_for(device, 1)})
    html = refused.content.decode()
    assert refused.status_code == 400 and "Too many wrong codes. Wait" in html and "not right" not in html
