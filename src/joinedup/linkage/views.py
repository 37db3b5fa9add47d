"""Pages for the lead partner: the review queue of possible matches, one pair with its evidence, and the
latest linkage run's figures. Thin: reads through selectors, writes through services, post/redirect/get."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from joinedup.accounts.selectors import acting_user
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.linkage import selectors, services
from joinedup.linkage.selectors import FIELDS_SHOWN, REVIEW_PAGE_SIZE


class DecisionForm(GovUKForm):
    decision = forms.ChoiceField(
        choices=[("confirm", "Yes, the same person"), ("reject", "No, different people")],
        error_messages={"required": "Select whether these records are the same person"},
    )
    note = forms.CharField(
        max_length=500, required=False, error_messages={"max_length": "The note must be 500 characters or fewer"}
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def review_queue(request: HttpRequest) -> HttpResponse:
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    links, total = selectors.review_queue(actor=acting_user(request), page=page)
    pages = max(1, (total + REVIEW_PAGE_SIZE - 1) // REVIEW_PAGE_SIZE)
    return render(request, "linkage/reviews.html", {"links": links, "total": total, "page": page, "pages": pages})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, review_id: str) -> HttpResponse:
    actor = acting_user(request)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                link = services.link_decide(
                    actor=actor,
                    link_uuid=review_id,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except (Conflict, InvalidInput) as problem:
                form.add_error(None, problem.message)
            else:
                messages.success(
                    request,
                    "Recorded: the same person." if link.status == "confirmed" else "Recorded: different people.",
                )
                return redirect("linkage:reviews")
        status = 400
    pair = selectors.review_pair(actor=actor, link_uuid=review_id)
    total = sum(step["weight"] for step in pair.steps)
    return render(
        request,
        "linkage/review.html",
        {"pair": pair, "form": form, "fields": FIELDS_SHOWN, "total": total},
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def linkage_status(request: HttpRequest) -> HttpResponse:
    run = selectors.last_run(actor=acting_user(request))
    return render(request, "linkage/status.html", {"run": run, "waiting": selectors.waiting_for_review()})
