"""My support: the person's own pages. Plain words, a neutral name, quick exit on every page, nothing cached, and
every read through the one door (their own record only)."""

from __future__ import annotations

import time
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
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from sesame import settings as sesame_settings
from sesame.utils import get_user

from joinedup.access.decision import NotVisible
from joinedup.accounts import services as account_services
from joinedup.accounts.domain.second_factor import passkey_change_allowed, second_factor_asked_at_sign_in
from joinedup.accounts.domain.sessions import SessionEnd
from joinedup.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from joinedup.accounts.models import User
from joinedup.accounts.second_factor import SECOND_FACTOR_DUE, has_passkey, passkey_script_config
from joinedup.accounts.selectors import acting_user, agencies_to_choose, agency_by_uuid
from joinedup.cases.domain.safety_plan import PERSON_LABELS, PRACTICAL_STEPS, STANDING_NUMBERS
from joinedup.cases.safety import current_version, plan_from_json, safety_plan_save
from joinedup.consent import selectors as consent_selectors
from joinedup.consent import services as consent_services
from joinedup.consent.domain.rules import SELF_CHOICES, self_choice
from joinedup.consent.presenters import consent_rows
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.core.middleware import client_ip
from joinedup.harm import selectors as harm_selectors
from joinedup.portal import presenters, selectors, services, tasks
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


