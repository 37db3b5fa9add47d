"""Harm pages: the public "Tell us a service harmed you" journey (works without JavaScript), the responders'
inbox and report page, and the lead partner's measures."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from joinedup.access.decision import decide
from joinedup.accounts.selectors import acting_user, agencies_to_choose, agency_by_uuid
from joinedup.core import ratelimit
from joinedup.core.errors import Conflict, InvalidInput, ServiceError
from joinedup.core.middleware import client_ip
from joinedup.followup import selectors as followup_selectors
from joinedup.followup import services as followup_services
from joinedup.followup.handshake import offer_way_back, way_back_kept, way_back_offered
from joinedup.harm import selectors, services
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.domain.model import IMPACT_CODES, MINIMISATIONS, SOURCES, WANTS, label_of
from joinedup.harm.domain.route import NEXT, STATUS_LABELS, UPDATE_CADENCE_LABELS, Status, Step, routes_onward
from joinedup.harm.forms import PATHWAY, AskForm, StepForm, TellForm, UpdateForm

PUBLIC_LAYOUT = {"public": True}
SENT_KEY = "harm_report_sent"


def _agencies() -> list[tuple[str, str]]:
    return [(str(a.uuid), a.name) for a in agencies_to_choose()]


def _rate_limited(request: HttpRequest) -> bool:
    rate = str(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_report"])  # type: ignore[index]
    return not ratelimit.allow("harm_report", client_ip(request) or "unknown", rate)


@never_cache
@require_http_methods(["GET", "POST"])
def tell(request: HttpRequest, speaking_up: bool = False) -> HttpResponse:
    """One page, in plain words: what happened first, every other question optional except who is telling us.
    The speaking-up line is the same page for staff and others worried about a service: confidential, and
    anonymous if they wish (with the same way back as any anonymous report)."""
    form = TellForm(request.POST if request.method == "POST" else None, agencies=_agencies(), speaking_up=speaking_up)
    problem: ServiceError | None = None
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            return render(request, "incidents/public/too_many.html", PUBLIC_LAYOUT, status=429)
        d = form.cleaned_data
        advocacy = {"yes": True, "no": False}.get(d["advocacy"])
        try:
            report = services.harm_report_raise(
                actor=request.user,
                data=ReportInput(
                    reported_by=d["reported_by"],
                    description=d["description"],
                    sources=tuple(d["sources"]),
                    impacts=tuple(d["impacts"]),
                    wants=tuple(d["wants"]),
                    wants_other=d["wants_other"],
                    ill_treatment_in_care=d["ill_treatment_in_care"],
                    contact_name=d["contact_name"],
                    contact_detail=d["contact_detail"],
                    update_cadence=d["update_cadence"],
                    advocacy_wanted=advocacy,
                    # Staff raising a concern about a service, or anyone on the speaking-up line.
                    speaking_up=speaking_up or d["reported_by"] == "practitioner",
                ),
                about_agency=None if d["about"] == PATHWAY else agency_by_uuid(d["about"]),
            )
        except (InvalidInput, Conflict) as refused:
            problem = refused
        else:
            request.session[SENT_KEY] = {
                "acknowledge_by": report.acknowledge_by.isoformat(),
                "anonymous": report.reported_by == "anonymous",
                "serious": report.serious,
                "advocacy": advocacy,
                "speaking_up": report.speaking_up,
            }
            if report.reported_by == "anonymous":
                # No way to reply: offer a passphrase, so they can read the service's questions and answer.
                offer_way_back(
                    request, kind=services.FOLLOW_UP_KIND, subject=str(report.uuid), back=reverse("harm:sent")
                )
            return redirect("harm:sent")
    return render(
        request,
        "harm/tell.html",
        {
            **PUBLIC_LAYOUT,
            "form": form,
            "problem": problem,
            "who": form.fields["reported_by"].choices,  # type: ignore[attr-defined]
            "speaking_up": speaking_up,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    details = request.session.get(SENT_KEY)
    if not details:
        return redirect("core:start")  # nothing sent in this session: back to the start
    return render(
        request,
        "harm/sent.html",
        {
            **PUBLIC_LAYOUT,
            **details,
            "acknowledge_by": date.fromisoformat(details["acknowledge_by"]),
            "way_back_offered": way_back_offered(request),
            "way_back_kept": way_back_kept(request),
        },
    )


@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    show = "closed" if request.GET.get("show") == "closed" else "open"
    page = Paginator(selectors.inbox(actor=user, show=show), 25).get_page(request.GET.get("page"))
    reports = list(page)
    selectors.read_shown(user, reports, "Harm reports")
    rows = [(r, services.report_next_step(r)) for r in reports]
    return render(
        request,
        "harm/inbox.html",
        {"page": page, "items": rows, "show": show, "status_labels": STATUS_LABELS},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report, _ = selectors.harm_report_read(
        actor=user, report_uuid=report_id, purpose="Reading a harm report to answer it"
    )
    can_respond = decide(user, "harm_report.respond", report).allowed
    action = request.POST.get("action") if request.method == "POST" else None
    step_form = StepForm(request.POST if action == "step" else None)
    step_form.fields["to"].choices = [  # type: ignore[attr-defined]
        (s.value, STATUS_LABELS[s]) for s in Status if s in NEXT[Status(report.status)]
    ]
    update_form = UpdateForm(request.POST if action == "update" else None)
    ask_form = AskForm(request.POST if action == "ask" else None)
    problem: ServiceError | None = None
    if action == "ask" and report.follow_up is not None and ask_form.is_valid():
        try:
            followup_services.follow_up_ask(actor=user, follow_up=report.follow_up, text=ask_form.cleaned_data["text"])
        except InvalidInput as refused:
            ask_form.add_error("text", refused.fields.get("text", [refused.message])[0])
        else:
            messages.success(request, "Your question has been sent. They will see it when they next check.")
            return redirect(reverse("harm:report", args=[report.uuid]) + "#follow-up")
    if can_respond and action == "step" and step_form.is_valid():
        d = step_form.cleaned_data
        try:
            services.harm_report_transition(
                actor=user,
                report=report,
                step=Step(
                    to=d["to"],
                    note=d["note"],
                    person_view=d["person_view"],
                    not_asked_reason=d["not_asked_reason"],
                    minimisations=tuple(d["minimisations"]),
                ),
            )
            return redirect("harm:report", report_id=report.uuid)
        except (InvalidInput, Conflict) as refused:
            problem = refused
            for name, errors in refused.fields.items():
                if name in step_form.fields:
                    for error in errors:
                        step_form.add_error(name, error)
    if can_respond and action == "update" and update_form.is_valid():
        try:
            services.harm_report_update(actor=user, report=report, note=update_form.cleaned_data["note"])
            return redirect("harm:report", report_id=report.uuid)
        except (InvalidInput, Conflict) as refused:
            problem = refused
    return render(
        request,
        "harm/report.html",
        {
            "report": report,
            "next": services.report_next_step(report),
            "history": selectors.history_of(report=report),
            "escalations": selectors.escalations_of(report=report),
            "routes": routes_onward(report.about_agency.kind if report.about_agency else None),
            "can_respond": can_respond,
            "step_form": step_form,
            "update_form": update_form,
            "ask_form": ask_form,
            "conversation": followup_selectors.conversation_read(
                actor=user, follow_up=report.follow_up, purpose="Reading the conversation with an anonymous reporter"
            ),
            "kept_words": "They did not choose a passphrase, so there is no way to ask them anything."
            if report.reported_by == "anonymous"
            else "They gave their name. Reply the way they asked.",
            "problem": problem,
            "status_labels": STATUS_LABELS,
            "cadence_label": UPDATE_CADENCE_LABELS.get(report.update_cadence, ""),
            "sources": [label_of(SOURCES, s) for s in report.sources],
            "impacts": [label_of(IMPACT_CODES, s) for s in report.impacts],
            "wants": [label_of(WANTS, s) for s in report.wants],
            "minimisations": [label_of(MINIMISATIONS, m) for m in report.minimisations],
            "minimisation_label": lambda m: label_of(MINIMISATIONS, m),
        },
    )


@never_cache
@login_required
def measures(request: HttpRequest) -> HttpResponse:
    figures = selectors.measures(actor=acting_user(request))
    groups: dict[str, list[selectors.Figure]] = {}
    for figure in figures:
        groups.setdefault(figure.measure, []).append(figure)
    return render(request, "harm/measures.html", {"groups": groups})
