from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from joinedup.core.api import error_body


def start(request: HttpRequest) -> HttpResponse:
    """The public front door: how a person can tell us what happened, in plain words."""
    return render(request, "core/start.html", {"public": True})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {"public": True})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"public": True})


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html", {"public": True})


def cover_your_tracks(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cover_your_tracks.html", {"public": True})


def easy_read(request: HttpRequest) -> HttpResponse:
    """The start page in easy read: one idea a sentence, each with a picture (after Mind's easy-read guide)."""
    return render(request, "core/easy_read.html", {"public": True})


@csrf_exempt  # leaving must never fail: a stale form token must not keep a person on the page
@require_http_methods(["GET", "POST"])
def exit_page(request: HttpRequest) -> HttpResponse:
    """Exit this page: end this browser's hold on everything (the session, so the report draft and any sent
    report's confirmation are forgotten here; a resume code written down still works), ask the browser to drop
    what it cached for this site, and go to a neutral site. GOV.UK's exit-this-page button links here."""
    request.session.flush()
    response = HttpResponseRedirect(settings.JOINEDUP_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"  # the neutral site must not learn where the person came from
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benchmarks' baseline: the whole middleware stack, one `SELECT 1`, no session, no template. Answers only
    where JOINEDUP_BENCH_ENDPOINT is on (benchmarks/README.md); elsewhere it does not exist."""

    if not settings.JOINEDUP_BENCH_ENDPOINT:
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse(b"ok", content_type="text/plain")


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
