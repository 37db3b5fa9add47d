"""Session limits and the second factor, enforced for every request after authentication."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from joinedup.accounts import services
from joinedup.accounts.domain.sessions import session_end
from joinedup.accounts.models import User
from joinedup.accounts.second_factor import (
    SECOND_FACTOR_DUE,
    has_second_factor,
    is_person_account,
    peoples_place,
    second_factor_required_for,
)

SIGNED_IN_AT = "joinedup_signed_in_at"
LAST_SEEN_AT = "joinedup_last_seen_at"

# Pages someone who has given a password but not yet a second factor may reach: the second-factor steps, the
# ways out, and the public pages anyone may see.
HALF_SIGNED_IN_MAY_SEE = {
    "accounts:second_factor",
    "accounts:second_factor_set_up",
    "accounts:recovery_codes",
    "accounts:sign_in",
    "accounts:sign_out",
    "accounts:signed_out",
    "core:start",
    "core:accessibility",
    "core:privacy",
    "core:cookies",
    "core:healthz",
    # Exit this page works from anywhere, always.
    "core:exit",
    "core:cover_your_tracks",
}
HALF_SIGNED_IN_NAMESPACES = {"otp_webauthn"}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class SessionLimitsMiddleware:
    """Ends a browser session after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS after
    sign-in however busy, on the server (the cookie's own expiry is only a hint to the browser)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated and SIGNED_IN_AT in request.session:
            now = time.time()
            ended = session_end(
                signed_in_at=request.session.get(SIGNED_IN_AT),
                last_seen_at=request.session.get(LAST_SEEN_AT),
                now=now,
                idle_seconds=int(settings.SESSION_COOKIE_AGE),
                absolute_seconds=int(settings.SESSION_ABSOLUTE_SECONDS),
            )
            if ended is not None:
                services.session_ended_recorded(user=user, reason=ended.reason)
                services.sign_out_recorded_quietly(session_key=request.session.session_key)
                logout(request)
                if _is_api(request):
                    return self.get_response(request)  # now anonymous: the API answers 401
                place = peoples_place()
                if place is not None and is_person_account(user):
                    # A person is never sent to the practitioners' sign-in page: their own says how to get back in.
                    return HttpResponseRedirect(f"{reverse(place.signed_out)}?{urlencode({'ended': ended.value})}")
                query = urlencode({"ended": ended.value, "next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('accounts:sign_in')}?{query}")
            # Renewed at most once per tenth of the idle window (SESSION_REFRESH_FRACTION), so a signed-in page
            # does not write the session on every request: the idle limit then holds to within that tenth.
            last_seen = request.session.get(LAST_SEEN_AT)
            refresh_after = settings.SESSION_COOKIE_AGE * settings.SESSION_REFRESH_FRACTION
            if not isinstance(last_seen, int | float) or now - last_seen >= refresh_after:
                request.session[LAST_SEEN_AT] = now
        elif isinstance(user, User) and user.is_authenticated:
            # A session from before these limits, or made without the sign-in page: start its clock now.
            now = time.time()
            request.session[SIGNED_IN_AT] = now
            request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, nothing but the second-factor steps until the second factor is given. Required for
    every practitioner when JOINEDUP_REQUIRE_SECOND_FACTOR is on; always for an account that has set one up.

    A person signed in to their own place is never sent to the practitioners' set-up pages: for them a second
    factor is their choice (accounts.domain.second_factor). When they chose "ask for my passkey too", their link
    sign-in marks it due in the session, and they are sent to their own place's passkey step instead.

    API calls with a session are treated as anonymous until then (401). Bearer tokens are not sessions: they are
    issued by operators, and DRF authenticates them in the view, so this never sees them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (isinstance(user, User) and user.is_authenticated) or not _second_factor_owed(request, user):
            return self.get_response(request)
        if _is_api(request):
            request.user = AnonymousUser()
            return self.get_response(request)
        step = _second_factor_step(request, user)
        if step is None:
            return self.get_response(request)
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


def _second_factor_owed(request: HttpRequest, user: User) -> bool:
    if user.is_verified():  # type: ignore[attr-defined]  # set by django_otp's OTPMiddleware
        return False
    return bool(request.session.get(SECOND_FACTOR_DUE, False)) or second_factor_required_for(user)


def _second_factor_step(request: HttpRequest, user: User) -> str | None:
    """Where someone who owes their second factor is sent from this page, or None when they may see it."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name in HALF_SIGNED_IN_MAY_SEE or match.namespace in HALF_SIGNED_IN_NAMESPACES:
        return None
    place = peoples_place()
    if place is not None and is_person_account(user):
        return None if match.view_name in place.may_see_before_second_factor else place.second_factor_step
    return "accounts:second_factor" if has_second_factor(user) else "accounts:second_factor_set_up"
