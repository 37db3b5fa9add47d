"""The reporter's side, with no account: keep a way back (choose a passphrase) right after an anonymous report,
then come back with the reference and passphrase to read the service's questions, answer, and — if they choose —
give their name so the report becomes theirs. Works without JavaScript; Exit this page ends it all."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.middleware import client_ip
from joinedup.followup import selectors, services
from joinedup.followup.domain.rules import PASSPHRASE_MIN, PASSPHRASE_RULES
from joinedup.followup.forms import ChooseForm, NamedForm, ReplyForm, UnlockForm
from joinedup.followup.handshake import SESSION_KEPT, SESSION_OFFER, SESSION_OPEN, way_back_kept
from joinedup.followup.models import FollowUp
from joinedup.followup.registry import door_for

PUBLIC_LAYOUT = {"public": True}


@sensitive_post_parameters("passphrase", "again")
@never_cache
@require_http_methods(["GET", "POST"])
def keep(request: HttpRequest) -> HttpResponse:
    offer = request.session.get(SESSION_OFFER)
    if not offer:
        kept = way_back_kept(request)
        return redirect("followup:kept") if kept else redirect("core:start")
    form = ChooseForm(request.POST if request.method == "POST" else None, reference=offer.get("reference", ""))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                follow_up = door_for(offer["kind"]).open_for(offer["subject"], form.cleaned_data["passphrase"])
            except InvalidInput as problem:
                for message in problem.fields.get("passphrase", [problem.message]):
                    form.add_error("passphrase", message)
            except Conflict:
                request.session.pop(SESSION_OFFER, None)
                return redirect("followup:kept")
            else:
                request.session.pop(SESSION_OFFER, None)
                request.session[SESSION_KEPT] = follow_up.reference
                return redirect("followup:kept")
        status = 400
    context = {
        **PUBLIC_LAYOUT,
        "form": form,
        "rules": PASSPHRASE_RULES,
        "minimum": PASSPHRASE_MIN,
        "reference": offer.get("reference", ""),
        "back": offer.get("back") or "/",
    }
    return render(request, "followup/keep.html", context, status=status)


@never_cache
def kept(request: HttpRequest) -> HttpResponse:
    reference = way_back_kept(request)
    if not reference:
        return redirect("core:start")
    return render(request, "followup/kept.html", {**PUBLIC_LAYOUT, "reference": reference})


def _too_many(request: HttpRequest, wait: services.TooManyTries) -> HttpResponse:
    response = render(
        request,
        "followup/too_many.html",
        {**PUBLIC_LAYOUT, "minutes": max(1, (wait.retry_after + 59) // 60)},
        status=429,
    )
    response["Retry-After"] = str(wait.retry_after)
    return response


@sensitive_post_parameters("passphrase")
@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                follow_up = services.follow_up_unlock(
                    reference=form.cleaned_data["reference"],
                    passphrase=form.cleaned_data["passphrase"],
                    address=client_ip(request),
                )
            except services.TooManyTries as wait:
                return _too_many(request, wait)
            except services.NoSuchFollowUp:
                # The same words for an unknown reference and a wrong passphrase: they say nothing of which.
                form.add_error("reference", "We cannot find a report with that reference and passphrase. Check both")
            else:
                # A new session id once the passphrase is proved, so one set before cannot ride on it.
                request.session.cycle_key()
                request.session[SESSION_OPEN] = str(follow_up.uuid)
                return redirect("followup:messages")
        status = 400
    return render(request, "followup/check.html", {**PUBLIC_LAYOUT, "form": form}, status=status)


def _opened(request: HttpRequest) -> FollowUp | None:
    value = request.session.get(SESSION_OPEN)
    return selectors.follow_up_by_uuid(str(value)) if value else None


@never_cache
@require_http_methods(["GET", "POST"])
def messages(request: HttpRequest) -> HttpResponse:
    follow_up = _opened(request)
    if follow_up is None:
        return redirect("followup:check")
    form = ReplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_reply(follow_up=follow_up, text=form.cleaned_data["text"])
            except services.TooManyTries as wait:
                return _too_many(request, wait)
            except InvalidInput as problem:
                form.add_error("text", problem.fields.get("text", [problem.message])[0])
            else:
                return redirect(f"{request.path}?sent=1")
        status = 400
    lines = selectors.reporter_lines(services.follow_up_messages_for_reporter(follow_up=follow_up, via="page"))
    context: dict[str, Any] = {
        **PUBLIC_LAYOUT,
        "form": form,
        "lines": lines,
        "reference": follow_up.reference,
        "named": follow_up.named_at is not None,
        "words": door_for(follow_up.kind).words,
        "sent": request.GET.get("sent") == "1",
        "just_named": request.GET.get("named") == "1",
    }
    return render(request, "followup/messages.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def named(request: HttpRequest) -> HttpResponse:
    follow_up = _opened(request)
    if follow_up is None:
        return redirect("followup:check")
    if follow_up.named_at is not None:
        return redirect("followup:messages")
    door = door_for(follow_up.kind)
    form = NamedForm(request.POST if request.method == "POST" else None, asks_who=door.asks_who)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_become_named(follow_up=follow_up, named=form.named())
            except InvalidInput as problem:
                for name, errors in problem.fields.items():
                    form.add_error(name if name in form.fields else None, errors[0])
            except Conflict:
                return redirect("followup:messages")
            else:
                return redirect(reverse("followup:messages") + "?named=1")
        status = 400
    context = {**PUBLIC_LAYOUT, "form": form, "asks_who": door.asks_who, "words": door.words}
    return render(request, "followup/named.html", context, status=status)
