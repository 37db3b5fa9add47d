"""Key work pages: add a note to a case, find a case, hand a provisional case to the hub. Thin; post/redirect/get.

Each is its own page (or a POST from My work), so the case's sub-pages can link to them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.access import door
from joinedup.accounts.selectors import acting_user
from joinedup.cases.selectors import case_get
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.incidents import selectors as incidents
from joinedup.incidents.services import incident_join_event
from joinedup.keywork import selectors, services
from joinedup.keywork.models import CaseNote


class NoteForm(GovUKForm):
    field_group = forms.ChoiceField(
        choices=CaseNote.FieldGroup.choices, error_messages={"required": "Choose what the note is about"}
    )
    text = forms.CharField(max_length=services.NOTE_MAX, error_messages={"required": "Write the note"})
    error_anchor = {"field_group": "id_field_group"}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case = case_get(actor=user, case_uuid=case_id, purpose="Writing a case note")
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(
                actor=user, case=case, text=form.cleaned_data["text"], field_group=form.cleaned_data["field_group"]
            )
        except InvalidInput as problem:
            for name, problems in problem.fields.items():
                form.add_error(name if name in form.fields else None, problems[0])
        else:
            messages.success(request, "Note added to their story.")
            return redirect("cases:story", case_id=case.uuid)
    return render(
        request,
        "keywork/note_add.html",
        {"case": case, "form": form, "notes": selectors.case_notes(case=case)[:5]},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    q = (request.GET.get("q") or "").strip()[:200]
    found = selectors.case_search(actor=user, q=q) if q else []
    door.read_list(
        user,
        objects=[f.cases[0] for f in found],
        purpose=selectors.SEARCH_PURPOSE,
        person_uuid_of=lambda c: c.person.uuid,
    )
    return render(request, "keywork/search.html", {"q": q, "found": found, "searched": bool(q)})


@never_cache
@login_required
@require_POST
def hand_to_hub(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case = case_get(actor=user, case_uuid=case_id, purpose="Handing a case to the hub")
    try:
        handover = services.hand_to_hub(actor=user, case=case)
    except (Conflict, InvalidInput) as problem:
        messages.error(request, f"{case.person.display_name}: {problem.message}")
    else:
        messages.success(
            request,
            f"Asked {handover.to_user.name} at the hub to take over {case.person.display_name}. "
            "You stay key worker until they accept.",
        )
    return redirect("workspace:my_work")


class SameEventForm(GovUKForm):
    same_as = forms.ChoiceField(
        choices=[], error_messages={"required": "Choose the incident this is another account of"}
    )
    error_anchor = {"same_as": "id_same_as"}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def same_event(request: HttpRequest, incident_id: str) -> HttpResponse:
    """Keep a report as another account of an event already recorded (the hub at triage, or the key worker)."""
    user = acting_user(request)
    incident = incidents.incident_get(actor=user, incident_uuid=incident_id, purpose="Joining accounts of one event")
    candidates = incidents.same_event_candidates(incident=incident)
    form = SameEventForm(request.POST if request.method == "POST" else None)
    form.fields["same_as"].choices = [(str(other.uuid), other.occurred_text) for other, _ in candidates]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        chosen = next(other for other, _ in candidates if str(other.uuid) == form.cleaned_data["same_as"])
        try:
            incident_join_event(actor=user, incident=incident, same_as=chosen)
        except (Conflict, InvalidInput) as problem:
            form.add_error("same_as", problem.message)
        else:
            messages.success(request, "Kept as another account of the same event. It now counts once.")
            return redirect("incidents:incident", incident_id=incident.uuid)
    return render(
        request,
        "keywork/same_event.html",
        {
            "incident": incident,
            "candidates": [(other, found, incidents.account_told_by(other)) for other, found in candidates],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
