"""My work and the person's page: composed from several apps, every person shown read through the one door."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from joinedup.access import door
from joinedup.access.decision import decide
from joinedup.access.domain.minimum import GROUP_WORDS
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency
from joinedup.accounts.selectors import acting_user, agencies_with_roles, casework_agency
from joinedup.cases import selectors as case_selectors
from joinedup.cases.presenters import story_items
from joinedup.consent import selectors as consent_selectors
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.incidents.work import work_for
from joinedup.panels.presenters import my_work_panels
from joinedup.people.selectors import person_read
from joinedup.police.services import overdue_rights_for
from joinedup.referrals.selectors import waiting_counts
from joinedup.risk import selectors as risk_selectors
from joinedup.risk import services as risk_services
from joinedup.risk.presenters import present_risk
from joinedup.workspace.presenters import accounts_for


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    decision = decide(user, "work.view")
    lead = Agency.objects.filter(is_lead_partner=True).first()
    context: dict[str, Any] = {
        "agencies": agencies_with_roles(user),
        "can_do_casework": decision.allowed,
        "decision": decision,
        "can_set_thresholds": lead is not None and decide(user, "agency.manage", lead).allowed,
        "is_police_liaison": decide(user, "police_inbox.view").allowed,
        **my_work_panels(user),
        # The partnership's de-identified figures (insights app): the same subject insights.services builds.
        "can_see_insights": decide(
            user,
            "insights.view",
            SubjectFacts(kind="insights", agency_ids=frozenset({lead.pk}) if lead else frozenset(), lead_partner=True),
        ).allowed,
    }
    if decision.allowed:
        risk = request.GET.get("risk") if request.GET.get("risk") in {"high", "medium", "standard"} else None
        my_cases = Paginator(case_selectors.my_cases(user=user, risk=risk), 25).get_page(request.GET.get("page"))
        tasks = list(case_selectors.my_tasks(user=user)[:50])
        handovers = list(case_selectors.handovers_waiting(user=user))
        overdue = overdue_rights_for(user)
        provisional = case_selectors.provisional_cases(user=user)
        # Names on My work are personal data: one audit entry per person shown.
        door.read_list(
            user,
            objects=[*my_cases.object_list, *(t.case for t in tasks), *(h.case for h in handovers)]
            + [r.case for r, _ in overdue]
            + provisional,
            purpose="My work",
            person_uuid_of=lambda c: c.person.uuid,
        )
        context.update(work_for(user))
        context.update(waiting_counts(actor=user))
        context.update(
            {
                "my_cases": my_cases,
                "risk_filter": risk,
                "my_tasks": tasks,
                "handovers": handovers,
                "today": timezone.localdate(),
                "overdue_rights": overdue,
                "provisional_cases": provisional,
            }
        )
    return render(request, "workspace/my_work.html", context)


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
    person, seen = person_read(actor=user, person_uuid=person_id, purpose="Reading the person's record")
    can_judge = seen.sees("risk") and seen.decide(user, "risk.judge").allowed
    form = JudgementForm(request.POST if request.method == "POST" and can_judge else None)
    status = 200
    if request.method == "POST":
        if can_judge and form.is_valid():
            try:
                agency = casework_agency(user)
                if agency is None:
                    raise InvalidInput("You do not do casework in any agency.")
                risk_services.risk_judgement_record(
                    actor=user, agency=agency, person=person, **_judgement(form.cleaned_data)
                )
            except (Conflict, InvalidInput) as problem:
                form.add_error("level", problem.message)
            else:
                messages.success(request, "Your professional judgement is recorded and the risk re-assessed.")
                return redirect("people:person", person_id=person.uuid)
        status = 400
    timeline = Paginator(case_selectors.timeline_for_person(person=person), 25).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "shows_identity": seen.sees("identity"),
        "shows_contact": seen.sees("contact"),
        "withheld_words": [GROUP_WORDS[g] for g in seen.withheld],
        "risk": present_risk(risk_selectors.risk_current(person=person), seen),
        "history": list(risk_selectors.risk_history(person=person)) if seen.sees("risk") else [],
        "timeline": timeline,
        "items": story_items(list(timeline.object_list), seen),
        "accounts": accounts_for(person, seen, limit=3),
        "case": case_selectors.open_case(person=person),
        "form": form,
        "can_judge": can_judge,
        "can_see_access_log": seen.decide(user, "access_log.view").allowed,
        "consents_to_ask_again": consent_selectors.consents_to_ask_again(actor=user, person=person),
        "can_export": seen.decide(user, "person.subject_access").allowed,
    }
    return render(request, "workspace/person.html", context, status=status)


def _judgement(data: dict[str, Any]) -> dict[str, str]:
    return {"level": data["level"], "reasons": data["reasons"]}
