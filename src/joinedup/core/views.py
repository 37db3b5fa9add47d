from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from joinedup.access.decision import decide
from joinedup.accounts.models import User
from joinedup.accounts.selectors import acting_user, agencies_with_roles


def start(request: HttpRequest) -> HttpResponse:
    """The public front door: how a person can tell us what happened, in plain words."""
    return render(request, "core/start.html", {"public": True})


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    decision = decide(user, "work.view")
    from joinedup.accounts.models import Agency

    lead = Agency.objects.filter(is_lead_partner=True).first()
    context = {
        "agencies": agencies_with_roles(user),
        "can_do_casework": decision.allowed,
        "decision": decision,
        "can_set_thresholds": lead is not None and decide(user, "agency.manage", lead).allowed,
        "is_police_liaison": user.memberships.filter(role="police_liaison").exists(),
    }
    if decision.allowed:
        from django.core.paginator import Paginator
        from django.utils import timezone

        from joinedup.cases import selectors as cases
        from joinedup.incidents.work import work_for
        from joinedup.keywork.selectors import provisional_cases

        risk = request.GET.get("risk") if request.GET.get("risk") in {"high", "medium", "standard"} else None
        my_cases = Paginator(cases.my_cases(user=user, risk=risk), 25).get_page(request.GET.get("page"))
        context.update(work_for(user))
        context.update(
            {
                "my_cases": my_cases,
                "risk_filter": risk,
                "my_tasks": list(cases.my_tasks(user=user)[:50]),
                "handovers": list(cases.handovers_waiting(user=user)),
                "today": timezone.localdate(),
                "overdue_rights": _overdue_rights(user),
                "provisional_cases": provisional_cases(user=user),
            }
        )
    return render(request, "core/my_work.html", context)


def _overdue_rights(user: User) -> list[tuple[Any, list[str]]]:
    """Victims' Code rights overdue for people whose case the user holds (the 20 latest reports)."""
    from joinedup.police.models import PoliceReport
    from joinedup.police.services import tracker

    found: list[tuple[Any, list[str]]] = []
    reports = (
        PoliceReport.objects.filter(case__key_worker=user, case__status="open")
        .select_related("case", "case__person")
        .order_by("-created_at")[:20]
    )
    for report in reports:
        late = [f"right {r.number}" for r in tracker(report)["rights"] if r.status == "overdue"]
        if late:
            found.append((report, late))
    return found


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
        from joinedup.core.api import error_body

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
