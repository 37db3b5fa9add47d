"""The case page: one named key worker, one story, and the work around it. Thin: forms → services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.access.decision import NotVisible, decide
from joinedup.accounts.models import User
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases import selectors, work
from joinedup.cases.domain.rules import FEELS_SAFER, OUTCOMES_MET
from joinedup.cases.models import Handover, Task, TimelineKind
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.incidents.models import Incident
from joinedup.people.contact import contact_attempt, contact_check
from joinedup.people.domain.contact import CHANNELS
from joinedup.people.models import ContactAttempt, PersonAgencyLink
from joinedup.people.selectors import visible_groups
from joinedup.referrals.domain.suggestions import NEED_LABELS
from joinedup.referrals.services import suggestions_for
from joinedup.risk import selectors as risk_selectors


class TaskForm(GovUKForm):
    title = forms.CharField(max_length=300, error_messages={"required": "Say what needs doing"})
    owner = forms.ChoiceField(choices=[], error_messages={"required": "Choose who owns it"})
    due_in_days = forms.IntegerField(
        min_value=0,
        max_value=365,
        error_messages={
            "required": "Enter in how many days it is due",
            "invalid": "Enter a whole number of days",
            "min_value": "Enter 0 or more days",
            "max_value": "Enter 365 days or fewer",
        },
    )


class HandoverForm(GovUKForm):
    to_user = forms.ChoiceField(choices=[], error_messages={"required": "Choose who to hand over to"})
    reason = forms.CharField(max_length=2000, error_messages={"required": "Say why you are handing over"})


class ContactForm(GovUKForm):
    channel = forms.ChoiceField(
        choices=[(c, c.capitalize()) for c in CHANNELS], error_messages={"required": "Choose how you contacted them"}
    )
    purpose = forms.CharField(max_length=200, error_messages={"required": "Say why you contacted them"})
    outcome = forms.ChoiceField(
        choices=[("made", "Spoke to them or delivered it"), ("no_answer", "No answer")],
        error_messages={"required": "Choose what happened"},
    )
    summary = forms.CharField(max_length=5000, required=False)
    error_anchor = {"channel": "id_channel", "outcome": "id_outcome"}


class CloseForm(GovUKForm):
    outcomes_met = forms.ChoiceField(
        choices=[(o, o.capitalize()) for o in OUTCOMES_MET],
        error_messages={"required": "Say whether what they wanted was met"},
    )
    person_feels_safer = forms.ChoiceField(
        choices=[(f, f.replace("_", " ").capitalize()) for f in FEELS_SAFER],
        error_messages={"required": "Say whether they feel safer"},
    )
    person_view = forms.CharField(max_length=5000, required=False, strip=False)
    not_asked_reason = forms.CharField(max_length=2000, required=False)
    error_anchor = {"outcomes_met": "id_outcomes_met", "person_feels_safer": "id_person_feels_safer"}


class OutcomesForm(GovUKForm):
    desired_outcomes = forms.CharField(
        max_length=5000, strip=False, error_messages={"required": "Write down what they want, in their words"}
    )


def _colleagues_for(case: Any) -> list[tuple[str, str]]:
    """Caseworkers in agencies that know the person (so a task or handover never leaks the person elsewhere)."""
    agencies = PersonAgencyLink.objects.filter(person=case.person).values("agency_id")
    users = (
        User.objects.filter(
            is_active=True,
            memberships__agency_id__in=agencies,
            memberships__role__in=["practitioner", "key_worker", "safeguarding_lead"],
        )
        .distinct()
        .order_by("name")
    )
    return [(str(u.uuid), u.name) for u in users]


@login_required
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(actor=user, case_uuid=case_id, purpose="Working on the case")
    action = request.POST.get("action") if request.method == "POST" else None
    colleagues = _colleagues_for(case)
    forms_: dict[str, GovUKForm] = {
        "task": TaskForm(request.POST if action == "task" else None, initial={"due_in_days": 7}),
        "handover": HandoverForm(request.POST if action == "handover" else None),
        "contact": ContactForm(request.POST if action == "contact" else None),
        "close": CloseForm(request.POST if action == "close" else None),
        "outcomes": OutcomesForm(
            request.POST if action == "outcomes" else None, initial={"desired_outcomes": case.desired_outcomes}
        ),
    }
    forms_["task"].fields["owner"].choices = colleagues  # type: ignore[attr-defined]
    forms_["handover"].fields["to_user"].choices = [c for c in colleagues if c[0] != str(case.key_worker.uuid)]  # type: ignore[attr-defined]
    error: str | None = None
    if action in forms_:
        form = forms_[action]
        if form.is_valid():
            try:
                _act(action, form.cleaned_data, user, case)
            except (InvalidInput, Conflict) as problem:
                placed = False
                for field, problems in problem.fields.items():
                    target = {"to_user_id": "to_user", "owner_user_id": "owner"}.get(field, field)
                    if target in form.fields:
                        form.add_error(target, problems[0])
                        placed = True
                if not placed:  # a conflict with the record's state, e.g. open tasks listed in the message
                    listed = [item for items in problem.fields.values() for item in items]
                    form.add_error(None, " ".join([problem.message, *listed]))
                error = problem.message
            else:
                messages.success(request, _DONE[action])
                return redirect("cases:case", case_id=case.uuid)
    kind = request.GET.get("kind") or None
    if kind not in TimelineKind.values:
        kind = None
    timeline = Paginator(selectors.timeline_for_case(case=case, kind=kind), 25).get_page(request.GET.get("page"))
    groups = visible_groups(actor=user, person=case.person)
    incidents = (
        list(Incident.objects.filter(person=case.person).select_related("recording_agency").order_by("-created_at")[:3])
        if "account" in groups
        else []
    )
    context = {
        "case": case,
        "person": case.person,
        "forms": forms_,
        "bound_action": action,
        "error": error,
        "risk": risk_selectors.risk_current(actor=user, person=case.person, purpose="Working on the case"),
        "risk_history": list(risk_selectors.risk_history(person=case.person, limit=10)),
        "tasks": list(case.tasks.select_related("owner").order_by("status", "due_on", "id")),
        "today": timezone.localdate(),
        "pending_handover": case.handovers.filter(status=Handover.Status.PENDING).select_related("to_user").first(),
        "contacts": list(ContactAttempt.objects.filter(person=case.person).select_related("actor")[:10]),
        "safe_now": contact_check(person=case.person),
        "timeline": timeline,
        "kinds": TimelineKind.choices,
        "kind": kind,
        "incidents": incidents,
        "groups": groups,
        "can_manage": decide(user, "case.manage", case).allowed,
        "suggestions": suggestions_for(case) if case.status == "open" else [],
        "need_labels": NEED_LABELS,
        "referrals": list(case.referrals.select_related("service", "to_agency").order_by("-sent_at")),
        "police_reports": list(case.police_reports.order_by("-created_at")[:5]),
    }
    status = 400 if action in forms_ else 200
    return render(request, "cases/case.html", context, status=status)


_DONE = {
    "task": "Task added.",
    "handover": "Handover requested. You stay the key worker until they accept.",
    "contact": "Contact recorded.",
    "close": "Case closed with the person's outcome.",
    "outcomes": "What they want is recorded.",
}


def _act(action: str, data: dict[str, Any], user: User, case: Any) -> None:
    if action == "task":
        owner = User.objects.get(uuid=data["owner"])
        work.task_create(
            actor=user,
            case=case,
            title=data["title"],
            owner=owner,
            due_on=timezone.localdate() + timedelta(days=data["due_in_days"]),
        )
    elif action == "handover":
        work.handover_request(
            actor=user, case=case, to_user=User.objects.get(uuid=data["to_user"]), reason=data["reason"]
        )
    elif action == "contact":
        agency = casework_agency(user)
        if agency is None:
            raise InvalidInput("You do not do casework in any agency.")
        contact_attempt(
            actor=user,
            agency=agency,
            person=case.person,
            channel=data["channel"],
            purpose=data["purpose"],
            summary=data["summary"],
            outcome=data["outcome"],
        )
    elif action == "close":
        work.case_close(actor=user, case=case, **data)
    elif action == "outcomes":
        work.case_desired_outcomes_set(actor=user, case=case, outcomes=data["desired_outcomes"])


@login_required
@require_POST
def task_done(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get(actor=user, case_uuid=case_id, purpose="Completing a task")
    task = Task.objects.filter(uuid=task_id, case=case).first()
    if task is None:
        raise NotVisible("Not found")
    try:
        work.task_complete(actor=user, task=task, note=request.POST.get("note", ""))
    except (Conflict, InvalidInput) as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, "Task done.")
    return redirect("cases:case", case_id=case.uuid)


@login_required
@require_POST
def handover_answer(request: HttpRequest, handover_id: str) -> HttpResponse:
    user = acting_user(request)
    handover = Handover.objects.select_related("case").filter(uuid=handover_id, to_user=user).first()
    if handover is None:
        raise NotVisible("Not found")
    try:
        if request.POST.get("answer") == "accept":
            work.handover_accept(actor=user, handover=handover)
            messages.success(request, f"You are now the key worker for {handover.case.person.display_name}.")
            return redirect("cases:case", case_id=handover.case.uuid)
        work.handover_decline(actor=user, handover=handover, reason=request.POST.get("reason", ""))
        messages.success(request, "Handover declined; the current key worker has been told why.")
    except (Conflict, InvalidInput) as problem:
        messages.error(request, problem.message)
    return redirect("core:my_work")
