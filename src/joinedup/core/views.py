from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from joinedup.core.api import error_body
from joinedup.core.errors import DATABASE_OUTAGE
from joinedup.core.heartbeat import heartbeat_is_fresh

logger = logging.getLogger(__name__)


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
    """Liveness, for the process manager and load balancer: this process answers. Touches no database, so a
    database outage does not get healthy web processes restarted."""
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers, every migration is applied, and a background worker beat recently.

    Anything else is 503 with the failing checks named, so a deployment is not sent traffic half-made."""

    checks: dict[str, dict[str, Any]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except DatabaseError as exc:
        checks["database"] = {"ok": False, "detail": "The database does not answer."}
        logger.warning("readyz: database unavailable: %s", exc)
    if checks["database"]["ok"]:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            checks["migrations"] = {"ok": not pending, **({"detail": f"{len(pending)} not applied"} if pending else {})}
            fresh, last = heartbeat_is_fresh()
            checks["worker"] = {"ok": fresh, "last_heartbeat": last.isoformat() if last else None}
            if not fresh:
                checks["worker"]["detail"] = "No background worker has reported recently."
        except DatabaseError as exc:
            checks["database"] = {"ok": False, "detail": "The database stopped answering."}
            logger.warning("readyz: database failed mid-check: %s", exc)
    ready = all(check["ok"] for check in checks.values()) and {"migrations", "worker"} <= checks.keys()
    return JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


UNAVAILABLE_MESSAGE = "The service is unavailable. Nothing was saved. Try again."


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The database is unreachable: every write is one transaction, so nothing of this request was stored.

    The page must render without the database, so the signed-in user (read through the session) is not asked."""

    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error_body("unavailable", UNAVAILABLE_MESSAGE), status=503)
    else:
        request.user = AnonymousUser()
        response = render(request, "core/errors/503.html", status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


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
            500: "Something went wrong on our side. Check whether your change was saved before you try again.",
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
    # Django calls this inside its except block: a database outage outside a view (sessions, the cache) is a 503.

    if isinstance(sys.exc_info()[1], DATABASE_OUTAGE):
        return service_unavailable(request)
    return _error(request, "core/errors/500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/errors/csrf.html", status=403)
