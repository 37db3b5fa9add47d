from __future__ import annotations

import time
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import services, throttles
from joinedup.accounts.domain.sessions import SessionEnd
from joinedup.accounts.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SecondFactorCodeForm,
    SetPasswordForm,
    SignInForm,
)
from joinedup.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from joinedup.accounts.models import User
from joinedup.accounts.second_factor import (
    FRESH_RECOVERY_CODES,
    SECOND_FACTOR_DUE,
    has_passkey,
    has_second_factor,
    is_person_account,
    passkey_script_config,
    second_factor_due,
    seconds_to_wait,
)
from joinedup.core.domain.partnership import normalise_email
from joinedup.core.errors import ServiceError
from joinedup.core.middleware import client_ip


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(viewname: str, next_url: str) -> str:

    return f"{reverse(viewname)}?{urlencode({'next': next_url})}"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        refused = throttles.sign_in_refused_because(ip=client_ip(request), email=normalise_email(email))
        if refused:
            services.sign_in_failed_recorded(email=email, locked_out=True, because=refused)
            return locked_out(request, because=refused)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            services.sign_in_failed_recorded(email=email, locked_out=True)
            return locked_out(request)
        if isinstance(user, User) and user.is_active:
            due = second_factor_due(user)
            login(request, user)
            now = time.time()
            request.session[SIGNED_IN_AT] = now
            request.session[LAST_SEEN_AT] = now
            if due:
                request.session[SECOND_FACTOR_DUE] = True
            if request.session.session_key is None:
                request.session.save()
            services.sign_in_recorded(user=user, session_key=request.session.session_key, second_factor_due=due)
            if due:
                step = "accounts:second_factor" if has_second_factor(user) else "accounts:second_factor_set_up"
                return HttpResponseRedirect(_with_next(step, _safe_next(request)))
            return HttpResponseRedirect(_safe_next(request))
        services.sign_in_failed_recorded(email=email, locked_out=False)
        # The same message for a wrong address and a wrong password: sign-in must not reveal accounts.
        form.add_error("email", "Enter a correct email address and password")
    status = 400 if request.method == "POST" else 200
    ended = request.GET.get("ended")
    context = {
        "form": form,
        "next": _safe_next(request),
        "ended": SessionEnd(ended).reason if ended in {e.value for e in SessionEnd} else "",
    }
    return render(request, "accounts/sign_in.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        services.sign_out_recorded(user=request.user, session_key=request.session.session_key)
    logout(request)
    return redirect("accounts:signed_out")


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


def locked_out(request: HttpRequest, *args: Any, because: str = "account_and_address", **kwargs: Any) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes, "because": because}, status=429)


def _account(request: HttpRequest) -> User:
    """The signed-in practitioner's account (the views below are all behind login_required). A person's own
    account has its own page for passkeys in My support; these practitioners' pages are not theirs (404)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    if is_person_account(request.user):
        raise Http404("Not a practitioner's account")
    return request.user


# The second factor ------------------------------------------------------------------------------------------


def _second_factor_given(request: HttpRequest, user: User, *, method: str, device: Any) -> None:
    otp_login(request, device)
    request.session.pop(SECOND_FACTOR_DUE, None)
    left = None
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
    services.second_factor_verified_recorded(user=user, method=method, recovery_codes_left=left)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The step after the password: a code from the app, a recovery code, or a passkey."""
    user = _account(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_safe_next(request))
    if not has_second_factor(user):
        return HttpResponseRedirect(_with_next("accounts:second_factor_set_up", _safe_next(request)))
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wait = seconds_to_wait(user)  # before trying: a device still waiting refuses even the right code
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            method = "recovery code" if isinstance(device, StaticDevice) else "authenticator app"
            _second_factor_given(request, user, method=method, device=device)
            return HttpResponseRedirect(_safe_next(request))
        services.second_factor_failed_recorded(user=user)
        form.add_error(
            "code",
            f"Too many wrong codes. Wait {wait} second{'s' if wait != 1 else ''}, then enter the code your app shows"
            if wait
            else "The code is not right. Enter the code your app shows now, or a recovery code",
        )
    passkey = has_passkey(user)
    context = {
        "form": form,
        "next": _safe_next(request),
        "passkey": passkey,
        "passkey_config": passkey_script_config(request) if passkey else {},
    }
    return render(request, "accounts/second_factor.html", context, status=400 if form.errors else 200)


