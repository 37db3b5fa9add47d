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
from django.urls import reverse
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


def _place(form: Any, problem: Conflict | InvalidInput, renames: dict[str, str] | None = None) -> None:
    """A service's refusal on the form: the message at the top, each field's problem on its field."""
    form.add_error(None, problem.message)
    for name, errors in problem.fields.items():
        target = (renames or {}).get(name, name)
        if target in form.fields:
            for error in errors:
                form.add_error(target, error)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case, seen = case_read(actor=user, case_uuid=case_id, purpose="Referring to the panel")
    panels = selectors.panels_for_referrer(actor=user)
    assessed, detail = services.assessed_detail(case.person) if seen.sees("risk") else ([], {})
    repeat, _ = services.repeat_now(case.person)
    initial = {
        "criteria": assessed + (["repeat"] if repeat else []),
        "panel": str(panels[0].uuid) if len(panels) == 1 else None,
    }
    form = forms.ReferForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["panel"].choices = [(str(p.uuid), f"{p.name} ({p.area})") for p in panels]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        panel = next(p for p in panels if str(p.uuid) == form.cleaned_data["panel"])
        agency = selectors.member_agency_of(actor=user, panel=panel) or casework_agency(user)
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
                urgent=form.cleaned_data["urgent"],
            )
        except (Conflict, InvalidInput) as problem:
            _place(form, problem)
        else:
            messages.success(
                request,
                f"Referred to {panel.name}. "
                + (
                    "The coordinator has been asked to hear it before the next usual meeting."
                    if form.cleaned_data["urgent"]
                    else "The coordinator will list it for a meeting."
                ),
            )
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
            "detail": detail,
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
    can_set_up = decide(user, "panel.setup", services.lead_partner_facts()).allowed
    return render(
        request,
        "panels/panels.html",
        {
            "panels": [p for p in found if decide(user, "panel.view", p).allowed],
            # Administrators see every panel's set-up (names, members, dates), never its cases.
            "set_up": [p for p in found if decide(user, "panel.setup", p).allowed] if can_set_up else [],
            "can_set_up": can_set_up,
            "can_do_casework": decide(user, "panel_action.list").allowed,
        },
    )


def _panel_form(data: Any, initial: dict[str, Any] | None = None) -> tuple[forms.PanelForm, dict[str, Any]]:
    """The set-up form over the partnership's agencies and colleagues (partnership information, no person)."""
    agencies = selectors.agencies()
    by_agency = selectors.caseworkers_by_agency()
    names = {a.pk: a.name for a in agencies}
    where: dict[int, list[str]] = {}
    for agency_id, users in by_agency.items():
        for u in users:
            where.setdefault(u.pk, []).append(names.get(agency_id, ""))
    everyone = sorted({u for users in by_agency.values() for u in users}, key=lambda u: (u.name, u.pk))
    chairs = selectors.chairs()
    form = forms.PanelForm(
        data,
        agencies=[(str(a.uuid), a.name, [(str(u.uuid), u.name) for u in by_agency.get(a.pk, [])]) for a in agencies],
        chairs=[(str(u.uuid), f"{u.name} ({', '.join(sorted(where.get(u.pk, [])))})") for u in chairs],
        coordinators=[(str(u.uuid), f"{u.name} ({', '.join(sorted(where.get(u.pk, [])))})") for u in everyone],
        initial=initial,
    )
    lookup = {
        "agencies": {str(a.uuid): a for a in agencies},
        "users": {str(u.uuid): u for u in [*everyone, *chairs]},
    }
    return form, lookup


def _panel_args(form: forms.PanelForm, lookup: dict[str, Any]) -> dict[str, Any]:
    d = form.cleaned_data
    users, agencies = lookup["users"], lookup["agencies"]
    return {
        "name": d["name"],
        "area": d["area"],
        "chair": users[d["chair"]],
        "coordinator": users[d["coordinator"]],
        "members": [(agencies[a], users.get(d.get(f"rep_{a}") or "")) for a in d["members"]],
    }


