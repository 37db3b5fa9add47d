"""Referral pages: the incoming inbox, answering a referral, the directory, and referring from a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.access import door
from joinedup.access.decision import decide, require
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases.selectors import case_get
from joinedup.consent.services import consent_cover
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.people.domain.contact import safe_contact_words
from joinedup.referrals import selectors, services
from joinedup.referrals.domain.suggestions import NEED_LABELS, consent_purpose_for
from joinedup.referrals.models import OPEN_STATUSES, Referral, ReferralStatus, Service

STATUS_FILTERS = ["sent", "overdue", "accepted", "declined", "completed", "withdrawn"]


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    wanted = request.GET.get("status")
    found = selectors.incoming(actor=user)
    if wanted in STATUS_FILTERS:
        found = found.filter(status=wanted)
    else:
        wanted = None
        found = found.filter(status__in=[ReferralStatus.SENT, ReferralStatus.OVERDUE, ReferralStatus.ACCEPTED])
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    door.read_list(user, objects=list(page), purpose="Incoming referrals", person_uuid_of=lambda r: r.case.person.uuid)
    return render(request, "referrals/inbox.html", {"page": page, "status": wanted, "statuses": STATUS_FILTERS})


class AcceptForm(GovUKForm):
    named_contact = forms.CharField(
        max_length=300, error_messages={"required": "Name the person who will contact them"}
    )


class DeclineForm(GovUKForm):
    reason = forms.CharField(max_length=5000, error_messages={"required": "Say why you are declining"})
    alternative_service = forms.ChoiceField(required=False, choices=[])
    alternative = forms.CharField(max_length=2000, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("alternative_service") and not str(data.get("alternative") or "").strip():
            self.add_error("alternative_service", "Suggest another service or route: a decline is never a dead end")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def referral_page(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = acting_user(request)
    referral, seen = selectors.referral_read(
        actor=user, referral_uuid=referral_id, purpose="Reading a referral sent to your agency"
    )
    can_respond = decide(user, "referral.respond", referral).allowed
    action = request.POST.get("action") if request.method == "POST" else None
    accept = AcceptForm(request.POST if action == "accept" else None)
    decline = DeclineForm(request.POST if action == "decline" else None)
    decline.fields["alternative_service"].choices = [("", "Choose a service")] + [  # type: ignore[attr-defined]
        (str(s.uuid), s.name) for s in Service.objects.filter(status="active").exclude(pk=referral.service_id)
    ]
    form = accept if action == "accept" else decline
    if action in {"accept", "decline"} and form.is_valid():
        try:
            if action == "accept":
                services.referral_accept(
                    actor=user, referral=referral, named_contact=form.cleaned_data["named_contact"]
                )
            else:
                alternative = (
                    Service.objects.filter(uuid=form.cleaned_data["alternative_service"]).first()
                    if form.cleaned_data["alternative_service"]
                    else None
                )
                services.referral_decline(
                    actor=user,
                    referral=referral,
                    reason=form.cleaned_data["reason"],
                    alternative_service=alternative,
                    alternative=form.cleaned_data["alternative"],
                )
        except (Conflict, InvalidInput) as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(
                request,
                "Referral accepted."
                if action == "accept"
                else "Referral declined; the key worker has it back as a task with your suggestion.",
            )
            return redirect("referrals:inbox")
    context = {
        "referral": referral,
        "seen": seen,
        "can_respond": can_respond,
        # The people working the case (not the receiving agency) may withdraw an open referral.
        "can_withdraw": referral.status in OPEN_STATUSES
        and not can_respond
        and decide(user, "case.view", referral.case).allowed,
        # The person's safe-contact rules, and nothing else of their record, before the agency accepts.
        "safe_contact": safe_contact_words(referral.case.person.safe_contact) if seen.sees("contact") else "",
        "accept": accept,
        "decline": decline,
        "form": form if action else None,
        "history": list(referral.history.select_related("actor")),
        "need_labels": NEED_LABELS,
    }
    return render(request, "referrals/referral.html", context, status=400 if action else 200)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    acting_user(request)
    q = (request.GET.get("q") or "").strip()
    need = request.GET.get("need") or ""
    found = Service.objects.filter(status="active").select_related("agency").order_by("name")
    if q:
        found = found.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(organization_name__icontains=q))
    listed = [s for s in found if not need or need in s.needs]
    return render(
        request,
        "referrals/directory.html",
        {"services": listed, "q": q, "need": need, "needs": list(NEED_LABELS.items())},
    )


class ReferForm(GovUKForm):
    reason = forms.CharField(max_length=5000, error_messages={"required": "Say why you are referring them"})
    urgency = forms.ChoiceField(
        choices=[("routine", "Routine (2 working days)"), ("urgent", "Urgent (1 working day)")],
        error_messages={"required": "Choose how urgent it is"},
    )
    error_anchor = {"urgency": "id_urgency"}


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, case_id: str, service_id: str) -> HttpResponse:
    user = acting_user(request)
    case = case_get(actor=user, case_uuid=case_id, purpose="Referring")
    service = Service.objects.select_related("agency").filter(uuid=service_id).first()
    if service is None:
        raise Http404("No such service")
    form = ReferForm(request.POST if request.method == "POST" else None, initial={"urgency": "routine"})
    if request.method == "POST" and form.is_valid():
        agency = casework_agency(user)
        try:
            if agency is None:
                raise InvalidInput("You do not do casework in any agency.")
            referral, sent = services.referral_send_once(
                actor=user,
                agency=agency,
                case=case,
                service=service,
                reason=form.cleaned_data["reason"],
                urgency=form.cleaned_data["urgency"],
            )
        except (Conflict, InvalidInput) as problem:
            form.add_error(None, problem.message)
        else:
            if not sent:
                # A double submit, or a colleague got there first: show the referral that is already open.
                messages.info(
                    request, f"{service.name} already has an open referral for them, so nothing new was sent."
                )
                return redirect("referrals:referral", referral_id=referral.uuid)
            messages.success(request, f"Referred to {service.name}. You will be told when they answer.")
            return redirect("cases:case", case_id=case.uuid)
    purpose = consent_purpose_for(service.needs or [])
    cover = (
        consent_cover(person=case.person, purpose=purpose, recipient=service.agency, service_id=service.uuid)
        if service.agency
        else None
    )
    return render(
        request,
        "referrals/refer.html",
        {"case": case, "service": service, "form": form, "cover": cover},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def signpost(request: HttpRequest, case_id: str, service_id: str) -> HttpResponse:
    user = acting_user(request)
    case = case_get(actor=user, case_uuid=case_id, purpose="Signposting")
    service = Service.objects.filter(uuid=service_id).first()
    if service is None:
        raise Http404("No such service")
    services.signpost_record(actor=user, case=case, service=service)
    messages.success(request, f"Recorded that they were given the details of {service.name}.")
    return redirect("cases:case", case_id=case.uuid)


def _referral_for_case_worker(user: Any, referral_id: str, purpose: str) -> Referral:
    """A referral as the people working the case see it (the key worker, the referrer's agency): 404 otherwise."""
    referral, _ = selectors.referral_read(actor=user, referral_uuid=referral_id, purpose=purpose)
    require(user, "case.view", referral.case, purpose=purpose)
    return referral


class WithdrawForm(GovUKForm):
    note = forms.CharField(max_length=2000, error_messages={"required": "Say why you are withdrawing it"})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = acting_user(request)
    referral = _referral_for_case_worker(user, referral_id, "Withdrawing a referral")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_withdraw(actor=user, referral=referral, note=form.cleaned_data["note"])
        except Conflict as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, f"Referral to {referral.service.name} withdrawn.")
            return redirect("referrals:referral", referral_id=referral.uuid)
    return render(
        request,
        "referrals/withdraw.html",
        {"referral": referral, "form": form},
        status=400 if request.method == "POST" else 200,
    )


class CompleteForm(GovUKForm):
    note = forms.CharField(max_length=2000, error_messages={"required": "Say what your service did"})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = acting_user(request)
    referral, _ = selectors.referral_read(actor=user, referral_uuid=referral_id, purpose="Completing a referral")
    require(user, "referral.respond", referral, purpose="Completing a referral")
    form = CompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_complete(actor=user, referral=referral, note=form.cleaned_data["note"])
        except Conflict as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, "Recorded as complete. The key worker has been told.")
            return redirect("referrals:referral", referral_id=referral.uuid)
    return render(
        request,
        "referrals/complete.html",
        {"referral": referral, "form": form},
        status=400 if request.method == "POST" else 200,
    )