def _qr_svg(text: str) -> str:
    # Inline SVG with no style attribute (the CSP forbids inline styles); dark modules on white, with the quiet
    # zone QR readers need.
    svg = segno.make(text, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", border=4)
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a passkey, with JavaScript). Someone who already has a second factor must
    give it first: a stolen password alone must never be enough to add a new one."""
    user = _account(request)
    if has_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_with_next("accounts:second_factor", _safe_next(request)))
    device = services.second_factor_totp_start(actor=user)
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_totp_confirm(actor=user, device=device, code=form.cleaned_data["code"])
        except ServiceError as error:
            form.add_error("code", error.fields.get("code", [error.message])[0])
        else:
            if not user.is_verified():  # type: ignore[attr-defined]
                _second_factor_given(request, user, method="authenticator app", device=device)
            if codes:
                request.session[FRESH_RECOVERY_CODES] = codes
                return HttpResponseRedirect(_with_next("accounts:recovery_codes", _safe_next(request)))
            return HttpResponseRedirect(_safe_next(request))
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": _safe_next(request),
        "qr_svg": _qr_svg(device.config_url),
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        "first_time": not has_second_factor(user),
        # Where the passkey script carries on to: the recovery codes a first second factor brings, else onwards.
        "recovery_codes_url": (
            _with_next("accounts:recovery_codes", _safe_next(request))
            if not has_second_factor(user)
            else _safe_next(request)
        ),
        "passkey_config": passkey_script_config(request),
    }
    return render(request, "accounts/second_factor_set_up.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes are shown once, straight after they are made; afterwards only new ones can be made."""
    user = _account(request)
    verified = user.is_verified()  # type: ignore[attr-defined]
    if request.method == "POST":
        if not (verified and has_second_factor(user)):
            return HttpResponseRedirect(_with_next("accounts:second_factor", reverse("accounts:security")))
        request.session[FRESH_RECOVERY_CODES] = services.recovery_codes_replace(actor=user)
        return HttpResponseRedirect(_with_next("accounts:recovery_codes", reverse("accounts:security")))
    codes = request.session.pop(FRESH_RECOVERY_CODES, None) if verified else None
    context = {"codes": codes, "next": _safe_next(request), "can_replace": verified and has_second_factor(user)}
    return render(request, "accounts/recovery_codes.html", context)


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The practitioner's own sign-in settings: password, second factor, recovery codes."""
    user = _account(request)
    context = {
        "apps": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        "passkeys": has_passkey(user),
        "recovery_codes_left": sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user)),
        "has_second_factor": has_second_factor(user),
        "required": settings.JOINEDUP_REQUIRE_SECOND_FACTOR,
    }
    return render(request, "accounts/security.html", context)


# Passwords: Django's views, in GOV.UK pages, audited ----------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: DjangoPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed_recorded(user=form.user, by_reset=False)
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        return response

    def form_invalid(self, form: DjangoPasswordChangeForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Always the same answer, whether or not the address has an account. Links are sent at most
    PASSWORD_RESET_RATE times an hour per address and per IP address (shared cache), against mail-bombing."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: DjangoPasswordResetForm) -> HttpResponse:
        if not isinstance(form, PasswordResetForm):  # pragma: no cover — form_class says so
            raise TypeError(type(form))
        email = normalise_email(form.cleaned_data["email"])
        limit = int(settings.PASSWORD_RESET_RATE)
        ip = client_ip(self.request) or "unknown"
        allowed = throttles.allow(f"reset-ip:{ip}", limit=limit * 5, window_seconds=3600) and throttles.allow(
            f"reset-email:{email}", limit=limit, window_seconds=3600
        )
        known = any(True for _ in form.get_users(email))
        response = super().form_valid(form) if allowed else HttpResponseRedirect(self.get_success_url())
        services.password_reset_requested_recorded(sent=known and allowed)
        return response

    def form_invalid(self, form: DjangoPasswordResetForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: DjangoSetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed_recorded(user=self.user, by_reset=True)  # type: ignore[arg-type]
        return response

    def form_invalid(self, form: DjangoSetPasswordForm[User]) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