PANEL_FIELDS = {
    "chair_user_id": "chair",
    "coordinator_user_id": "coordinator",
    "member_agency_ids": "members",
    "representatives": "members",
}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def panel_new(request: HttpRequest) -> HttpResponse:
    """A lead-partner administrator sets up a panel."""
    user = acting_user(request)
    door.allow_list(user, "panel.setup", purpose="Setting up a panel", scope=services.lead_partner_facts())
    form, lookup = _panel_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.panel_create(actor=user, **_panel_args(form, lookup))
        except (Conflict, InvalidInput) as problem:
            _place(form, problem, PANEL_FIELDS)
        else:
            messages.success(request, f"{made.name} is set up. Now add its meeting dates.")
            return redirect("panels:setup", panel_id=made.uuid)
    return render(
        request,
        "panels/setup.html",
        {"form": form, "members_form": form, "panel": None, "meetings": [], "date_form": None},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def panel_setup(request: HttpRequest, panel_id: str) -> HttpResponse:
    """A lead-partner administrator changes a panel's membership and adds its meeting dates. No case is shown."""
    user = acting_user(request)
    found = selectors.panel_for_setup(actor=user, panel_uuid=panel_id, purpose="A panel's membership and dates")
    which = request.POST.get("form") if request.method == "POST" else None
    members = selectors.members_of(panel=found)
    initial = {
        "name": found.name,
        "area": found.area,
        "chair": str(found.chair.uuid),
        "coordinator": str(found.coordinator.uuid),
        "members": [str(a.uuid) for a, _ in members],
        **{f"rep_{a.uuid}": str(r.uuid) for a, r in members if r is not None},
    }
    form, lookup = _panel_form(request.POST if which == "members" else None, initial=initial)
    date_form = forms.MeetingForm(request.POST if which == "date" else None)
    if which == "members" and form.is_valid():
        try:
            services.panel_update(actor=user, panel=found, **_panel_args(form, lookup))
        except (Conflict, InvalidInput) as problem:
            _place(form, problem, PANEL_FIELDS)
        else:
            messages.success(request, "The panel's membership is saved.")
            return redirect("panels:setup", panel_id=found.uuid)
    if which == "date" and date_form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=user, panel=found, day=date_form.cleaned_data["date"])
        except (Conflict, InvalidInput) as problem:
            _place(date_form, problem)
        else:
            messages.success(request, f"Meeting date added: {services.long_date(meeting.date)}.")
            return redirect("panels:setup", panel_id=found.uuid)
    posted: Any = {"members": form, "date": date_form}.get(which or "")
    return render(
        request,
        "panels/setup.html",
        {
            "form": posted,
            "members_form": form,
            "date_form": date_form,
            "panel": found,
            "meetings": selectors.meetings_of(panel=found),
            "today": timezone.localdate(),
        },
        status=400 if posted is not None else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, panel_id: str) -> HttpResponse:
    user = acting_user(request)
    found = selectors.panel_read(actor=user, panel_uuid=panel_id, purpose="A panel and its meetings")
    can_manage = decide(user, "panel.manage", found).allowed
    can_schedule = decide(user, "panel.schedule", found).allowed
    meetings = selectors.meetings_of(panel=found)
    today = timezone.localdate()
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: m.date)
    which = request.POST.get("form") if request.method == "POST" else None
    form = forms.MeetingForm(request.POST if which != "list" and request.method == "POST" else None)
    listing = forms.ListForm(request.POST if which == "list" else None)
    listing.fields["meeting"].choices = [(str(m.uuid), services.long_date(m.date)) for m in upcoming]  # type: ignore[attr-defined]
    if which == "list" and listing.is_valid():
        chosen = next(m for m in upcoming if str(m.uuid) == listing.cleaned_data["meeting"])
        try:
            referral = selectors.panel_referral_get(panel_referral_uuid=listing.cleaned_data["panel_referral"])
            services.panel_referral_list(actor=user, meeting=chosen, panel_referral=referral)
        except (Conflict, InvalidInput) as problem:
            listing.add_error(None, problem.message)
        else:
            messages.success(request, f"Listed for {services.long_date(chosen.date)}.")
            return redirect("panels:meeting", meeting_id=chosen.uuid)
    elif request.method == "POST" and which != "list" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=user, panel=found, day=form.cleaned_data["date"])
        except (Conflict, InvalidInput) as problem:
            _place(form, problem)
        else:
            messages.success(request, "Meeting scheduled.")
            return redirect("panels:meeting", meeting_id=meeting.uuid)
    waiting = (
        selectors.waiting_to_be_listed(actor=user, panel=found, purpose="Cases waiting to be listed")
        if can_manage
        else []
    )
    posted: Any = listing if which == "list" else (form if request.method == "POST" else None)
    if which == "list":
        # The error summary links to the meeting chosen for the case that was posted.
        index = next((i for i, r in enumerate(waiting, 1) if str(r.uuid) == request.POST.get("panel_referral")), 1)
        listing.error_anchor = {"meeting": f"id_meeting_{index}", "panel_referral": f"id_meeting_{index}"}
    return render(
        request,
        "panels/panel.html",
        {
            "panel": found,
            "meetings": meetings,
            "upcoming": upcoming,
            "today": today,
            "can_manage": can_manage,
            "can_schedule": can_schedule,
            "form": posted,
            "meeting_form": form,
            "waiting": selectors.present_waiting(actor=user, referrals=waiting),
            "members": selectors.members_of(panel=found),
        },
        status=400 if request.method == "POST" else 200,
    )