def _safe_next(request: HttpRequest) -> str:
    """Onwards within My support only (a `next` from anywhere else goes home)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    own = target == "/my" or target.startswith(("/my/", "/my?"))
    if own and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("portal:home")


def _ways_back_in(request: HttpRequest) -> dict[str, Any]:
    """What the signed-out page and a link that no longer works offer: their passkey (with JavaScript), a new
    link by email, or their key worker."""
    return {
        "passkey_config": passkey_script_config(
            request,
            begin_authentication=reverse("portal:passkey_sign_in_begin"),
            complete_authentication=reverse("portal:passkey_sign_in_complete"),
        ),
        "minutes": services.link_minutes(),
    }


def _used_passkey(request: HttpRequest) -> bool:
    """Did they use a passkey in this sign-in (django-otp marks the session verified)?"""
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """The one-time link: short-lived, single use. A used or expired link says so, and offers the other ways in.
    When the person chose "ask for my passkey too", the link alone is not enough: their passkey comes next.

    Opening the link (GET) only shows a button; pressing it (POST) signs in and spends the link. Email security
    scanners open every link in a message before the person does, and would otherwise spend it for them."""
    user = get_user(request, scope=services.SIGN_IN_SCOPE, update_last_login=False)
    account = selectors.my_account(user=user) if user is not None else None
    if user is None or account is None:
        if sesame_settings.TOKEN_NAME in request.GET:
            reason = "link_spent" if user is None else "place_switched_off"
            account_services.person_sign_in_failed_recorded(reason=reason, user=user)
        return _render(request, "portal/link_expired.html", _ways_back_in(request), status=400)
    if request.method == "GET":
        return _render(request, "portal/sign_in_continue.html", {"action": request.get_full_path()})
    login(request, user)  # updates the last sign-in, which spends the single-use link
    due = second_factor_asked_at_sign_in(
        person=True,
        required_by_setting=False,
        has_second_factor=has_passkey(user),
        asks_passkey_with_link=account.asks_passkey_with_link,
        signed_in_with="link",
    )
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    if due:
        request.session[SECOND_FACTOR_DUE] = True
    if request.session.session_key is None:
        request.session.save()
    account_services.person_sign_in_recorded(
        user=user, session_key=request.session.session_key, method="link", second_factor_due=due
    )
    if due:
        return redirect(f"{reverse('portal:passkey_check')}?next={reverse('portal:home')}")
    return redirect("portal:home")


@never_cache
def signed_out(request: HttpRequest) -> HttpResponse:
    ended = request.GET.get("ended") in {e.value for e in SessionEnd}
    return _render(request, "portal/signed_out.html", {**_ways_back_in(request), "ended": ended})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        account_services.sign_out_recorded(user=request.user, session_key=request.session.session_key)
    logout(request)
    return redirect("portal:signed_out")


class NewLinkForm(GovUKForm):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter your email address, like name@example.com",
            "max_length": "Enter your email address, like name@example.com",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """Email me a new link. The answer is the same whether or not the address matched (new_link_sent)."""
    form = NewLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.new_link_request(
            email=form.cleaned_data["email"],
            client=client_ip(request) or "unknown",
            site_url=request.build_absolute_uri("/"),
            send=tasks.send_new_link.enqueue,
        )
        return redirect("portal:new_link_sent")
    return _render(
        request,
        "portal/new_link.html",
        {"form": form, "minutes": services.link_minutes()},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def new_link_sent(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/new_link_sent.html", {"minutes": services.link_minutes()})


class PasskeyRemoveForm(GovUKForm):
    passkey = forms.IntegerField(min_value=1, error_messages={"required": "Choose a passkey to remove"})


class PasskeyCheckForm(GovUKForm):
    ask = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], error_messages={"required": "Choose yes or no"})


@person_page
@require_http_methods(["GET", "POST"])
def passkeys(request: HttpRequest) -> HttpResponse:
    """Sign in faster on this phone: add a passkey (JavaScript needed; without it, links still work), see and
    remove them, and choose to be asked for it after a link too."""
    user = acting_user(request)
    account = selectors.my_account(user=user)
    if account is None:
        raise NotVisible("No place")
    used = _used_passkey(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                form = PasskeyRemoveForm(request.POST)
                if form.is_valid():
                    off = services.passkey_remove(
                        actor=user, passkey_id=form.cleaned_data["passkey"], used_passkey=used
                    )
                    messages.success(
                        request,
                        "Done. That passkey is removed."
                        + (" We will not ask for a passkey after a link now." if off else ""),
                    )
            elif action == "ask":
                form_ask = PasskeyCheckForm(request.POST)
                if form_ask.is_valid():
                    on = form_ask.cleaned_data["ask"] == "yes"
                    services.passkey_check_set(actor=user, on=on, used_passkey=used)
                    messages.success(
                        request,
                        "Done. After a link, we will ask for your passkey too."
                        if on
                        else "Done. A link alone will sign you in.",
                    )
        except Conflict as problem:
            messages.info(request, problem.message)
        return redirect("portal:passkeys")
    found = presenters.passkey_rows(user)
    return _render(
        request,
        "portal/passkeys.html",
        {
            "passkeys": found,
            "asks": account.asks_passkey_with_link,
            "may_change": passkey_change_allowed(has_passkey=bool(found), used_passkey_this_sign_in=used),
            "passkey_config": passkey_script_config(request),
        },
    )


@person_page
def passkey_check(request: HttpRequest) -> HttpResponse:
    """Their passkey after a link (when they chose that), or before changing their passkeys. On their own
    place's page — neutral name, quick exit — never the practitioners' second-factor pages."""
    user = acting_user(request)
    onwards = _safe_next(request)
    if _used_passkey(request) or not has_passkey(user):
        request.session.pop(SECOND_FACTOR_DUE, None)
        return redirect(onwards)
    return _render(
        request,
        "portal/passkey_check.html",
        {
            "next": onwards,
            "passkey_config": passkey_script_config(request),
            "after_link": SECOND_FACTOR_DUE in request.session,
            # Still owing their passkey: the menu would only lead back here.
            "hide_menu": SECOND_FACTOR_DUE in request.session,
        },
    )


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
    shown = [row for row in consent_rows(consent_selectors.consents_for(person=person)) if row.current]
    return _render(request, "portal/consents.html", {"consents": shown})


class AgreeWhatForm(GovUKForm):
    error_anchor = {"choice": "id_choice"}
    choice = forms.ChoiceField(
        choices=[(c.slug, c.words) for c in SELF_CHOICES], error_messages={"required": "Choose what you agree to"}
    )


class AgreeWhoForm(GovUKForm):
    error_anchor = {"recipient": "id_recipient"}
    recipient = forms.CharField(required=False)


@person_page
@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest) -> HttpResponse:
    """Agree to something new, first step: what. Nothing is recorded until they choose who and say yes."""
    selectors.my_person(user=acting_user(request), purpose="Agreeing to something new")
    form = AgreeWhatForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect("portal:agree_who", slug=form.cleaned_data["choice"])
    return _render(
        request,
        "portal/agree.html",
        {"form": form, "choices": SELF_CHOICES},
        status=400 if request.method == "POST" else 200,
    )


@person_page
@require_http_methods(["GET", "POST"])
def agree_who(request: HttpRequest, slug: str) -> HttpResponse:
    """Second step: who (or, for the safety meeting, yes to every service there), then it is recorded."""
    user = acting_user(request)
    person, _ = selectors.my_person(user=user, purpose="Agreeing to something new")
    choice = self_choice(slug)
    if choice is None:
        return redirect("portal:agree")
    form = AgreeWhoForm(request.POST if request.method == "POST" else None)
    agencies = [] if choice.meeting else agencies_to_choose(kinds=choice.recipient_kinds)
    if request.method == "POST" and form.is_valid():
        picked = None if choice.meeting else agency_by_uuid(form.cleaned_data["recipient"] or "")
        if picked is not None and picked not in agencies:
            picked = None
        try:
            services.consent_give(actor=user, person=person, choice_slug=slug, recipient=picked)
        except InvalidInput as problem:
            for field, errors in (problem.fields or {"recipient": [problem.message]}).items():
                form.add_error("recipient" if field == "recipient" else None, errors[0])
        except Conflict as problem:
            messages.info(request, problem.message)
            return redirect("portal:consents")
        else:
            messages.success(request, "Done. Your key worker has been told. You can take it back at any time.")
            return redirect("portal:consents")
    return _render(
        request,
        "portal/agree_who.html",
        {"form": form, "choice": choice, "agencies": agencies},
        status=400 if request.method == "POST" else 200,
    )


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
