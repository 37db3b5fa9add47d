"""Insights pages: the dashboards (with their downloads) and the strategic needs assessment (page, PDF, editing).
Thin: the selectors decide access and publish the figures; the views only render them."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from joinedup.access.decision import require
from joinedup.accounts.models import Agency
from joinedup.accounts.selectors import acting_user
from joinedup.core.errors import InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.insights import exports, pdf, presenters, selectors, services
from joinedup.insights.domain.dashboards import DASHBOARDS, MAX_PERIOD_DAYS, Period, default_period
from joinedup.insights.models import AssessmentSection
from joinedup.insights.services import insights_subject


class FilterForm(GovUKForm):
    start = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the start date as a real date, like 2026-04-01"},
    )
    end = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the end date as a real date, like 2027-03-31"},
    )
    area = forms.ChoiceField(
        required=False, choices=[], error_messages={"invalid_choice": "Choose an area from the list"}
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", "The end date must be the same as or after the start date")
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", "Choose a period of 5 years or less")
        return data


def filters(request: HttpRequest) -> tuple[FilterForm, Period, str]:
    """The period and area from the query string; anything wrong falls back to the default, with the error shown."""
    fallback = default_period(timezone.localdate())
    params = request.GET.copy()
    params.setdefault("start", fallback.start.isoformat())
    params.setdefault("end", fallback.end.isoformat())
    form = FilterForm(params)
    known = selectors.areas()
    form.fields["area"].choices = [("", "All areas"), *((a, "Not known" if a == "unknown" else a) for a in known)]  # type: ignore[attr-defined]
    if not form.is_valid():
        return form, fallback, ""
    start = form.cleaned_data["start"] or fallback.start
    end = form.cleaned_data["end"] or fallback.end
    return form, Period(start, end), form.cleaned_data["area"] or ""


@login_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require(user, "insights.view", insights_subject(), purpose="Insights")
    return render(
        request,
        "insights/index.html",
        {"dashboards": DASHBOARDS.values(), "freshness": selectors.freshness(), "year": _current_year()},
    )


@login_required
@never_cache
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in DASHBOARDS:
        raise Http404("No such dashboard")
    user = acting_user(request)
    form, period, area = filters(request)
    figures = selectors.dashboard_figures(actor=user, slug=slug, period=period, area=area)
    query = f"start={period.start.isoformat()}&end={period.end.isoformat()}" + (f"&area={area}" if area else "")
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "charts": presenters.dashboard_charts(figures),
            "query": query,
            "dashboards": DASHBOARDS.values(),
        },
    )


@login_required
@never_cache
def download(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    if slug not in DASHBOARDS or file_format not in {"csv", "xlsx"}:
        raise Http404("No such download")
    user = acting_user(request)
    require(user, "insights.export", insights_subject(), purpose="Download figures")
    _form, period, area = filters(request)
    figures = selectors.dashboard_figures(actor=user, slug=slug, period=period, area=area)
    services.export_record(
        actor=user, dashboard=slug, file_format=file_format, period=f"{period.start}/{period.end}", area=area
    )
    name = f"joinedup-{slug.replace('_', '-')}-{period.start}-to-{period.end}{'-' + area if area else ''}"
    if file_format == "csv":
        response = HttpResponse(exports.to_csv(figures), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(figures), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _current_year() -> int:
    """The financial year now ending or last ended (April to March), the usual assessment year."""
    today = timezone.localdate()
    return today.year - 1 if today.month < 4 else today.year


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError as bad:
        raise Http404("No such year") from bad
    if not 2000 <= year <= 2100:
        raise Http404("No such year")
    return year


@login_required
@never_cache
def assessment(request: HttpRequest, year: str) -> HttpResponse:
    user = acting_user(request)
    report = selectors.assessment(actor=user, year=_year(year))
    return render(request, "insights/assessment.html", {"report": report, "kinds": AssessmentSection.Kind.choices})


@login_required
@never_cache
def assessment_pdf(request: HttpRequest, year: str) -> HttpResponse:
    user = acting_user(request)
    report = selectors.assessment(actor=user, year=_year(year))
    services.export_record(
        actor=user, dashboard="needs_assessment", file_format="pdf", period=str(report.year), area=""
    )

    lead = Agency.objects.filter(is_lead_partner=True).first()
    try:
        body = pdf.render(report, partnership=lead.name if lead else "JoinedUp partnership")
    except pdf.PdfUnavailable as problem:
        return render(request, "core/errors/500.html", {"reason": problem.message}, status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="needs-assessment-{report.year}.pdf"'
    return response


class SectionForm(GovUKForm):
    text = forms.CharField(
        widget=forms.Textarea,
        max_length=services.MAX_SECTION_CHARS,
        error_messages={
            "required": "Enter the text of this section",
            "max_length": f"The section must be {services.MAX_SECTION_CHARS:,} characters or fewer",
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assessment_section(request: HttpRequest, year: str, section: str) -> HttpResponse:
    user = acting_user(request)
    number = _year(year)
    if section not in AssessmentSection.Kind.values:
        raise Http404("No such section")
    require(user, "insights.write_assessment", insights_subject(), purpose="Needs assessment")
    latest = AssessmentSection.objects.filter(year=number, section=section).order_by("-version").first()
    form = SectionForm(
        request.POST if request.method == "POST" else None, initial={"text": latest.text if latest else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_section_write(actor=user, year=number, section=section, text=form.cleaned_data["text"])
        except InvalidInput as problem:
            for field, errors in problem.fields.items():
                for error in errors:
                    form.add_error("text" if field == "text" else None, error)
        else:
            messages.success(request, f"{AssessmentSection.Kind(section).label} saved")
            return redirect("insights:assessment", year=number)
    return render(
        request,
        "insights/section.html",
        {
            "form": form,
            "year": number,
            "section": section,
            "label": AssessmentSection.Kind(section).label,
            "latest": latest,
        },
    )