def _choices(agencies: list[Agency]) -> list[tuple[str, str]]:
    return [(str(a.uuid), a.name) for a in agencies]


def _owners(panel: Any) -> list[tuple[str, str]]:
    """Who can own an action: colleagues who work with people's records in a member agency, with the agency."""
    return [("", "Choose who owns it"), *selectors.owner_choices(panel=panel)]


def _meeting_act(user: User, which: str, found: Any, members: list[Agency], d: dict[str, Any]) -> str:
    """Do what the meeting page's posted form asks, through the services; say what was done."""
    referral = selectors.panel_referral_get(panel_referral_uuid=d["panel_referral"])
    by_uuid = {str(a.uuid): a for a in members}
    if which == "list":
        services.panel_referral_list(actor=user, meeting=found, panel_referral=referral)
        return "Listed for this meeting."
    if which == "research":
        services.research_record(
            actor=user,
            agency=by_uuid[d["agency"]],
            meeting=found,
            panel_referral=referral,
            summary=d["summary"],
        )
        return "Your agency's research is recorded."
    if which == "minutes":
        services.minutes_record(
            actor=user,
            meeting=found,
            panel_referral=referral,
            persons_voice=d["persons_voice"],
            discussion=d["discussion"],
            present_agencies=[by_uuid[a] for a in d["present"]],
        )
        return "Minutes recorded: the case is heard."
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
    return "Action agreed. Its owner has been told."


