"""Police pages: report from a case, the report (package, PDF, tracker, liaison forms), the liaison inbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from joinedup.access import door
from joinedup.access.decision import decide, require
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases.selectors import case_get
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.incidents import selectors as incident_selectors
from joinedup.incidents.questions import DateParts
from joinedup.police import pdf, selectors, services
from joinedup.police.domain.victims_code import RIGHTS, NchiAnswers
from joinedup.police.models import PoliceReport
from joinedup.police.presenters import inbox_rows, package_for, report_shown

CADENCE_CHOICES = [
    ("weekly", "Every week"),
    ("fortnightly", "Every two weeks"),
    ("monthly", "Every month"),
    ("milestones", "Only when something important happens"),
]


class ReportForm(GovUKForm):
    incidents = forms.MultipleChoiceField(choices=[], error_messages={"required": "Choose the incidents to report"})
    third_party = forms.ChoiceField(
        choices=[("no", "They report with us directly"), ("yes", "We report for them, as a trusted organisation")],
        error_messages={"required": "Choose how they want to report"},
    )
    anonymous = forms.BooleanField(required=False)
    update_cadence = forms.ChoiceField(
        choices=CADENCE_CHOICES,
        error_messages={"required": "Choose how often they want to hear about the investigation"},
    )
    opted_out_of_support = forms.BooleanField(required=False)
    error_anchor = {
        "incidents": "id_incidents",
        "third_party": "id_third_party",
        "update_cadence": "id_update_cadence",
        "anonymous": "id_anonymous",
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case = case_get(actor=user, case_uuid=case_id, purpose="Reporting to the police")
    incidents = list(incident_selectors.accounts_of(person=case.person, limit=20))
    form = ReportForm(request.POST if request.method == "POST" else None, initial={"update_cadence": "fortnightly"})
    form.fields["incidents"].choices = [  # type: ignore[attr-defined]
        (str(i.uuid), f"{i.occurred_text}: {i.description[:80]}") for i in incidents
    ]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        agency = casework_agency(user)
        try:
            if agency is None:
                raise InvalidInput("You do not do casework in any agency.")
            report, sent = services.police_report_send_once(
                actor=user,
                agency=agency,
                case=case,
                incident_uuids=d["incidents"],
                third_party=d["third_party"] == "yes",
                anonymous=d["anonymous"],
                update_cadence=d["update_cadence"],
                opted_out_of_support=d["opted_out_of_support"],
            )
        except (Conflict, InvalidInput) as problem:
            for field, problems in problem.fields.items():
                if field in form.fields:
                    form.add_error(field, problems[0])
            if not any(f in form.fields for f in problem.fields):
                form.add_error(None, problem.message)
        else:
            if not sent:
                messages.info(request, "These incidents were already reported and are waiting for the police.")
                return redirect("police:report", report_id=report.uuid)
            messages.success(request, "Reported to the police. Their rights under the Victims' Code are tracked below.")
            return redirect("police:report", report_id=report.uuid)
    return render(
        request,
        "police/create.html",
        {"case": {"id": str(case.uuid), "person_name": case.person.display_name}, "form": form},
        status=400 if request.method == "POST" else 200,
    )


class CrimeRefForm(GovUKForm):
    crime_reference = forms.CharField(max_length=60, error_messages={"required": "Enter the crime reference"})


class OutcomeForm(GovUKForm):
    outcome = forms.ChoiceField(
        choices=list(services.OUTCOMES.items()), error_messages={"required": "Choose the outcome"}
    )
    reason = forms.CharField(max_length=2000, required=False)
    error_anchor = {"outcome": "id_outcome"}


class NonCrimeForm(GovUKForm):
    trivial = forms.BooleanField(required=False)
    irrational = forms.BooleanField(required=False)
    malicious = forms.BooleanField(required=False)
    real_risk = forms.BooleanField(required=False)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report, seen = selectors.report_read(actor=user, report_uuid=report_id, purpose="Reading a police report")
    is_liaison = decide(user, "police_report.respond", report).allowed
    action = request.POST.get("action") if request.method == "POST" else None
    forms_ = {
        "reference": CrimeRefForm(request.POST if action == "reference" else None),
        "outcome": OutcomeForm(request.POST if action == "outcome" else None),
        "non_crime": NonCrimeForm(request.POST if action == "non_crime" else None),
    }
    if action in forms_ and forms_[action].is_valid():
        d = forms_[action].cleaned_data
        try:
            if action == "reference":
                services.crime_reference_record(actor=user, report=report, crime_reference=d["crime_reference"])
            elif action == "outcome":
                services.outcome_record(actor=user, report=report, outcome=d["outcome"], reason=d["reason"])
            elif action == "non_crime":
                services.non_crime_record(
                    actor=user,
                    report=report,
                    answers=NchiAnswers(d["trivial"], d["irrational"], d["malicious"], d["real_risk"]),
                )
        except (Conflict, InvalidInput) as problem:
            target = next((f for f in problem.fields if f in forms_[action].fields), None)
            forms_[action].add_error(target, problem.fields[target][0] if target else problem.message)
        else:
            messages.success(request, "Recorded.")
            return redirect("police:report", report_id=report.uuid)
    context = {
        "report": report_shown(report),
        "package": package_for(report.package, seen, as_sent=is_liaison),
        "is_liaison": is_liaison,
        "forms": forms_,
        "tracker": services.tracker(report),
        "outcomes": services.OUTCOMES,
        "bound_action": action,
        "pdf_available": pdf.font_path().exists(),
    }
    return render(request, "police/report.html", context, status=400 if action else 200)


@login_required
def report_pdf(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report, seen = selectors.report_read(
        actor=user, report_uuid=report_id, purpose="Police report PDF", audit_action=door.EXPORT
    )
    as_sent = decide(user, "police_report.respond", report).allowed
    try:
        body = pdf.render(
            package_for(report.package, seen, as_sent=as_sent), reference=str(report.uuid), title="Report to the police"
        )
    except pdf.PdfUnavailable as problem:
        return render(request, "core/errors/500.html", {"reason": problem.message}, status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="police-report-{report.uuid}.pdf"'
    return response


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    page = Paginator(selectors.inbox(actor=user), 25).get_page(request.GET.get("page"))
    door.read_list(
        user, objects=list(page), purpose="Police liaison inbox", person_uuid_of=lambda r: r.case.person.uuid
    )
    return render(request, "police/inbox.html", {"page": page, "shown": inbox_rows(list(page))})


def _report_for_key_worker(user: Any, report_id: str, purpose: str) -> PoliceReport:
    """A report as the people working the case see it (the liaison answers on the report page): 404 otherwise."""
    report, _ = selectors.report_read(actor=user, report_uuid=report_id, purpose=purpose)
    require(user, "case.view", report.case, purpose=purpose)
    return report


class RightMetForm(GovUKForm):
    text = forms.CharField(max_length=500, error_messages={"required": "Say what was done"})
    on = DateParts(label_text="When it was done", required=False)
    error_anchor = {"on": "id_on-day"}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def right_met(request: HttpRequest, report_id: str, number: int) -> HttpResponse:
    """Mark one Victims' Code right as met, with the evidence of what was done (and when)."""
    user = acting_user(request)
    report = _report_for_key_worker(user, report_id, "Victims' Code")
    titles = dict(RIGHTS)
    if number not in titles:
        raise Http404("No such right")
    form = RightMetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.evidence_record(
            actor=user, report=report, right=number, text=form.cleaned_data["text"], on=form.cleaned_data["on"]
        )
        messages.success(request, f"Right {number} recorded as met.")
        return redirect("police:report", report_id=report.uuid)
    return render(
        request,
        "police/right.html",
        {"report": report_shown(report), "number": number, "title": titles[number], "form": form},
        status=400 if request.method == "POST" else 200,
    )


