from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

from joinedup.core import request_context
from joinedup.core.domain import limits
from joinedup.core.errors import DATABASE_OUTAGE
from joinedup.core.views import bad_request, service_unavailable

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy the deployment sets REMOTE_ADDR correctly (gunicorn --forwarded-allow-ips);
    # we never trust a client-supplied X-Forwarded-For here.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Binds the request's id, address and channel for audit entries, and echoes the id for support calls."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request_context.RequestMeta(
            request_id=request_context.new_request_id(),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            channel="api" if request.path.startswith("/api/") else "web",
        )
        with request_context.bound(meta):
            response = self.get_response(request)
        response["X-Request-ID"] = meta.request_id
        return response


class NoStoreMiddleware:
    """Nothing this service sends may stay in a browser's cache or its back/forward cache: a person reporting
    abuse may share the device with the person who harms them, and a practitioner may use a shared terminal.
    Static assets are served before this (WhiteNoise), so only pages, API answers and PDFs pass through here.
    A view that sets its own Cache-Control (Django's never_cache, which includes no-store) is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


def _holds_null_byte(values: QueryDict) -> bool:
    return any(limits.has_null_byte(key) or any(limits.has_null_byte(v) for v in vals) for key, vals in values.lists())


class HostileInputMiddleware:
    """A null byte in the query string or a form body is refused with 400 before any view sees it.

    PostgreSQL cannot store or compare text holding NUL, so `?q=%00` used to reach a query and end in a 500.
    Django's form fields already refuse NUL; this covers the views that read a parameter directly (searches)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hostile = _holds_null_byte(request.GET)
        if not hostile and request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            hostile = _holds_null_byte(request.POST)
        if hostile:
            return bad_request(request, None)
        return self.get_response(request)


REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    """Keeps the idle timeout honest without writing the session on every request.

    Sessions expire SESSION_COOKIE_AGE seconds after they were last saved. Saving on every request kept that exact
    but cost a database write and a cache write per page; instead the session is marked changed (so saved, and its
    cookie renewed) only when more than SESSION_REFRESH_FRACTION of the idle window has passed since the last save.
    A session therefore ends between (1 - fraction) and 1 times the idle window after the last request: with 30
    minutes and 0.1, between 27 and 30 minutes. Visitors without a session are left alone (no session is created).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.refresh_after = settings.SESSION_COOKIE_AGE * settings.SESSION_REFRESH_FRACTION

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # A cookie names a session; an expired or unknown one loads as empty and must not be revived here.
        if session is not None and session.session_key is not None and len(session.keys()):
            now = int(time.time())
            refreshed_at = session.get(REFRESHED_AT, 0)
            if not isinstance(refreshed_at, int) or now - refreshed_at >= self.refresh_after:
                session[REFRESHED_AT] = now
        return self.get_response(request)


class DatabaseOutageMiddleware:
    """A lost database answers 503 "Nothing was saved. Try again." — true, because every write is one transaction
    that the outage rolled back. (handler500 does the same for failures outside views.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_OUTAGE):
            logger.error("Database unavailable: %s", exception, extra={"path": request.path})
            return service_unavailable(request)
        return None