def _voice_needed(minutes: forms.MinutesForm, items: list[selectors.AgendaItem], data: Any) -> None:
    """Read first: with no words brought by their advocate or key worker, the minutes need them (said with the
    form's other problems, all at once)."""
    if data.get("persons_voice", "").strip():
        return
    brought = next((i.brought_voice for i in items if str(i.referral.uuid) == data.get("panel_referral")), None)
    if brought is None:
        minutes.add_error(
            "persons_voice",
            "Record what the person wants and fears, in their words (or ask their advocate or key worker to)",
        )


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
    action.fields["owner"].choices = _owners(found.panel)  # type: ignore[attr-defined]
    posted: Any = {"list": listing, "research": research, "minutes": minutes, "action": action}.get(which or "")
    items_before = selectors.agenda(actor=user, meeting=found, purpose="A panel meeting's agenda")
    mine = items_before[0].can_research_as if items_before else []
    research.fields["agency"].choices = _choices(mine)  # type: ignore[attr-defined]
    if which == "minutes":
        _voice_needed(minutes, items_before, request.POST)
    if posted is not None and posted.is_valid():
        d = posted.cleaned_data
        try:
            done = _meeting_act(user, which or "", found, members, d)
        except (Conflict, InvalidInput) as problem:
            _place(posted, problem, {"present_agency_ids": "present", "owner_user_id": "owner", "agency_id": "agency"})
        else:
            messages.success(request, done)
            return redirect("panels:meeting", meeting_id=found.uuid)
    posted_ref = request.POST.get("panel_referral", "") if which else ""
    if posted is not None and posted.errors:
        # Each case on the agenda has its own forms: the error summary links to the fields of the one posted.
        index = next((i for i, item in enumerate(items_before, 1) if str(item.referral.uuid) == posted_ref), 0)
        suffix = {"research": "_r", "minutes": "_", "action": "_"}.get(which or "", "_")
        posted.error_anchor = {name: f"id_{name}{suffix}{index}" for name in posted.fields}
    today = timezone.localdate()
    waiting = (
        selectors.waiting_to_be_listed(actor=user, panel=found.panel, purpose="Cases waiting to be listed")
        if can_manage and found.date >= today
        else []
    )
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": found,
            "held": found.date <= today,
            "today": today,
            "items": items_before,
            "waiting": selectors.present_waiting(actor=user, referrals=waiting),
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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, panel_referral_id: str) -> HttpResponse:
    """The chair or coordinator closes a case at the panel: why, and what happens to actions not done yet."""
    user = acting_user(request)
    referral, seen = selectors.panel_referral_read(
        actor=user, panel_referral_uuid=panel_referral_id, purpose="Closing a case at the panel", action="panel.manage"
    )
    open_actions = selectors.open_actions_of(panel_referral=referral)
    form = forms.CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_referral_close(
                actor=user,
                panel_referral=referral,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                agencies_continue=form.cleaned_data["open_actions"] == "agencies_continue",
            )
        except (Conflict, InvalidInput) as problem:
            _place(form, problem)
        else:
            messages.success(request, "The panel has closed the case. It is on the case's timeline.")
            if referral.meeting is not None:
                return redirect("panels:meeting", meeting_id=referral.meeting.uuid)
            return redirect("panels:panel", panel_id=referral.panel.uuid)
    return render(
        request,
        "panels/close.html",
        {
            "referral": referral,
            "name": referral.case.person.display_name if seen.sees("identity") else "A person known to the partnership",
            "open_actions": open_actions,
            "form": form,
            "labels": LABELS,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def voice(request: HttpRequest, panel_referral_id: str) -> HttpResponse:
    """Their advocate or key worker writes what the person wants and fears, in their words, to be read first."""
    user = acting_user(request)
    referral, seen = selectors.panel_referral_read(
        actor=user,
        panel_referral_uuid=panel_referral_id,
        purpose="Bringing the person's voice to the panel",
        action="panel.voice",
    )
    form = forms.VoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.voice_record(actor=user, panel_referral=referral, words=form.cleaned_data["words"])
        except (Conflict, InvalidInput) as problem:
            _place(form, problem)
        else:
            messages.success(request, "Their words are recorded. The panel will read them first.")
            if referral.meeting is not None and decide(user, "panel.view", referral.meeting).allowed:
                return redirect("panels:meeting", meeting_id=referral.meeting.uuid)
            return redirect("cases:support", case_id=referral.case.uuid)
    latest = selectors.voice_of(panel_referral=referral) if seen.sees("account") else None
    back = (
        reverse("panels:meeting", args=[referral.meeting.uuid])
        if referral.meeting is not None and decide(user, "panel.view", referral.meeting).allowed
        else reverse("cases:support", args=[referral.case.uuid])
    )
    return render(
        request,
        "panels/voice.html",
        {
            "referral": referral,
            "name": referral.case.person.display_name if seen.sees("identity") else "A person known to the partnership",
            "latest": latest,
            "form": form,
            "back": back,
            "closed": referral.status == "closed",
        },
        status=400 if request.method == "POST" else 200,
    )