UPDATE_HOW = [
    ("phone", "By phone"),
    ("in_person", "In person"),
    ("letter", "By letter"),
    ("email", "By email"),
    ("text", "By text message"),
    ("through_advocate", "Through their advocate"),
]


class UpdateGivenForm(GovUKForm):
    how = forms.ChoiceField(choices=UPDATE_HOW, error_messages={"required": "Choose how the update was given"})
    summary = forms.CharField(max_length=400, error_messages={"required": "Say what they were told"})
    on = DateParts(label_text="When the update was given", required=False)
    error_anchor = {"how": "id_how", "on": "id_on-day"}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def update_given(request: HttpRequest, report_id: str) -> HttpResponse:
    """Record an update on the investigation given to the person (Victims' Code right 6, at their cadence)."""
    user = acting_user(request)
    report = _report_for_key_worker(user, report_id, "Victims' Code")
    form = UpdateGivenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        how = dict(UPDATE_HOW)[d["how"]].lower()
        services.evidence_record(
            actor=user, report=report, right=6, text=f"Update given {how}: {d['summary']}", on=d["on"]
        )
        messages.success(request, "Update recorded. The next one is due at the pace they chose.")
        return redirect("police:report", report_id=report.uuid)
    right6 = next(r for r in services.tracker(report)["rights"] if r.number == 6)
    return render(
        request,
        "police/update.html",
        {
            "report": report_shown(report),
            "form": form,
            "cadence": dict(CADENCE_CHOICES).get(report.update_cadence, report.update_cadence),
            "right6": right6,
        },
        status=400 if request.method == "POST" else 200,
    )
