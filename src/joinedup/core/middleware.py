from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, QueryDict

from joinedup.core import request_context
from joinedup.core.domain import limits

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
            from joinedup.core.views import bad_request

            return bad_request(request, None)
        return self.get_response(request)


DATABASE_OUTAGE = (OperationalError, InterfaceError)


class DatabaseOutageMiddleware:
    """A lost database answers 503 "Nothing was saved. Try again." — true, because every write is one transaction
    that the outage rolled back. (handler500 does the same for failures outside views.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_OUTAGE):
            from joinedup.core.views import service_unavailable

            logger.error("Database unavailable: %s", exception, extra={"path": request.path})
            return service_unavailable(request)
        return None
