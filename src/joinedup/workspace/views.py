"""The case in sub-pages (Summary, Story, Support, Risk, Sharing, Police and Victims' Code, Tasks and contacts,
Close), each action on its own page with post/redirect/get back to where it began. Every page reads the case
once through the one door and renders what the presenters let through."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import User
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases import selectors as case_selectors
from joinedup.cases import work
from joinedup.cases.domain.rules import FEELS_SAFER, OUTCOMES_MET
from joinedup.cases.domain.safety_plan import LABELS, PRACTICAL_STEPS, STANDING_NUMBERS, Promise
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.safety import current_version, plan_from_json, plan_history, plan_pdf, safety_plan_save
from joinedup.consent import selectors as consent_selectors
from joinedup.consent.contact import contact_attempt
from joinedup.consent.presenters import consent_rows
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.core.pdf import PdfUnavailable
from joinedup.panels.presenters import case_panel
from joinedup.people.domain.contact import CHANNELS
from joinedup.people.selectors import colleagues_knowing
from joinedup.police import selectors as police_selectors
from joinedup.police.services import tracker
from joinedup.portal import selectors as portal_selectors
from joinedup.portal import services as portal_services
from joinedup.referrals import selectors as referral_selectors
from joinedup.referrals.presenters import present_referrals, present_suggestions
from joinedup.referrals.services import suggestions_for
from joinedup.risk import selectors as risk_selectors
from joinedup.workspace import presenters


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


def _read(request: HttpRequest, case_id: str, purpose: str) -> tuple[User, Case, Any]:
    user = acting_user(request)
    case, seen = case_selectors.case_read(actor=user, case_uuid=case_id, purpose=purpose)
    return user, case, seen


def _page(
    request: HttpRequest, template: str, reading: tuple[User, Case, Any], current: str, **more: Any
) -> HttpResponse:
    user, case, seen = reading
    status = more.pop("status", 200)
    header = presenters.header(user, case, seen, current, risk=more.pop("risk_assessment", None))
    context = {"h": header, "case": case, "person": case.person, **more}
    return render(request, template, context, status=status)


def _place_errors(form: GovUKForm, problem: InvalidInput | Conflict, renames: dict[str, str] | None = None) -> None:
    placed = False
    for field, problems in problem.fields.items():
        target = (renames or {}).get(field, field)
        if target in form.fields:
            form.add_error(target, problems[0])
            placed = True
    if not placed:  # a conflict with the record's state, e.g. open tasks listed in the message
        listed = [item for items in problem.fields.values() for item in items]
        form.add_error(None, " ".join([problem.message, *listed]))


@login_required
def case_summary(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Working on the case")
    return _page(
        request,
        "workspace/summary.html",
        (user, case, seen),
        "summary",
        s=presenters.summary(case, seen),
        known=presenters.known_elsewhere(user, case, seen),
    )


@login_required
def case_story(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Reading their story")
    kind = request.GET.get("kind") or None
    if kind not in TimelineKind.values:
        kind = None
    page = Paginator(case_selectors.timeline_for_case(case=case, kind=kind), 25).get_page(request.GET.get("page"))
    return _page(
        request,
        "workspace/story.html",
        (user, case, seen),
        "story",
        page=page,
        items=presenters.story(case, seen, list(page.object_list)),
        kinds=TimelineKind.choices,
        kind=kind,
    )


@login_required
def case_support(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Finding support")
    risk = risk_selectors.risk_current(person=case.person)  # the header's, and the panel criteria suggestions use
    suggestions, suggestions_held = present_suggestions(
        suggestions_for(case, risk=risk) if case.status == "open" else [], seen
    )
    referrals, referrals_held = present_referrals(referral_selectors.referrals_of(case=case), seen)
    return _page(
        request,
        "workspace/support.html",
        (user, case, seen),
        "support",
        risk_assessment=risk,
        suggestions=suggestions,
        suggestions_held=suggestions_held,
        referrals=referrals,
        referrals_held=referrals_held,
        panel=case_panel(actor=user, case=case, groups=seen.groups),
    )


@login_required
def case_risk(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Reading their risk")
    history = list(risk_selectors.risk_history(person=case.person, limit=10)) if seen.sees("risk") else []
    return _page(
        request,
        "workspace/risk.html",
        (user, case, seen),
        "risk",
        # The latest stored assessment is the first of the history; none stored yet, the rules' answer now.
        risk_assessment=(history[0] if history else risk_selectors.risk_current(person=case.person))
        if seen.sees("risk")
        else None,
        history=history,
        can_judge=seen.sees("risk") and seen.decide(user, "risk.judge", kind="person").allowed,
    )


@login_required
def case_sharing(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Consent and sharing")
    return _page(
        request,
        "workspace/sharing.html",
        (user, case, seen),
        "sharing",
        consents=consent_rows(consent_selectors.consents_for(person=case.person)),
        decisions=list(consent_selectors.sharing_decisions_for(person=case.person))
        if seen.sees("safeguarding")
        else [],
        shows_decisions=seen.sees("safeguarding"),
        can_decide=seen.decide(user, "sharing.decide", kind="person").allowed,
        can_see_access_log=seen.decide(user, "access_log.view", kind="person").allowed,
    )


@login_required
def case_police(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Police and the Victims' Code")
    reports = police_selectors.reports_of(case=case) if seen.sees("harm") else []
    return _page(
        request,
        "workspace/police.html",
        (user, case, seen),
        "police",
        reports=[(r, tracker(r)) for r in reports],
        shows_reports=seen.sees("harm"),
    )


@login_required
def case_tasks(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Tasks and contacts")
    return _page(
        request,
        "workspace/tasks.html",
        (user, case, seen),
        "tasks",
        t=presenters.tasks_and_contacts(case, seen, casework_agency(user)),
    )


def _back(request: HttpRequest, case: Case, default: str) -> str:
    """Where an action returns to: the sub-page it began on (post/redirect/get), never another site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse(default, kwargs={"case_id": case.uuid})


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Adding a task")
    form = TaskForm(request.POST if request.method == "POST" else None, initial={"due_in_days": 7})
    form.fields["owner"].choices = colleagues_knowing(person=case.person)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            work.task_create(
                actor=user,
                case=case,
                title=form.cleaned_data["title"],
                owner=User.objects.get(uuid=form.cleaned_data["owner"]),
                due_on=timezone.localdate() + timedelta(days=form.cleaned_data["due_in_days"]),
            )
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem, {"owner_user_id": "owner"})
        else:
            messages.success(request, "Task added.")
            return redirect(_back(request, case, "cases:tasks"))
    status = 400 if request.method == "POST" else 200
    return _page(request, "workspace/task_new.html", (user, case, seen), "tasks", status=status, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Recording a contact")
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = casework_agency(user)
            if agency is None:
                raise InvalidInput("You do not do casework in any agency.")
            contact_attempt(actor=user, agency=agency, person=case.person, **form.cleaned_data)
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem)
        else:
            messages.success(request, "Contact recorded.")
            return redirect(_back(request, case, "cases:tasks"))
    status = 400 if request.method == "POST" else 200
    return _page(
        request,
        "workspace/contact_new.html",
        (user, case, seen),
        "tasks",
        status=status,
        form=form,
        t=presenters.tasks_and_contacts(case, seen, casework_agency(user)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_new(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Handing over a case")
    form = HandoverForm(request.POST if request.method == "POST" else None)
    form.fields["to_user"].choices = [  # type: ignore[attr-defined]
        c for c in colleagues_knowing(person=case.person) if c[0] != str(case.key_worker.uuid)
    ]
    if request.method == "POST" and form.is_valid():
        try:
            work.handover_request(
                actor=user,
                case=case,
                to_user=User.objects.get(uuid=form.cleaned_data["to_user"]),
                reason=form.cleaned_data["reason"],
            )
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem, {"to_user_id": "to_user"})
        else:
            messages.success(request, "Handover requested. You stay the key worker until they accept.")
            return redirect(_back(request, case, "cases:case"))
    status = 400 if request.method == "POST" else 200
    return _page(request, "workspace/handover_new.html", (user, case, seen), "summary", status=status, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def wants_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Recording what the person wants")
    form = OutcomesForm(
        request.POST if request.method == "POST" else None, initial={"desired_outcomes": case.desired_outcomes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            work.case_desired_outcomes_set(actor=user, case=case, outcomes=form.cleaned_data["desired_outcomes"])
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem)
        else:
            messages.success(request, "What they want is recorded.")
            return redirect(_back(request, case, "cases:case"))
    status = 400 if request.method == "POST" else 200
    return _page(request, "workspace/wants.html", (user, case, seen), "summary", status=status, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id: str) -> HttpResponse:
    user, case, seen = _read(request, case_id, "Closing the case")
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            work.case_close(actor=user, case=case, **form.cleaned_data)
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem)
        else:
            messages.success(request, "Case closed with the person's outcome.")
            return redirect("cases:case", case_id=case.uuid)
    status = 400 if request.method == "POST" else 200
    open_items = work.case_open_items(case) if case.status == "open" else []
    return _page(
        request,
        "workspace/close.html",
        (user, case, seen),
        "close",
        status=status,
        form=form,
        open_items=open_items,
    )


@login_required
@require_POST
def task_done(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    user, case, _ = _read(request, case_id, "Completing a task")
    task = case_selectors.task_of(case=case, task_uuid=task_id)
    if task is None:
        raise NotVisible("Not found")
    try:
        work.task_complete(actor=user, task=task, note=request.POST.get("note", ""))
    except (Conflict, InvalidInput) as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, "Task done.")
    return redirect(_back(request, case, "cases:tasks"))


@login_required
@require_POST
def handover_answer(request: HttpRequest, handover_id: str) -> HttpResponse:
    user = acting_user(request)
    handover = case_selectors.handover_for(user=user, handover_uuid=handover_id)
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
    return redirect("workspace:my_work")


class PlanForm(GovUKForm):
    warning_signs = forms.CharField(max_length=4000, required=False, strip=False)
    safe_places_and_people = forms.CharField(max_length=4000, required=False, strip=False)
    what_i_will_do = forms.CharField(max_length=4000, required=False, strip=False)
    numbers_to_call = forms.CharField(max_length=4000, required=False, strip=False)
    practical_steps = forms.MultipleChoiceField(choices=list(PRACTICAL_STEPS.items()), required=False)
    promise_what = forms.CharField(max_length=300, required=False)
    promise_who = forms.CharField(max_length=200, required=False)
    promise_by = forms.DateField(required=False, error_messages={"invalid": "Enter a real date, like 30/11/2026"})


@login_required
@require_http_methods(["GET", "POST"])
def case_plan(request: HttpRequest, case_id: str) -> HttpResponse:
    """The safety plan, written with the person: their parts in their words, the services' promises with who and
    by when. Each save is a new version."""
    user, case, seen = _read(request, case_id, "Working on the safety plan")
    version = current_version(case=case) if seen.sees("account") else None
    now = plan_from_json(version.content if version else None)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial={
            "warning_signs": now.warning_signs,
            "safe_places_and_people": now.safe_places_and_people,
            "what_i_will_do": now.what_i_will_do,
            "numbers_to_call": now.numbers_to_call,
            "practical_steps": list(now.practical_steps),
        },
    )
    if request.method == "POST" and seen.sees("account") and form.is_valid():
        d = form.cleaned_data
        promises = now.what_services_will_do
        if d["promise_what"] or d["promise_who"] or d["promise_by"]:
            promises = (*promises, Promise(d["promise_what"], d["promise_who"], d["promise_by"]))
        changed = replace(
            now,
            warning_signs=d["warning_signs"],
            safe_places_and_people=d["safe_places_and_people"],
            what_i_will_do=d["what_i_will_do"],
            numbers_to_call=d["numbers_to_call"],
            practical_steps=tuple(d["practical_steps"]),
            what_services_will_do=promises,
        )
        try:
            safety_plan_save(actor=user, case=case, plan=changed)
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem, {f"what_services_will_do.{len(promises) - 1}": "promise_what"})
        else:
            messages.success(request, "Safety plan saved as a new version.")
            return redirect("cases:plan", case_id=case.uuid)
    return _page(
        request,
        "workspace/plan.html",
        (user, case, seen),
        "plan",
        status=400 if request.method == "POST" else 200,
        form=form,
        plan=now,
        version=version,
        history=plan_history(case=case) if seen.sees("account") else [],
        shows_plan=seen.sees("account"),
        labels=LABELS,
        steps=PRACTICAL_STEPS,
        standing=STANDING_NUMBERS,
    )


@login_required
def case_plan_pdf(request: HttpRequest, case_id: str) -> HttpResponse:
    _user, case, seen = _read(request, case_id, "Printing the safety plan")
    if not seen.sees("account"):
        raise NotVisible("Not found")
    try:
        body = plan_pdf(case=case, version=current_version(case=case))
    except PdfUnavailable as problem:
        return render(request, "core/errors/500.html", {"reason": problem.message}, status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="safety-plan-{case.uuid}.pdf"'
    return response


class PortalInviteForm(GovUKForm):
    channel = forms.ChoiceField(
        choices=[(c, c.capitalize()) for c in CHANNELS], error_messages={"required": "Choose how to send the link"}
    )
    error_anchor = {"channel": "id_channel"}


class CaseMessageForm(GovUKForm):
    text = forms.CharField(max_length=5000, strip=False, error_messages={"required": "Write your message"})


@login_required
@require_http_methods(["GET", "POST"])
def case_messages(request: HttpRequest, case_id: str) -> HttpResponse:
    """Secure messages with the person, and their invitation to their own place (My support)."""
    user, case, seen = _read(request, case_id, "Messages with the person")
    action = request.POST.get("action") if request.method == "POST" else None
    invite = PortalInviteForm(request.POST if action == "invite" else None)
    form = CaseMessageForm(request.POST if action == "message" else None)
    link = None
    agency = casework_agency(user)
    if action == "invite" and invite.is_valid():
        try:
            if agency is None:
                raise InvalidInput("You do not do casework in any agency.")
            _, path = portal_services.portal_invite(
                actor=user,
                agency=agency,
                person=case.person,
                case=case,
                channel=invite.cleaned_data["channel"],
                site_url=request.build_absolute_uri("/"),
            )
        except (InvalidInput, Conflict) as problem:
            _place_errors(invite, problem)
        else:
            if invite.cleaned_data["channel"] == "email":
                messages.success(request, "Invitation sent by email. The link works once, for 15 minutes.")
                return redirect("cases:messages", case_id=case.uuid)
            link = request.build_absolute_uri(path)
    if action == "passkeys_reset":
        # They lost or changed their phone: after checking it is them, their passkeys go and a link alone signs
        # them in again (the extra check they chose is switched off).
        try:
            portal_services.portal_passkeys_reset(actor=user, person=case.person)
        except (InvalidInput, Conflict) as problem:
            messages.error(request, problem.message)
        else:
            messages.success(request, "Done. Their passkeys are removed and a link alone signs them in now.")
        return redirect("cases:messages", case_id=case.uuid)
    if action == "message" and form.is_valid():
        try:
            portal_services.message_send(
                actor=user, person=case.person, text=form.cleaned_data["text"], from_person=False, agency=agency
            )
        except (InvalidInput, Conflict) as problem:
            _place_errors(form, problem)
        else:
            messages.success(request, "Message sent. They will see it when they sign in.")
            return redirect("cases:messages", case_id=case.uuid)
    shows = seen.sees("account")
    account = portal_selectors.account_of(person=case.person)
    return _page(
        request,
        "workspace/messages.html",
        (user, case, seen),
        "messages",
        status=400 if action and not link else 200,
        invite=invite,
        form=form,
        link=link,
        shows=shows,
        messages_=portal_selectors.messages_of(person=case.person) if shows else [],
        account=account,
        sign_in=portal_selectors.sign_in_facts(account),
        can_invite=seen.decide(user, "portal.invite").allowed,
    )
