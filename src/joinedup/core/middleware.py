from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from joinedup.core import request_context


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
    A view that sets its own Cache-Control (none does today) is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
