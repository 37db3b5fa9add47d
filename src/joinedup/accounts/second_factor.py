"""What the second factor needs besides services: which accounts must use one, and how passkeys name this
service. Devices are django-otp's (authenticator app codes, recovery codes) and django-otp-webauthn's (passkeys).

People (a person harmed, signed in to their own place) are told apart from practitioners by the portal, which
registers a `PeoplesPlace` from its AppConfig.ready: accounts sits below the portal and never reads its tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers.structs import ResidentKeyRequirement

from joinedup.accounts.domain.second_factor import second_factor_asked_at_sign_in, second_factor_required

# Kept in the session from the password step until the second factor is given.
SECOND_FACTOR_DUE = "joinedup_second_factor_due"
# Recovery codes made a moment ago, to show exactly once.
FRESH_RECOVERY_CODES = "joinedup_fresh_recovery_codes"
RECOVERY_CODE_COUNT = 10

# The neutral name a person's own place goes by, everywhere it can be seen: page titles, emails, and the passkey
# saved in their phone's password manager. Whoever picks up the phone learns nothing from it.
PERSON_SERVICE_NAME = "My support"


@dataclass(frozen=True)
class PeoplesPlace:
    """How the person's own place signs people in, as the portal registers it."""

    # Is this a person's own account (not a practitioner's)? Asked once per request and remembered on the user.
    is_person: Callable[[Any], bool]
    # Route names: where a person gives their passkey after a link (when they asked for that), and where a person
    # whose session ended is sent (never the practitioners' sign-in page).
    second_factor_step: str
    signed_out: str
    # Route names a person who still owes their passkey may reach: the step, the ways out, a new link.
    may_see_before_second_factor: frozenset[str] = field(default_factory=frozenset)


PEOPLES_PLACE: list[PeoplesPlace] = []

_PERSON_FLAG = "_joinedup_person_account"


def is_person_account(user: Any) -> bool:
    """A person's own account (their place, My support), not a practitioner's. Remembered on the user object for
    the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    known = getattr(user, _PERSON_FLAG, None)
    if isinstance(known, bool):
        return known
    person = any(place.is_person(user) for place in PEOPLES_PLACE)
    setattr(user, _PERSON_FLAG, person)
    return person


def peoples_place() -> PeoplesPlace | None:
    return PEOPLES_PLACE[0] if PEOPLES_PLACE else None


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


def second_factor_required_for(user: Any) -> bool:
    """Must this account give a second factor before anything else (practitioners, where the setting is on)?
    Whose account it is is asked only when the setting is on (one small query, remembered for the request)."""
    if not settings.JOINEDUP_REQUIRE_SECOND_FACTOR:
        return False
    return second_factor_required(required_by_setting=True, person=is_person_account(user))


def second_factor_due(user: Any) -> bool:
    """Asked at a practitioner's password sign-in: required in production, and for anyone who has set one up."""
    return second_factor_asked_at_sign_in(
        person=is_person_account(user),
        required_by_setting=bool(settings.JOINEDUP_REQUIRE_SECOND_FACTOR),
        has_second_factor=has_second_factor(user),
        signed_in_with="password",
    )


def passkey_rp_id(request: HttpRequest) -> str:
    """The passkey relying party: the configured domain, or the host this request came to (already checked
    against ALLOWED_HOSTS by Django)."""
    return str(settings.OTP_WEBAUTHN_RP_ID) or request.get_host().rsplit(":", 1)[0].strip("[]")


class PasskeyHelper(WebAuthnHelper):
    """Accepts the request's own origin as well as the configured ones. The browser signs the origin it really
    is on, so a look-alike site relaying the ceremony is still refused: its origin is neither.

    For a person's own account the passkey is named neutrally: the relying party and the account both appear as
    "My support" in the phone's password manager — never JoinedUp, never their name or email address — and it must
    be a discoverable credential, so they can sign in with it alone (no link, no email address typed)."""

    def _for_person(self, user: Any = None) -> bool:
        return is_person_account(user if user is not None else getattr(self.request, "user", None))

    def get_allowed_origins(self) -> list[str]:
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return sorted({*settings.OTP_WEBAUTHN_ALLOWED_ORIGINS, own})

    def get_relying_party_name(self) -> str:
        return PERSON_SERVICE_NAME if self._for_person() else super().get_relying_party_name()

    def get_credential_name(self, user: AbstractBaseUser) -> str:
        return PERSON_SERVICE_NAME if self._for_person(user) else super().get_credential_name(user)

    def get_credential_display_name(self, user: AbstractBaseUser) -> str:
        return PERSON_SERVICE_NAME if self._for_person(user) else super().get_credential_display_name(user)

    def get_discoverable_credentials_preference(self) -> ResidentKeyRequirement:
        if self._for_person():
            return ResidentKeyRequirement.REQUIRED
        return super().get_discoverable_credentials_preference()


def passkey_script_config(
    request: HttpRequest, *, begin_authentication: str = "", complete_authentication: str = ""
) -> dict[str, Any]:
    """What django-otp-webauthn's script reads from the page (the settings its own template tag would print).
    A person's passwordless sign-in points the authentication steps at the portal's own endpoints."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": begin_authentication or reverse("otp_webauthn:credential-authentication-begin"),
        "completeAuthenticationUrl": complete_authentication
        or reverse("otp_webauthn:credential-authentication-complete"),
        "beginRegistrationUrl": reverse("otp_webauthn:credential-registration-begin"),
        "completeRegistrationUrl": reverse("otp_webauthn:credential-registration-complete"),
    }
