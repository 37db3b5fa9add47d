"""What the second factor needs besides services: which accounts must use one, and how passkeys name this
service. Devices are django-otp's (authenticator app codes, recovery codes) and django-otp-webauthn's (passkeys).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

# Kept in the session from the password step until the second factor is given.
SECOND_FACTOR_DUE = "joinedup_second_factor_due"
# Recovery codes made a moment ago, to show exactly once.
FRESH_RECOVERY_CODES = "joinedup_fresh_recovery_codes"
RECOVERY_CODE_COUNT = 10


def has_second_factor(user: Any) -> bool:
    """An authenticator app or a passkey (recovery codes alone do not count: they are the way back in)."""
    return any(not isinstance(device, StaticDevice) for device in devices_for_user(user, confirmed=True))


def seconds_to_wait(user: Any) -> int:
    """After wrong codes django-otp makes each device wait longer (1, 2, 4… seconds) and refuses every code, the
    right one too, until then. How long until the first of this user's code devices takes codes again (0: now), so
    the page can say "wait" rather than "the code is not right"."""
    now = timezone.now()
    waits = []
    for device in devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max(0, min(waits)) if waits else 0


def has_passkey(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def second_factor_due(user: Any) -> bool:
    """Asked at sign-in: required for everyone in production, and for anyone who has set one up anywhere."""
    return bool(settings.JOINEDUP_REQUIRE_SECOND_FACTOR) or has_second_factor(user)


def passkey_rp_id(request: HttpRequest) -> str:
    """The passkey relying party: the configured domain, or the host this request came to (already checked
    against ALLOWED_HOSTS by Django)."""
    return str(settings.OTP_WEBAUTHN_RP_ID) or request.get_host().rsplit(":", 1)[0].strip("[]")


class PasskeyHelper(WebAuthnHelper):
    """Accepts the request's own origin as well as the configured ones. The browser signs the origin it really
    is on, so a look-alike site relaying the ceremony is still refused: its origin is neither."""

    def get_allowed_origins(self) -> list[str]:
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return sorted({*settings.OTP_WEBAUTHN_ALLOWED_ORIGINS, own})


def passkey_script_config(request: HttpRequest) -> dict[str, Any]:
    """What django-otp-webauthn's script reads from the page (the settings its own template tag would print)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": reverse("otp_webauthn:credential-authentication-begin"),
        "completeAuthenticationUrl": reverse("otp_webauthn:credential-authentication-complete"),
        "beginRegistrationUrl": reverse("otp_webauthn:credential-registration-begin"),
        "completeRegistrationUrl": reverse("otp_webauthn:credential-registration-complete"),
    }
