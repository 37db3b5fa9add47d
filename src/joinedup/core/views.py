from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from joinedup.core.api import error_body


def start(request: HttpRequest) -> HttpResponse:
    """The public front door: how a person can tell us what happened, in plain words."""
    return render(request, "core/start.html", {"public": True})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        codes = {400: "invalid", 403: "forbidden", 404: "not_found", 500: "server_error"}
        messages = {
            400: "The request could not be understood.",
            403: "You are not allowed to do this.",
            404: "Not found, or you do not have access to it.",
            500: "Something went wrong on our side. Nothing you sent was lost; try again shortly.",
        }
        return JsonResponse(error_body(codes[status], messages[status]), status=status)
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "core/errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "core/errors/403.html", 403, reason=str(exception or ""))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "core/errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, "core/errors/500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/errors/csrf.html", status=403)
