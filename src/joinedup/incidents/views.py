"""The three doors as GOV.UK question pages: a person telling us themselves, someone telling us for them (or
anonymously), and a practitioner at any point of entry. Views are thin: the flow reads and writes the draft,
the services record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django import forms as _forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.access import door
from joinedup.access.decision import decide
from joinedup.accounts.models import Agency, User
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.core import ratelimit
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.core.middleware import client_ip
from joinedup.followup import selectors as followup_selectors
from joinedup.followup import services as followup_services
from joinedup.followup.domain.rules import MESSAGE_MAX
from joinedup.followup.handshake import offer_way_back, way_back_kept, way_back_offered
from joinedup.incidents import journeys, selectors, services
from joinedup.incidents.domain import vocabulary as v
from joinedup.incidents.domain.urgency import FLAG_LABELS, crisis_flags
from joinedup.incidents.models import JourneyDraft, TriageStatus
from joinedup.incidents.presenters import present_incident
from joinedup.incidents.questions import (
    DateParts,
    Page,
    Question,
    build_form,
    from_storable,
    initial_for,
    initial_from_posted,
    posted_values,
    say,
    to_storable,
)
from joinedup.people import selectors as people_selectors
from joinedup.people.domain.matching import Identity
from joinedup.people.domain.validation import PersonDetails

SESSION_DRAFT = "report_draft"
SESSION_DONE = "report_done"
SESSION_KEPT = "report_kept"  # what happened to the words typed when the time ran out, for the expired page


# ---------------------------------------------------------------- the flow, shared by every journey


@dataclass
class Flow:
    draft: JourneyDraft
    base: str  # URL prefix for this draft's pages
    later: bool = False  # the public "tell us more" pages, after sending
    end: str = "check"  # where the pages lead when all are answered

    @property
    def journey(self) -> str:
        return self.draft.journey

    @property
    def public(self) -> bool:
        return self.journey != "practitioner"

    @property
    def pages(self) -> list[Page]:
        return journeys.pages_for(self.journey, self.draft.answers, later=self.later)

    def page_url(self, slug: str) -> str:
        return self.end if slug == "check" and self.end.startswith("/") else f"{self.base}{slug}"

    def next_url(self, after: str | None, *, changing: bool) -> str:
        pages = self.pages
        slugs = [p.slug for p in pages]
        if changing:
            # Back to check answers, unless a newly relevant page has not been answered yet.
            unanswered = [p.slug for p in pages if p.slug not in self.draft.answers]
            return self.page_url(unanswered[0]) if unanswered else self.page_url("check")
        if after in slugs:
            index = slugs.index(after) + 1
            return self.page_url(slugs[index]) if index < len(slugs) else self.page_url("check")
        return self.page_url(slugs[0])

    def first_unanswered(self) -> str:
        for page in self.pages:
            if page.slug not in self.draft.answers:
                return self.page_url(page.slug)
        return self.page_url("check")

    def back_url(self, slug: str) -> str | None:
        slugs = [p.slug for p in self.pages]
        if slug in slugs and slugs.index(slug) > 0:
            return self.page_url(slugs[slugs.index(slug) - 1])
        return None


def question_page(request: HttpRequest, flow: Flow, slug: str, *, layout: dict[str, Any]) -> HttpResponse:
    page = journeys.PAGE_BY_SLUG.get(slug)
    if page is None or page not in flow.pages:
        raise Http404("No such question")
    form_class = build_form(page, flow.journey)
    stored = flow.draft.answers.get(slug, {})
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            saved = _save_page(flow, page, form.cleaned_data)
            if flow.public and _crisis_in(saved):
                # Help first: what to do now comes on the very next page, before the journey goes on.
                return redirect(f"{flow.base}help-now?after={slug}" + ("&change=1" if changing else ""))
            return redirect(flow.next_url(slug, changing=changing))
        status = 400
    else:
        unsent = flow.draft.answers.get("_unsent", {}).get(slug)
        initial = initial_from_posted(page, unsent) if unsent and slug not in flow.draft.answers else None
        form = form_class(initial=initial or initial_for(page, stored))
        status = 200
    context = {
        **layout,
        "form": form,
        "page": page,
        "journey": flow.journey,
        "questions": page.questions_for(flow.journey),
        "say": say,
        "back_url": flow.page_url("check") if changing else flow.back_url(slug),
        "resume_code": flow.draft.resume_code if not flow.later else "",
        "draft_uuid": flow.draft.uuid if flow.public and not flow.later else "",
        "timeout_warning": flow.public,
        "later": flow.later,
    }
    return render(request, "incidents/question.html", context, status=status)


def _save_page(flow: Flow, page: Page, cleaned: dict[str, Any]) -> dict[str, Any]:
    answers = {name: to_storable(value) for name, value in cleaned.items()}
    if page.derive is not None:
        answers = page.derive(answers, timezone.localdate())
    unsent = {k: v for k, v in flow.draft.answers.get("_unsent", {}).items() if k != page.slug}
    services.draft_save(draft=flow.draft, step=page.slug, answers=answers)
    if "_unsent" in flow.draft.answers:
        services.draft_save(draft=flow.draft, step="_unsent", answers=unsent)
    return answers


def _crisis_in(answers: dict[str, Any]) -> bool:
    return bool(
        crisis_flags(
            safety_now=answers.get("safety_now") or (),
            impacts=answers.get("impacts") or (),
            unable_to_protect_self="yes" if answers.get("can_protect") == "no" else "unknown",
        )
    )


def answer_rows(flow: Flow) -> list[dict[str, Any]]:
    """Check-your-answers rows: every answered question on every page still in the journey."""
    rows = []
    for page in flow.pages:
        stored = flow.draft.answers.get(page.slug, {})
        for q in page.questions_for(flow.journey):
            if q.name not in stored:
                continue
            text = answer_text(q, stored[q.name], flow.journey)
            if not text:
                continue
            rows.append(
                {
                    "key": {"text": say(q.label, flow.journey)},
                    "value": {"text": text, "classes": "app-own-words-inline" if q.kind == "textarea" else ""},
                    "actions": {
                        "items": [
                            {
                                "href": flow.page_url(page.slug) + "?change=1",
                                "text": "Change",
                                "visuallyHiddenText": say(q.label, flow.journey).lower(),
                            }
                        ]
                    },
                }
            )
    return rows


def answer_text(q: Question, value: Any, journey: str) -> str:
    value = from_storable(q.kind, value)
    if value in (None, "", []):
        return ""
    if q.kind == "date":
        return f"{value.day} {value:%B %Y}"
    if q.kind in {"radios", "checkboxes"}:
        labels = dict(q.options(journey))
        if q.exclusive:
            labels[q.exclusive] = say(q.exclusive_label, journey)
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(c), str(c)) for c in chosen)
    return str(value)


# ---------------------------------------------------------------- public journeys (no account)

PUBLIC_LAYOUT = {"public": True}


class StartForm(GovUKForm):
    about = _forms.ChoiceField(
        choices=[("self", "Something that happened to me"), ("third_party", "Something that happened to someone else")],
        error_messages={"required": "Select who it happened to"},
    )
    error_anchor = {"about": "id_about"}


def _public_draft(request: HttpRequest) -> JourneyDraft:
    draft_id = request.session.get(SESSION_DRAFT)
    draft = selectors.public_drafts_open().filter(uuid=draft_id).first() if draft_id else None
    if draft is None:
        raise _NoDraft
    return draft


def _no_draft(request: HttpRequest) -> HttpResponse:
    """No report open in this session. Just sent: Back shows the confirmation again, not an error. Otherwise the
    session timed out (or Exit this page ended it), and nothing from the report is shown here."""
    if request.session.get(SESSION_DONE):
        return redirect("incidents:report_done")
    return redirect("incidents:report_expired")


def _keep_unsent_words(request: HttpRequest, slug: str) -> HttpResponse:
    """A page sent after the session ended (left open too long; the warning had no JavaScript, or was missed):
    keep what was typed with the draft it came from, without opening the draft again here — whoever now holds
    the device sees nothing of it. With the code, the person carries on and finds their words."""
    draft_id = request.POST.get("draft", "")
    page = journeys.PAGE_BY_SLUG.get(slug)
    try:
        draft = selectors.public_drafts_open().filter(uuid=draft_id).first() if draft_id and page else None
    except ValidationError:
        draft = None
    if draft is None or page is None or page not in journeys.pages_for(draft.journey, draft.answers):
        return _no_draft(request)
    form = build_form(page, draft.journey)(request.POST)
    if form.is_valid():
        _save_page(Flow(draft, base="/report/"), page, form.cleaned_data)
        request.session[SESSION_KEPT] = "saved"
    else:
        kept = posted_values(page, draft.journey, request.POST)
        if kept:
            unsent = {**draft.answers.get("_unsent", {}), slug: kept}
            services.draft_save(draft=draft, step="_unsent", answers=unsent)
        request.session[SESSION_KEPT] = "unsent" if kept else ""
    return redirect("incidents:report_expired")


class _NoDraft(Exception):
    pass


def _public_flow(request: HttpRequest) -> Flow:
    return Flow(_public_draft(request), base="/report/")


def _rate_limited(request: HttpRequest, scope: str) -> bool:
    rate = str(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_report"])  # type: ignore[index]
    return not ratelimit.allow(scope, client_ip(request) or "unknown", rate)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/public/too_many.html", PUBLIC_LAYOUT, status=429)


@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            if _rate_limited(request, "report_start"):
                return _too_many(request)
            draft = services.draft_start(journey=form.cleaned_data["about"], owner=None)
            request.session[SESSION_DRAFT] = str(draft.uuid)
            return redirect(Flow(draft, base="/report/").first_unanswered())
        return render(request, "incidents/public/start.html", {**PUBLIC_LAYOUT, "form": form}, status=400)
    return render(request, "incidents/public/start.html", {**PUBLIC_LAYOUT, "form": form})


class ResumeForm(GovUKForm):
    code = _forms.CharField(max_length=20, error_messages={"required": "Enter the code you were given"})


@require_http_methods(["GET", "POST"])
def report_resume(request: HttpRequest) -> HttpResponse:
    form = ResumeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "report_resume"):
            return _too_many(request)
        code = form.cleaned_data["code"].upper().replace(" ", "").replace("-", "")
        code = f"{code[:4]}-{code[4:]}"
        draft = selectors.public_drafts_open().filter(resume_code=code).first()
        if draft is not None:
            request.session[SESSION_DRAFT] = str(draft.uuid)
            return redirect(Flow(draft, base="/report/").first_unanswered())
        form.add_error("code", "We cannot find a report with that code. Check it, or start again")
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/public/resume.html", {**PUBLIC_LAYOUT, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def report_question(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        flow = _public_flow(request)
    except _NoDraft:
        if request.method == "POST":
            return _keep_unsent_words(request, slug)
        return _no_draft(request)
    if request.method == "POST" and request.POST.get("timed_out"):
        # The time-out warning ran out: keep what is on the page, then close the report on this device.
        response = _keep_unsent_words(request, slug)
        request.session.pop(SESSION_DRAFT, None)
        return response
    return question_page(request, flow, slug, layout=PUBLIC_LAYOUT)


@require_http_methods(["GET"])
def report_help_now(request: HttpRequest, more: bool = False) -> HttpResponse:
    """What to do now, shown straight after an answer about danger, suicide, self-harm or not being safe."""
    try:
        flow = _tell_more_flow(request) if more else _public_flow(request)
    except _NoDraft:
        return _no_draft(request)
    after = request.GET.get("after", "")
    if after not in {p.slug for p in flow.pages}:
        raise Http404("No such question")
    context = {
        **PUBLIC_LAYOUT,
        "journey": flow.journey,
        "next_url": flow.next_url(after, changing=request.GET.get("change") == "1"),
        "back_url": flow.page_url(after),
        "timeout_warning": True,
    }
    return render(request, "incidents/public/help_now.html", context)


@require_POST
def report_keep_alive(request: HttpRequest) -> HttpResponse:
    """The time-out warning's "Stay on this page": any request renews the session (SESSION_SAVE_EVERY_REQUEST);
    this one says how long it now lasts, or 410 when there is no report left to keep open."""
    if not request.session.get(SESSION_DRAFT) and not request.session.get(SESSION_DONE):
        return JsonResponse({"seconds": 0}, status=410)
    request.session.modified = True
    return JsonResponse({"seconds": settings.SESSION_COOKIE_AGE})


@require_http_methods(["GET", "POST"])
def report_check(request: HttpRequest) -> HttpResponse:
    try:
        flow = _public_flow(request)
    except _NoDraft:
        return _no_draft(request)
    missing = flow.first_unanswered()
    if not missing.endswith("/check"):
        return redirect(missing)
    error = None
    if request.method == "POST":
        if _rate_limited(request, "report_submit"):
            return _too_many(request)
        answers = flow.draft.answers
        identity = {
            k: answers.get("name", {}).get(k, "") for k in ("given_name", "family_name", "date_of_birth", "postcode")
        }
        details = journeys.person_details(answers)
        identity.update(
            {
                "phone": details.phone,
                "email": details.email,
                "address": details.address,
                "contact_allowed": list(details.contact_allowed),
                "contact_notes": details.contact_notes,
                "communication_needs": details.communication_needs,
            }
        )
        try:
            item = services.draft_submit(
                draft=flow.draft,
                submit=lambda: services.public_report_submit(
                    data=journeys.incident_input(answers, flow.journey), identity=identity
                ),
                incident_of=lambda made: made.incident,
            )
        except (InvalidInput, Conflict) as problem:
            error = problem
        else:
            request.session.pop(SESSION_DRAFT, None)
            if item.incident.anonymous:
                # No way to reach them: offer a passphrase, so they can read the hub's questions and answer.
                offer_way_back(
                    request,
                    kind=services.FOLLOW_UP_KIND,
                    subject=str(item.uuid),
                    back=reverse("incidents:report_done"),
                    reference=item.reference,
                )
            request.session[SESSION_DONE] = {
                "reference": item.reference,
                "journey": flow.journey,
                "anonymous": item.incident.anonymous,
                "urgent": item.incident.urgent,
                "due_on": item.due_on.isoformat() if item.due_on else "",
                "draft": str(flow.draft.uuid),
            }
            return redirect("incidents:report_done")
    context = {
        **PUBLIC_LAYOUT,
        "rows": answer_rows(flow),
        "journey": flow.journey,
        "error": error,
        "resume_code": flow.draft.resume_code,
        "back_url": flow.page_url(flow.pages[-1].slug),
        "timeout_warning": True,
    }
    return render(request, "incidents/check.html", context, status=400 if error else 200)


def report_done(request: HttpRequest, easy_read: bool = False) -> HttpResponse:
    done = request.session.get(SESSION_DONE)
    if not done:
        return redirect("core:start")
    due_on = from_storable("date", done.get("due_on")) or None
    context = {
        **PUBLIC_LAYOUT,
        **done,
        "due_on": due_on,
        "due_today": bool(due_on and due_on <= timezone.localdate()),
        "more_url": _tell_more_start(request),
        "added": request.GET.get("added") == "1",
        "way_back_offered": way_back_offered(request),
        "way_back_kept": way_back_kept(request),
    }
    template = "incidents/public/done_easy_read.html" if easy_read else "incidents/public/done.html"
    return render(request, template, context)


def report_expired(request: HttpRequest) -> HttpResponse:
    kept = request.session.pop(SESSION_KEPT, None)
    return render(request, "incidents/public/expired.html", {**PUBLIC_LAYOUT, "kept": kept})


# ---------------------------------------------------------------- "tell us more", after sending


def _tell_more_flow(request: HttpRequest) -> Flow:
    """The report just sent from this session: its optional extra pages, saved to the same report."""
    done = request.session.get(SESSION_DONE) or {}
    draft_id = str(done.get("draft") or "")
    draft = selectors.public_draft_sent(draft_uuid=draft_id) if draft_id else None
    if draft is None:
        raise _NoDraft
    return Flow(draft, base="/report/more/", later=True, end="/report/done?added=1")


def _tell_more_start(request: HttpRequest) -> str:
    try:
        flow = _tell_more_flow(request)
    except _NoDraft:
        return ""
    pages = flow.pages
    return flow.page_url(pages[0].slug) if pages else ""


@require_http_methods(["GET", "POST"])
def report_more(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        flow = _tell_more_flow(request)
    except _NoDraft:
        return _no_draft(request)
    response = question_page(request, flow, slug, layout=PUBLIC_LAYOUT)
    if request.method == "POST" and response.status_code == 302:
        answers = flow.draft.answers
        about = answers.get("about-person", {})
        services.public_report_tell_more(
            draft=flow.draft,
            data=journeys.incident_input(answers, flow.journey),
            identity={
                "date_of_birth": about.get("date_of_birth") or "",
                "postcode": about.get("postcode", ""),
                "communication_needs": answers.get("communication", {}).get("communication_needs", ""),
            },
        )
    if request.method == "POST" and request.POST.get("timed_out"):
        # Time ran out on an optional page: what could be saved is in the report; close it on this device.
        request.session.pop(SESSION_DONE, None)
        request.session[SESSION_KEPT] = "saved" if response.status_code == 302 else ""
        return redirect("incidents:report_expired")
    return response


# ---------------------------------------------------------------- practitioner journey


def _practitioner_flow(request: HttpRequest, draft_id: str) -> Flow:
    user = acting_user(request)
    draft = selectors.practitioner_draft(user=user, draft_uuid=draft_id)
    if draft is None:
        raise Http404("No such draft")
    return Flow(draft, base=f"/record/{draft.uuid}/")


def _recording_agency(user: User) -> Agency:
    agency = casework_agency(user)
    if agency is None:
        raise Http404("You do not do casework in any agency")
    return agency


@login_required
@require_POST
def record_start(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agency = _recording_agency(user)
    draft = services.draft_start(journey="practitioner", owner=user)
    if agency.default_setting:
        # The agency's usual point of entry, chosen in advance; the person step leads to that page to confirm it.
        services.draft_save(
            draft=draft, step="entry-point", answers={"setting": agency.default_setting, "need": agency.default_need}
        )
    person_id = request.POST.get("person")
    if person_id:
        person = people_selectors.person_get(actor=user, person_uuid=person_id, purpose="Recording an incident")
        _choose_person(draft, person)
    return redirect(f"/record/{draft.uuid}/person" if not person_id else f"/record/{draft.uuid}/entry-point")


def initial_for_date(value: str | None) -> list[str]:
    day = from_storable("date", value) if value else None
    return [str(day.day), str(day.month), str(day.year)] if day else ["", "", ""]


def _choose_person(draft: JourneyDraft, person: Any) -> None:
    contact = person.safe_contact or {}
    services.draft_save(
        draft=draft,
        step="person",
        answers={
            "mode": "existing",
            "person_uuid": str(person.uuid),
            "display_name": person.display_name,
            "has_safe_contact": bool(contact.get("allowed") or contact.get("notes")),
            "has_communication_needs": bool(person.communication_needs),
        },
    )


class PersonSearchForm(GovUKForm):
    given_name = _forms.CharField(max_length=100, required=False)
    family_name = _forms.CharField(max_length=100, required=False)
    date_of_birth = DateParts(label_text="Date of birth", required=False)  # GOV.UK date input
    postcode = _forms.CharField(max_length=10, required=False)
    error_anchor = {"date_of_birth": "id_date_of_birth-day"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(str(data.get(k) or "").strip() for k in ("given_name", "family_name")):
            self.add_error("given_name", "Enter a first name or a last name")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def record_person(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Who is this about? Search first among people you may see; choose one, or record a new person."""
    flow = _practitioner_flow(request, draft_id)
    user = acting_user(request)
    stored = flow.draft.answers.get("person", {})
    searched = stored.get("search") or {}
    if request.method == "POST" and "choose" in request.POST:
        person = people_selectors.person_get(
            actor=user, person_uuid=request.POST["choose"], purpose="Recording an incident"
        )
        _choose_person(flow.draft, person)
        return redirect(
            flow.next_url("person", changing=False)
            if "entry-point" not in flow.draft.answers
            else flow.page_url("entry-point")
        )
    if request.method == "POST" and "new" in request.POST and searched:
        services.draft_save(
            draft=flow.draft,
            step="person",
            answers={
                "mode": "new",
                "search": searched,
                "display_name": " ".join(p for p in (searched.get("given_name"), searched.get("family_name")) if p),
            },
        )
        return redirect(flow.page_url("entry-point"))
    initial = {**searched, "date_of_birth": initial_for_date(searched.get("date_of_birth"))}
    form = PersonSearchForm(request.POST if request.method == "POST" else None, initial=initial)
    matches: list[Any] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            search = {
                "given_name": d["given_name"].strip(),
                "family_name": d["family_name"].strip(),
                "date_of_birth": d["date_of_birth"].isoformat() if d["date_of_birth"] else "",
                "postcode": d["postcode"].strip(),
            }
            services.draft_save(draft=flow.draft, step="person", answers={**stored, "search": search})
            searched = search
        else:
            status = 400
    if searched and status == 200:
        identity = Identity(
            given_name=searched["given_name"],
            family_name=searched["family_name"],
            date_of_birth=from_storable("date", searched["date_of_birth"]) or None,
            postcode=searched["postcode"],
        )
        matches = people_selectors.person_matches(actor=user, identity=identity, limit=10)
    return render(
        request,
        "incidents/record/person.html",
        {"form": form, "matches": matches, "searched": searched, "draft": flow.draft},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_question(request: HttpRequest, draft_id: str, slug: str) -> HttpResponse:
    flow = _practitioner_flow(request, draft_id)
    if "person" not in flow.draft.answers or flow.draft.answers["person"].get("mode") not in {"existing", "new"}:
        return redirect(flow.page_url("person"))
    return question_page(request, flow, slug, layout={"draft": flow.draft})


@login_required
@require_http_methods(["GET", "POST"])
def record_check(request: HttpRequest, draft_id: str) -> HttpResponse:
    flow = _practitioner_flow(request, draft_id)
    user = acting_user(request)
    person_answers = flow.draft.answers.get("person", {})
    if person_answers.get("mode") not in {"existing", "new"}:
        return redirect(flow.page_url("person"))
    missing = flow.first_unanswered()
    if not missing.endswith("/check"):
        return redirect(missing)
    error = None
    if request.method == "POST":
        agency = _recording_agency(user)
        data = journeys.incident_input(flow.draft.answers, "practitioner")
        try:
            if person_answers["mode"] == "existing":
                person = people_selectors.person_get(
                    actor=user, person_uuid=person_answers["person_uuid"], purpose="Recording an incident"
                )
                incident = services.draft_submit(
                    draft=flow.draft,
                    submit=lambda: services.incident_record(actor=user, agency=agency, person=person, data=data),
                    incident_of=lambda made: made,
                )
            else:
                search = person_answers["search"]
                base = journeys.person_details(flow.draft.answers)

                details = replace(
                    base,
                    given_name=search["given_name"],
                    family_name=search["family_name"],
                    date_of_birth=from_storable("date", search["date_of_birth"]) or None,
                    postcode=search["postcode"],
                )
                incident = services.draft_submit(
                    draft=flow.draft,
                    submit=lambda: services.incident_record_with_new_person(
                        actor=user, agency=agency, details=details, data=data
                    ),
                    incident_of=lambda made: made,
                )
        except (InvalidInput, Conflict) as problem:
            error = problem
        else:
            return redirect("incidents:incident", incident_id=incident.uuid)
    context = {
        "rows": answer_rows(flow),
        "journey": "practitioner",
        "error": error,
        "draft": flow.draft,
        "person_answers": person_answers,
        "back_url": flow.page_url(flow.pages[-1].slug),
        "person_url": flow.page_url("person"),
    }
    return render(request, "incidents/check.html", context, status=400 if error else 200)


@login_required
def incident_detail(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = acting_user(request)
    incident, seen = selectors.incident_read(actor=user, incident_uuid=incident_id, purpose="Reading an incident")
    shown = present_incident(incident, seen)
    # Other accounts of the same event: their words are the account group; the suggestion reads date, place and
    # who did it (the harm group).
    accounts = (
        [
            (a, selectors.account_told_by(a), timezone.localtime(a.created_at).date())
            for a in selectors.event_accounts(incident=incident)
            if a.pk != incident.pk
        ]
        if seen.sees("account")
        else []
    )
    # Suggested, never done for them: another report with the same date, place and people may be the same event.
    likely = (
        [o for o, found in selectors.same_event_candidates(incident=incident) if found.same_event_likely]
        if seen.sees("harm") and incident.person and not incident.same_event_as_id and not accounts
        else []
    )
    return render(
        request,
        "incidents/incident.html",
        {
            "shown": shown,
            "incident": incident,
            "v": v,
            "label_of": v.label_of,
            "labels_of": v.labels_of,
            "other_accounts": accounts,
            "likely_same_event": likely,
            "follow_up_url": selectors.follow_up_page_for(actor=user, incident=incident),
        },
    )


# ---------------------------------------------------------------- the hub's triage queue


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    # Anyone who is not a hub worker is refused by the policy (404), and the refusal is recorded.
    hub_ids = selectors.hub_ids_for(user) or selectors.all_hub_ids()
    kept = request.GET.get("show") == "anonymous"
    if kept:
        items = selectors.triage_kept_anonymous(actor=user, hub_ids=hub_ids)
    else:
        items = selectors.triage_queue(actor=user, hub_ids=hub_ids)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    door.read_list(
        user,
        objects=[i.incident for i in page],
        purpose="Reports kept anonymous" if kept else "Triage queue",
        person_uuid_of=lambda i: i.person.uuid if i.person else None,
    )
    context = {"page": page, "kept": kept, "flag_labels": FLAG_LABELS, "today": timezone.localdate()}
    return render(request, "incidents/triage/queue.html", context)


class AskForm(GovUKForm):
    text = _forms.CharField(max_length=MESSAGE_MAX, error_messages={"required": "Enter your question"})


class AnonymousForm(GovUKForm):
    note = _forms.CharField(max_length=500, error_messages={"required": "Say why this report stays anonymous"})


@login_required
@require_http_methods(["GET", "POST"])
def triage_item(request: HttpRequest, item_id: str) -> HttpResponse:
    user = acting_user(request)
    item = selectors.triage_item_get(actor=user, item_uuid=item_id)
    anon_form = AnonymousForm(request.POST if request.POST.get("action") == "anonymous" else None)
    ask_form = AskForm(request.POST if request.POST.get("action") == "ask" else None)
    error = None
    # A question to the anonymous reporter: open whatever the report's status (kept anonymous, too).
    if request.method == "POST" and ask_form.is_bound and item.follow_up is not None and ask_form.is_valid():
        try:
            followup_services.follow_up_ask(actor=user, follow_up=item.follow_up, text=ask_form.cleaned_data["text"])
        except InvalidInput as problem:
            ask_form.add_error("text", problem.fields.get("text", [problem.message])[0])
        else:
            messages.success(request, "Your question has been sent. They will see it when they next check.")
            return redirect(reverse("incidents:triage_item", args=[item.uuid]) + "#follow-up")
    if request.method == "POST" and item.status == TriageStatus.WAITING:
        action = request.POST.get("action")
        try:
            if action == "match":
                person = people_selectors.person_get(
                    actor=user, person_uuid=request.POST.get("person", ""), purpose="Matching a report"
                )
                incident = services.triage_match(actor=user, item=item, person=person)
                return redirect("incidents:incident", incident_id=incident.uuid)
            if action == "new":
                incident = services.triage_match(
                    actor=user, item=item, person=None, details=_details_from_identity(item.reported_identity)
                )
                return redirect("incidents:incident", incident_id=incident.uuid)
            if action == "anonymous" and anon_form.is_valid():
                services.triage_record_anonymous(actor=user, item=item, note=anon_form.cleaned_data["note"])
                return redirect("incidents:triage")
        except (InvalidInput, Conflict) as problem:
            error = problem
    identity = item.reported_identity or {}
    matches = []
    if identity.get("given_name") or identity.get("family_name"):
        matches = people_selectors.person_matches(
            actor=user,
            identity=Identity(
                given_name=str(identity.get("given_name", "")),
                family_name=str(identity.get("family_name", "")),
                date_of_birth=from_storable("date", identity.get("date_of_birth")) or None,
                postcode=str(identity.get("postcode", "")),
            ),
            purpose="Matching a report",
        )
    can_resolve = decide(user, "triage.resolve", item).allowed
    conversation = followup_selectors.conversation_read(
        actor=user, follow_up=item.follow_up, purpose="Reading the conversation with an anonymous reporter"
    )
    return render(
        request,
        "incidents/triage/item.html",
        {
            "item": item,
            "incident": item.incident,
            "matches": matches,
            "identity": identity,
            "error": error,
            "form": anon_form,
            "ask_form": ask_form,
            "conversation": conversation,
            "kept_words": "They did not choose a passphrase, so there is no way to ask them anything."
            if item.incident.anonymous
            else "They gave a name. Get in touch the way they asked.",
            "can_resolve": can_resolve,
            "label_of": v.label_of,
            "labels_of": v.labels_of,
            "v": v,
            "flag_labels": FLAG_LABELS,
            "from_iso": lambda value: from_storable("date", value) or None,
        },
        status=400 if error or anon_form.errors or ask_form.errors else 200,
    )


def _details_from_identity(identity: dict[str, Any]) -> Any:

    return PersonDetails(
        given_name=str(identity.get("given_name", "")),
        family_name=str(identity.get("family_name", "")),
        date_of_birth=from_storable("date", identity.get("date_of_birth")) or None,
        postcode=str(identity.get("postcode", "")),
        address=str(identity.get("address", "")),
        phone=str(identity.get("phone", "")),
        email=str(identity.get("email", "")),
        communication_needs=str(identity.get("communication_needs", "")),
        contact_allowed=tuple(identity.get("contact_allowed") or ()),
        contact_notes=str(identity.get("contact_notes", "")),
    )
