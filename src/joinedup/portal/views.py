"""My support: the person's own pages. Plain words, a neutral name, quick exit on every page, nothing cached, and
every read through the one door (their own record only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from sesame.utils import get_user

from joinedup.access.decision import NotVisible
from joinedup.accounts.selectors import acting_user
from joinedup.cases.domain.safety_plan import PERSON_LABELS, PRACTICAL_STEPS, STANDING_NUMBERS
from joinedup.cases.safety import current_version, plan_from_json, safety_plan_save
from joinedup.consent import selectors as consent_selectors
from joinedup.consent import services as consent_services
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.harm import selectors as harm_selectors
from joinedup.portal import presenters, selectors, services
from joinedup.referrals import selectors as referral_selectors

PORTAL = {"service_name": services.NEUTRAL_NAME, "public": True, "portal": True}


def person_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in as a person with their own place; never cached, on any device."""

    @wraps(view)
    @never_cache
    @login_required(login_url="portal:signed_out")
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**PORTAL, **context}, status=status)


@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """The one-time link: short-lived, single use. A used or expired link says so, and what to do."""
    user = get_user(request, scope=services.SIGN_IN_SCOPE, update_last_login=False)
    if user is None or not hasattr(user, "portal") or user.portal.revoked_at is not None:
        return _render(request, "portal/link_expired.html", {}, status=400)
    login(request, user)  # updates the last sign-in, which spends the single-use link
    return redirect("portal:home")


@never_cache
def signed_out(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/signed_out.html", {})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:signed_out")


@person_page
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    person, case = selectors.my_person(user=user, purpose="Looking at my support")
    return _render(request, "portal/home.html", {"h": presenters.home(person, case), "today": timezone.localdate()})


@person_page
def story(request: HttpRequest) -> HttpResponse:
    person, _ = selectors.my_person(user=acting_user(request), purpose="Looking at what has happened")
    return _render(request, "portal/story.html", {"items": presenters.story(person)})


@person_page
def who_looked(request: HttpRequest) -> HttpResponse:
    person, _ = selectors.my_person(user=acting_user(request), purpose="Seeing who looked at my record")
    return _render(request, "portal/who_looked.html", {"looks": presenters.who_looked(person)})


class WithdrawForm(GovUKForm):
    consent = forms.UUIDField(error_messages={"required": "Choose what to stop", "invalid": "Choose what to stop"})


@person_page
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    person, case = selectors.my_person(user=user, purpose="Looking at what I agreed to")
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            consent = consent_selectors.consent_of(person=person, consent_uuid=str(form.cleaned_data["consent"]))
            if consent is None:
                raise NotVisible("Not found")
            try:
                consent_services.consent_withdraw(
                    actor=user,
                    agency=case.key_worker_agency if case else consent.recorded_by_agency,
                    consent=consent,
                    note="They withdrew it themselves",
                )
            except (Conflict, InvalidInput) as problem:
                messages.error(request, problem.message)
            else:
                messages.success(request, "Done. You have taken that back. It stops now.")
        return redirect("portal:consents")
    shown = [
        (c, consent_services.consent_for_words(c))
        for c in consent_selectors.consents_for(person=person)
        if c.decision == "given" and c.withdrawn_at is None
    ]
    return _render(request, "portal/consents.html", {"consents": shown})


class MessageForm(GovUKForm):
    text = forms.CharField(max_length=5000, strip=False, error_messages={"required": "Write your message"})


@person_page
@require_http_methods(["GET", "POST"])
def message_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    person, case = selectors.my_person(user=user, purpose="Reading my messages")
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(actor=user, person=person, text=form.cleaned_data["text"], from_person=True)
        except (InvalidInput, Conflict) as problem:
            form.add_error("text", problem.message)
        else:
            messages.success(request, "Sent. Your key worker has been told there is a message.")
            return redirect("portal:messages")
    status = 400 if request.method == "POST" else 200
    return _render(
        request,
        "portal/messages.html",
        {"form": form, "messages_": selectors.messages_of(person=person), "case": case},
        status=status,
    )


class TellForm(GovUKForm):
    text = forms.CharField(max_length=5000, strip=False, error_messages={"required": "Tell us what happened"})


@person_page
@require_http_methods(["GET", "POST"])
def tell_us(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    person, _ = selectors.my_person(user=user, purpose="Telling us something new")
    form = TellForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tell(actor=user, person=person, text=form.cleaned_data["text"])
        except (InvalidInput, Conflict) as problem:
            form.add_error("text", problem.message)
        else:
            messages.success(request, "Thank you. It is now part of your record, in your words.")
            return redirect("portal:home")
    return _render(request, "portal/tell_us.html", {"form": form}, status=400 if request.method == "POST" else 200)


class MyPlanForm(GovUKForm):
    warning_signs = forms.CharField(max_length=4000, required=False, strip=False)
    safe_places_and_people = forms.CharField(max_length=4000, required=False, strip=False)
    what_i_will_do = forms.CharField(max_length=4000, required=False, strip=False)


@person_page
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _person, case = selectors.my_person(user=user, purpose="Looking at my safety plan")
    version = current_version(case=case) if case else None
    now = plan_from_json(version.content if version else None)
    form = MyPlanForm(
        request.POST if request.method == "POST" else None,
        initial={p: getattr(now, p) for p in PERSON_LABELS},
    )
    if request.method == "POST" and form.is_valid() and case is not None:
        try:
            safety_plan_save(actor=user, case=case, plan=replace(now, **form.cleaned_data), by_person=True)
        except (InvalidInput, Conflict) as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, "Saved. Your key worker can see your changes.")
            return redirect("portal:plan")
    return _render(
        request,
        "portal/plan.html",
        {
            "form": form,
            "plan": now,
            "labels": PERSON_LABELS,
            "steps": PRACTICAL_STEPS,
            "standing": STANDING_NUMBERS,
            "case": case,
            "version": version,
        },
        status=400 if request.method == "POST" else 200,
    )


@person_page
def referrals(request: HttpRequest) -> HttpResponse:
    _person, case = selectors.my_person(user=acting_user(request), purpose="Looking at who was asked to help")
    found = referral_selectors.referrals_of(case=case) if case else []
    return _render(request, "portal/referrals.html", {"referrals": found})


@person_page
def harm_reports(request: HttpRequest) -> HttpResponse:
    """What they told us about a service that harmed them: where each report is, and the words meant for them."""
    person, _case = selectors.my_person(user=acting_user(request), purpose="Following what I told you about services")
    return _render(request, "portal/harm_reports.html", {"reports": harm_selectors.reports_for_person(person=person)})
