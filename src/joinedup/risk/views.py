"""The partnership's risk thresholds: see the version in force, publish a new one (lead partner admins)."""

from __future__ import annotations

from dataclasses import asdict, fields

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from joinedup.access.decision import require
from joinedup.accounts.models import Agency
from joinedup.accounts.selectors import acting_user
from joinedup.core.errors import InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.risk.domain.rules import Thresholds
from joinedup.risk.models import RiskRuleSetVersion
from joinedup.risk.services import risk_rule_set_publish, rule_set_in_force

LABELS = {
    "potential_escalation_incidents": ("Panel: incidents for potential escalation", "Default 3"),
    "potential_escalation_days": ("Panel: over this many days", "Default 365"),
    "repeat_days": ("Panel: a repeat is a new incident within this many days of the last referral", "Default 365"),
    "case_review_complaints": ("ASB case review: complaints", "Default 3"),
    "case_review_days": ("ASB case review: over this many days", "Default 183 (six months)"),
    "same_incident_days": ("Reports to several agencies this many days apart count once", "Default 2"),
    "medium_score": ("Score for medium risk", "Default 4"),
    "high_score": ("Score for high risk", "Default 8"),
    "escalation_window_days": ("Escalation: three incidents within this many days", "Default 90"),
}


class ThresholdsForm(GovUKForm):
    version = forms.CharField(max_length=20, error_messages={"required": "Enter a version, like 2026.2"})
    effective_from = forms.DateField(
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"required": "Enter the date it takes effect", "invalid": "Enter the date like 1/4/2027"},
    )
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for f in fields(Thresholds):
            self.fields[f.name] = forms.IntegerField(
                min_value=1,
                max_value=3650,
                error_messages={
                    "required": f"Enter a number for: {LABELS[f.name][0].lower()}",
                    "invalid": "Enter a whole number",
                    "min_value": "Enter 1 or more",
                    "max_value": "Enter 3650 or less",
                },
            )


@login_required
@require_http_methods(["GET", "POST"])
def thresholds(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    lead = Agency.objects.filter(is_lead_partner=True).first()
    require(user, "agency.manage", lead, purpose="Risk thresholds")
    current = rule_set_in_force()
    initial = {**asdict(current.thresholds), "effective_from": timezone.localdate().strftime("%d/%m/%Y")}
    form = ThresholdsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {f.name: form.cleaned_data[f.name] for f in fields(Thresholds)}
            try:
                row = risk_rule_set_publish(
                    actor=user,
                    version=form.cleaned_data["version"],
                    effective_from=form.cleaned_data["effective_from"],
                    thresholds=values,
                    note=form.cleaned_data["note"],
                )
            except InvalidInput as problem:
                for name, problems in problem.fields.items():
                    form.add_error(name if name in form.fields else None, problems[0])
            else:
                messages.success(
                    request, f"Risk thresholds {row.version} published, in force from {row.effective_from:%d %B %Y}."
                )
                return redirect("risk:thresholds")
        status = 400
    context = {
        "form": form,
        "current": current,
        "labels": LABELS,
        "versions": RiskRuleSetVersion.objects.all()[:20],
        "names": [f.name for f in fields(Thresholds)],
    }
    return render(request, "risk/thresholds.html", context, status=status)
