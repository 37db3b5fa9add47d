"""The person's page: who they are, their risk and why, and their story in one timeline."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from joinedup.access.decision import decide
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases.selectors import open_case, timeline_for_person
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.incidents.models import Incident
from joinedup.people.selectors import person_get, visible_groups
from joinedup.risk import selectors as risk_selectors
from joinedup.risk import services as risk_services


class JudgementForm(GovUKForm):
    level = forms.ChoiceField(
        choices=[("standard", "Standard"), ("medium", "Medium"), ("high", "High")],
        error_messages={"required": "Choose the level you judge the risk to be"},
    )
    reasons = forms.CharField(max_length=2000, error_messages={"required": "Give the reasons for your judgement"})
    error_anchor = {"level": "id_level"}


@login_required
@require_http_methods(["GET", "POST"])
def person_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = acting_user(request)
    person = person_get(actor=user, person_uuid=person_id, purpose="Reading the person's record")
    form = JudgementForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            agency = casework_agency(user)
            try:
                if agency is None:
                    raise InvalidInput("You do not do casework in any agency.")
                risk_services.risk_judgement_record(
                    actor=user,
                    agency=agency,
                    person=person,
                    level=form.cleaned_data["level"],
                    reasons=form.cleaned_data["reasons"],
                )
            except (Conflict, InvalidInput) as problem:
                form.add_error("level", problem.message)
            else:
                messages.success(request, "Your professional judgement is recorded and the risk re-assessed.")
                return redirect("people:person", person_id=person.uuid)
        status = 400
    risk = risk_selectors.risk_current(actor=user, person=person, purpose="Reading the person's record")
    timeline = Paginator(timeline_for_person(person=person), 25).get_page(request.GET.get("page"))
    incidents = list(
        Incident.objects.filter(person=person).select_related("recording_agency").order_by("-created_at")[:10]
    )
    context = {
        "person": person,
        "risk": risk,
        "history": list(risk_selectors.risk_history(person=person)),
        "timeline": timeline,
        "incidents": incidents,
        "case": open_case(person=person),
        "form": form,
        "can_judge": decide(user, "risk.judge", person).allowed,
        "can_see_access_log": decide(user, "access_log.view", person).allowed,
        "can_export": decide(user, "person.subject_access", person).allowed,
        "groups": visible_groups(actor=user, person=person),
    }
    return render(request, "people/person.html", context, status=status)
