"""Signing in to My support with a passkey alone (a discoverable credential: no link, no email address typed).

django-otp-webauthn's own passwordless endpoints stay off (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False), so a
practitioner's passkey is only ever a second factor after their password. These two endpoints are the portal's
own: they accept a passkey only when it belongs to a person's own account whose place is switched on; a
practitioner's passkey is refused here (and audited), so it can never be used to skip a password.

Also the plain words django-otp-webauthn's script shows while it works (its own are technical: "Verification
canceled or not allowed.").
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import login
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn

from joinedup.accounts import services as account_services
from joinedup.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from joinedup.accounts.passkeys import HostileBodies
from joinedup.accounts.second_factor import SECOND_FACTOR_DUE
from joinedup.portal import selectors

# The person's session is a normal one once signed in: Django's own backend loads the user on each request (and
# refuses an account made inactive). django-otp-webauthn's backend is not installed, on purpose.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

# What the person is told when a passkey does not work, by the library's error code.
PLAIN_ANSWERS = {
    "credential_not_found": "This passkey is not known here any more. It may have been removed. Get a new link.",
    "credential_disabled": "This passkey does not work any more. Get a new link.",
    "user_disabled": "This passkey does not work any more. Ask your key worker.",
    "not_a_persons_passkey": "This passkey is not for My support.",
    "place_switched_off": "This passkey does not work any more. Ask your key worker.",
}
TRY_AGAIN = "That did not work. Try again, or get a new link."


class NotAPersonsPasskey(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "not_a_persons_passkey"
    default_detail = PLAIN_ANSWERS["not_a_persons_passkey"]


class PlaceSwitchedOff(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "place_switched_off"
    default_detail = PLAIN_ANSWERS["place_switched_off"]


class PlainAnswers(HostileBodies):
    """The library's answers in plain words (its script shows `detail` to the person)."""

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            detail = PLAIN_ANSWERS.get(exc.code, TRY_AGAIN)
            return JsonResponse({"detail": detail, "code": exc.code}, status=exc.status_code)
        return super().handle_exception(exc)


class PasskeySignInBegin(PlainAnswers, webauthn.BeginCredentialAuthenticationView):
    """The challenge for a passkey alone. Whoever is signed in on this browser is ignored: the passkey chosen
    says whose place opens (and user verification — their fingerprint, face or screen lock — is required)."""

    def get_user(self) -> Any:
        return None

    def check_can_authenticate(self) -> None:
        return None  # passwordless, for people's own places only: checked on completion


class PasskeySignInComplete(PlainAnswers, webauthn.CompleteCredentialAuthenticationView):
    def get_user(self) -> Any:
        return None

    def check_can_authenticate(self) -> None:
        return None

    def check_device_usable(self, device: Any) -> None:
        super().check_device_usable(device)
        if not selectors.is_person_account(device.user):
            account_services.person_sign_in_failed_recorded(reason="not_a_persons_passkey", user=device.user)
            raise NotAPersonsPasskey()
        if selectors.my_account(user=device.user) is None:
            account_services.person_sign_in_failed_recorded(reason="place_switched_off", user=device.user)
            raise PlaceSwitchedOff()

    def complete_auth(self, device: Any) -> Any:
        request = self.request
        user = device.user
        login(request, user, backend=SESSION_BACKEND)  # a different account's session on this browser ends here
        otp_login(request, device)  # the passkey is the strongest proof there is: nothing more is asked
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now
        request.session.pop(SECOND_FACTOR_DUE, None)
        if request.session.session_key is None:
            request.session.save()
        account_services.person_sign_in_recorded(user=user, session_key=request.session.session_key, method="passkey")
        return user

    def get_success_url(self) -> str:
        return reverse("portal:home")

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(
            exc, NotAPersonsPasskey | PlaceSwitchedOff
        ):
            account_services.person_sign_in_failed_recorded(reason=exc.code)
        return super().handle_exception(exc)


# django-otp-webauthn's script words (it calls gettext), in plain words for a person who may be in distress.
PASSKEY_WORDS = {
    "Verify with Passkey": "Sign in with your passkey",
    "Verifying...": "Checking…",
    "Verification failed. Could not retrieve parameters from the server.": TRY_AGAIN,
    "Verification aborted.": "You stopped. Try again when you are ready.",
    "Verification canceled or not allowed.": "That did not work, or you stopped. Try again when you are ready.",
    "Verification failed. An unknown error occurred.": TRY_AGAIN,
    "Finishing verification...": "Nearly done…",
    "Verification failed. An unknown server error occurred.": TRY_AGAIN,
    "Verification successful!": "Done. Opening My support…",
    "An error occurred during verification.": TRY_AGAIN,
    "Verification failed. A server error occurred.": TRY_AGAIN,
    "Register a Passkey": "Add a passkey",
    "Registering...": "Adding…",
    "Registration failed. Unable to fetch registration options from server.": "That did not work. Try again.",
    "Registration aborted.": "You stopped. Nothing was added.",
    "Registration failed. You most likely already have a Passkey registered for this site.": (
        "This phone already has a passkey for My support."
    ),
    "Registration aborted or not allowed.": "That did not work, or you stopped. Nothing was added.",
    "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.": (
        "This phone cannot add a passkey here. You can still use links."
    ),
    "Registration failed. An unknown error occurred.": "That did not work. Try again.",
    "Finishing registration...": "Nearly done…",
    "Registration failed. The server was unable to verify this passkey.": "That did not work. Try again.",
    "Registration failed. A server error occurred.": "That did not work. Try again.",
    "Registration successful!": "Done. Your passkey is added.",
    "An error occurred during registration.": "That did not work. Try again.",
}


class PasskeyWords(JavaScriptCatalog):
    packages = ["django_otp_webauthn"]

    def get_catalog(self) -> dict[str, Any]:
        return dict(PASSKEY_WORDS)
