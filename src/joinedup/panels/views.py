"""The panel's pages: referring from the case, the panel and its meetings, the meeting (agenda with the person's
voice first, research, minutes, actions) and its papers, a member's actions, completing one, the chair's review
decision, and the panel's measures. Thin: forms in, services do the work, selectors read through the one door.
Every page shows personal data, so none is ever cached (`Cache-Control: no-store`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from joinedup.access import door
from joinedup.access.decision import decide
from joinedup.accounts.models import Agency, User
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases.selectors import case_read
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.panels import forms, selectors, services
from joinedup.panels import papers as papers_pdf
from joinedup.panels.domain.rules import (
    CRITERION_LABELS,
    CRITERION_RULES,
    STATUS_LABELS,
    VULNERABILITY_LABELS,
    Criterion,
)
from joinedup.police.pdf import PdfUnavailable

LABELS = {
    "criteria": {c.value: label for c, label in CRITERION_LABELS.items()},
    "vulnerability": {v.value: label for v, label in VULNERABILITY_LABELS.items()},
    "status": {s.value: label for s, label in STATUS_LABELS.items()},
}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case, seen = case_read(actor=user, case_uuid=case_id, purpose="Referring to the panel")
    panels = selectors.panels_for_referrer(actor=user)
    assessed = services.assessed_criteria(case.person) if seen.sees("risk") else []
    repeat, _ = services.repeat_now(case.person)
    initial = {
        "criteria": assessed + (["repeat"] if repeat else []),
        "panel": str(panels[0].uuid) if len(panels) == 1 else None,
    }
    form = forms.ReferForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["panel"].choices = [(str(p.uuid), f"{p.name} ({p.area})") for p in panels]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        agency = casework_agency(user)
        panel = next(p for p in panels if str(p.uuid) == form.cleaned_data["panel"])
        try:
            if agency is None:
                raise InvalidInput("You do not do casework in any agency.")
            services.panel_refer(
                actor=user,
                agency=agency,
                case=case,
                panel=panel,
                criteria=form.cleaned_data["criteria"],
                summary=form.cleaned_data["summary"],
                judgement_reasons=form.cleaned_data["judgement_reasons"],
                vulnerability=form.cleaned_data["vulnerability"],
            )
        except (Conflict, InvalidInput) as problem:
            form.add_error(None, problem.message)
            for name, errors in problem.fields.items():
                if name in form.fields:
                    for error in errors:
                        form.add_error(name, error)
        else:
            messages.success(request, f"Referred to {panel.name}. The coordinator will list it for a meeting.")
            return redirect("cases:support", case_id=case.uuid)
    uncovered = {str(p.uuid): services.uncovered_members(person=case.person, panel=p) for p in panels}
    return render(
        request,
        "panels/refer.html",
        {
            "case": case,
            "form": form,
            "panels": panels,
            "assessed": assessed,
            "repeat": repeat,
            "rules": {c.value: CRITERION_RULES[c] for c in Criterion},
            "uncovered": uncovered,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def panels(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    found = selectors.panels_visible(actor=user)
    mine = [p for p in found if decide(user, "panel.view", p).allowed]
    return render(request, "panels/panels.html", {"panels": mine})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, panel_id: str) -> HttpResponse:
    user = acting_user(request)
    found = selectors.panel_read(actor=user, panel_uuid=panel_id, purpose="A panel and its meetings")
    can_manage = decide(user, "panel.manage", found).allowed
    form = forms.MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=user, panel=found, day=form.cleaned_data["date"])
        except InvalidInput as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, "Meeting scheduled.")
            return redirect("panels:meeting", meeting_id=meeting.uuid)
    return render(
        request,
        "panels/panel.html",
        {
            "panel": found,
            "meetings": selectors.meetings_of(panel=found),
            "can_manage": can_manage,
            "form": form if request.method == "POST" else None,
            "meeting_form": form,
            "members": selectors.agency_choices(panel=found),
        },
        status=400 if request.method == "POST" else 200,
    )


def _choices(agencies: list[Agency]) -> list[tuple[str, str]]:
    return [(str(a.uuid), a.name) for a in agencies]


def _owners(users: list[User]) -> list[tuple[str, str]]:
    return [("", "Choose who owns it"), *[(str(u.uuid), u.name) for u in users]]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: str) -> HttpResponse:
    user = acting_user(request)
    found = selectors.meeting_read(actor=user, meeting_uuid=meeting_id, purpose="A panel meeting's agenda")
    can_manage = decide(user, "panel.manage", found).allowed
    can_review = decide(user, "panel.review", found).allowed
    members = selectors.agency_choices(panel=found.panel)
    meetings = selectors.meetings_of(panel=found.panel)
    which = request.POST.get("form") if request.method == "POST" else None
    data = request.POST if which else None
    listing = forms.ListForm(data if which == "list" else None, initial={"meeting": str(found.uuid)})
    listing.fields["meeting"].choices = [(str(m.uuid), str(m.date)) for m in meetings]  # type: ignore[attr-defined]
    research = forms.ResearchForm(data if which == "research" else None)
    minutes = forms.MinutesForm(data if which == "minutes" else None)
    minutes.fields["present"].choices = _choices(members)  # type: ignore[attr-defined]
    action = forms.ActionForm(data if which == "action" else None)
    action.fields["agency"].choices = [("", "Choose the agency"), *_choices(members)]  # type: ignore[attr-defined]
    action.fields["owner"].choices = _owners(selectors.owners_for(panel=found.panel))  # type: ignore[attr-defined]
    posted: Any = {"list": listing, "research": research, "minutes": minutes, "action": action}.get(which or "")
    items_before = selectors.agenda(actor=user, meeting=found, purpose="A panel meeting's agenda")
    mine = items_before[0].can_research_as if items_before else []
    research.fields["agency"].choices = _choices(mine)  # type: ignore[attr-defined]
    if posted is not None and posted.is_valid():
        d = posted.cleaned_data
        try:
            referral = selectors.panel_referral_get(panel_referral_uuid=d["panel_referral"])
            by_uuid = {str(a.uuid): a for a in members}
            if which == "list":
                services.panel_referral_list(actor=user, meeting=found, panel_referral=referral)
                done = "Listed for this meeting."
            elif which == "research":
                services.research_record(
                    actor=user,
                    agency=by_uuid[d["agency"]],
                    meeting=found,
                    panel_referral=referral,
                    summary=d["summary"],
                )
                done = "Your agency's research is recorded."
            elif which == "minutes":
                services.minutes_record(
                    actor=user,
                    meeting=found,
                    panel_referral=referral,
                    persons_voice=d["persons_voice"],
                    discussion=d["discussion"],
                    present_agencies=[by_uuid[a] for a in d["present"]],
                )
                done = "Minutes recorded: the case is heard."
            else:
                owner = next(u for u in selectors.owners_for(panel=found.panel) if str(u.uuid) == d["owner"])
                services.action_agree(
                    actor=user,
                    panel_referral=referral,
                    what=d["what"],
                    agency=by_uuid[d["agency"]],
                    owner=owner,
                    due_on=d["due_on"],
                    meeting=found,
                )
                done = "Action agreed. Its owner has been told."
        except (Conflict, InvalidInput) as problem:
            posted.add_error(None, problem.message)
        else:
            messages.success(request, done)
            return redirect("panels:meeting", meeting_id=found.uuid)
    posted_ref = request.POST.get("panel_referral", "") if which else ""
    if posted is not None and posted.errors:
        # Each case on the agenda has its own forms: the error summary links to the fields of the one posted.
        index = next((i for i, item in enumerate(items_before, 1) if str(item.referral.uuid) == posted_ref), 0)
        suffix = {"research": "_r", "minutes": "_", "action": "_"}.get(which or "", "_")
        posted.error_anchor = {name: f"id_{name}{suffix}{index}" for name in posted.fields}
    waiting = (
        selectors.waiting_to_be_listed(actor=user, panel=found.panel, purpose="Cases waiting to be listed")
        if can_manage
        else []
    )
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": found,
            "items": items_before,
            "waiting": waiting,
            "can_manage": can_manage,
            "can_review": can_review,
            "can_research_as": mine,
            "form": posted,
            "which": which,
            "posted_ref": posted_ref,
            "research_form": research,
            "minutes_form": minutes,
            "action_form": action,
            "labels": LABELS,
            "members": members,
        },
        status=400 if posted is not None else 200,
    )


@never_cache
@login_required
def actions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request, "panels/actions.html", {"actions": selectors.actions_for(actor=user), "today": timezone.localdate()}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, action_id: str) -> HttpResponse:
    user = acting_user(request)
    found = selectors.action_read(actor=user, action_uuid=action_id, purpose="Completing a panel action")
    form = forms.CompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_complete(actor=user, action=found, evidence=form.cleaned_data["evidence"])
        except (Conflict, InvalidInput) as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, "Action done. The panel will see it at its next meeting.")
            return redirect("panels:actions")
    return render(
        request,
        "panels/complete.html",
        {"action": found, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, panel_referral_id: str) -> HttpResponse:
    user = acting_user(request)
    referral, _ = selectors.panel_referral_read(
        actor=user,
        panel_referral_uuid=panel_referral_id,
        purpose="Considering a Safeguarding Adults Review",
        action="panel.review",
    )
    form = forms.ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_consider(
                actor=user,
                panel_referral=referral,
                commissioned=form.cleaned_data["decision"] == "yes",
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, "Your decision is recorded on the case timeline and in the panel's measures.")
            return redirect("panels:measures", panel_id=referral.panel.uuid)
    return render(
        request,
        "panels/review.html",
        {"referral": referral, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def measures(request: HttpRequest, panel_id: str) -> HttpResponse:
    user = acting_user(request)
    found = selectors.panel_read(actor=user, panel_uuid=panel_id, purpose="The panel's measures")
    return render(request, "panels/measures.html", {"panel": found, "m": selectors.panel_measures(panel=found)})


@never_cache
@login_required
def papers(request: HttpRequest, meeting_id: str) -> HttpResponse:
    """The meeting's papers as a PDF, for members only, audited as an export (one entry per person in them)."""
    user = acting_user(request)
    found = selectors.meeting_read(
        actor=user, meeting_uuid=meeting_id, purpose="Panel papers (PDF)", audit_action=door.EXPORT
    )
    items = selectors.agenda(actor=user, meeting=found, purpose="Panel papers (PDF)", audit_action=door.EXPORT)
    try:
        body = papers_pdf.render(found, items)
    except PdfUnavailable as problem:
        return render(request, "core/errors/500.html", {"reason": problem.message}, status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="panel-papers-{found.date.isoformat()}.pdf"'
    return response
