"""Referral pages: the incoming inbox, answering a referral, the directory, and referring from a case."""

from __future__ import annotations

from dataclasses import dataclass
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
from joinedup.access.decision import actor_facts, decide, require
from joinedup.access.domain.minimum import agency_name_groups
from joinedup.accounts.models import Agency
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.cases.selectors import case_get, case_read
from joinedup.consent.services import consent_cover
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.people import linked
from joinedup.people.domain.contact import safe_contact_words
from joinedup.referrals import selectors, services
from joinedup.referrals.domain.suggestions import (
    INFORMATION_GROUPS,
    INFORMATION_WORKING_DAYS,
    NEED_LABELS,
    consent_purpose_for,
)
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


class AnswerForm(GovUKForm):
    information = forms.CharField(
        max_length=20000,
        error_messages={"required": "Write the information you can share, or decline the request with a reason"},
    )


class InformationDeclineForm(GovUKForm):
    """Declining a request for information: a reason, and another way to find out (never a dead end)."""

    reason = forms.CharField(max_length=5000, error_messages={"required": "Say why you are declining"})
    alternative = forms.CharField(
        max_length=2000,
        error_messages={"required": "Say where else they could find this out: a decline is never a dead end"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_page(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = acting_user(request)
    referral, seen = selectors.referral_read(
        actor=user, referral_uuid=referral_id, purpose="Reading a referral sent to your agency"
    )
    can_respond = decide(user, "referral.respond", referral).allowed
    action = request.POST.get("action") if request.method == "POST" else None
    information = referral.is_information_request
    accept = AcceptForm(request.POST if action == "accept" and not information else None)
    answer = AnswerForm(request.POST if action == "answer" and information else None)
    decline: GovUKForm
    if information:
        decline = InformationDeclineForm(request.POST if action == "decline" else None)
    else:
        decline = DeclineForm(request.POST if action == "decline" else None)
        decline.fields["alternative_service"].choices = [("", "Choose a service")] + [  # type: ignore[attr-defined]
            (str(s.uuid), s.name) for s in Service.objects.filter(status="active").exclude(referrals__pk=referral.pk)
        ]
    form = {"accept": accept, "answer": answer}.get(action or "", decline)
    if action in {"accept", "decline", "answer"} and form.is_bound and form.is_valid():
        try:
            if action == "accept":
                services.referral_accept(
                    actor=user, referral=referral, named_contact=form.cleaned_data["named_contact"]
                )
            elif action == "answer":
                services.information_request_answer(
                    actor=user, referral=referral, information=form.cleaned_data["information"]
                )
            else:
                alternative = (
                    Service.objects.filter(uuid=form.cleaned_data["alternative_service"]).first()
                    if form.cleaned_data.get("alternative_service")
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
            done = {
                "accept": "Referral accepted.",
                "answer": "Answer sent. The key worker has been told.",
                "decline": f"{'Request' if information else 'Referral'} declined; the key worker has it back as a "
                "task with your suggestion.",
            }
            messages.success(request, done[action or "decline"])
            return redirect("referrals:inbox")
    shows_answer = bool(referral.information) and (can_respond or seen.shows(INFORMATION_GROUPS))
    context = {
        "referral": referral,
        "seen": seen,
        "can_respond": can_respond,
        "answer": answer,
        # A request for information: the receiving agency is told its own references for the records linkage
        # matched, so it can find them; the answer is the agency's words, for full readers only.
        "references": linked.agency_references(referral.case.person, referral.to_agency_id)
        if information and can_respond
        else [],
        "identity": referral.case.person if information and seen.sees("identity") else None,
        "shows_answer": shows_answer,
        "answer_held": bool(referral.information) and not shows_answer,
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
            messages.success(request, f"{referral.title} withdrawn.")
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


# ---------------------------------------------------------------- asking other agencies for information


@dataclass(frozen=True)
class AgencyToAsk:
    """One agency believed to hold records of the person, as the asking page shows it: why we think so, whether
    the person's consent (or a sharing decision) already covers sharing with it, and any request still open."""

    agency: Agency
    reason: str
    covered: bool
    cover_words: str
    open_request: Referral | None


class AskForm(GovUKForm):
    agencies = forms.MultipleChoiceField(choices=[], error_messages={"required": "Choose at least one agency to ask"})
    question = forms.CharField(
        max_length=5000, error_messages={"required": "Say what you want to know, and why you need to know it"}
    )
    urgency = forms.ChoiceField(
        choices=[("routine", "Routine"), ("urgent", "Urgent")], error_messages={"required": "Choose how urgent it is"}
    )
    consent_decision = forms.ChoiceField(
        required=False, choices=[("given", "Yes, they agree"), ("refused", "No, they do not agree")]
    )
    has_capacity = forms.ChoiceField(required=False, choices=[("yes", "Yes"), ("no", "No")])
    capacity_note = forms.CharField(max_length=2000, required=False)
    error_anchor = {
        "agencies": "id_agencies",
        "urgency": "id_urgency",
        "consent_decision": "id_consent_decision",
        "has_capacity": "id_has_capacity",
    }

    def __init__(self, *args: Any, to_ask: list[AgencyToAsk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.to_ask = {str(a.agency.uuid): a for a in to_ask}
        self.fields["agencies"].choices = [  # type: ignore[attr-defined]
            (key, a.agency.name) for key, a in self.to_ask.items() if a.open_request is None
        ]

    def uncovered_chosen(self) -> list[Agency]:
        chosen = [self.to_ask[key] for key in self.cleaned_data.get("agencies", [])]
        return [item.agency for item in chosen if not item.covered]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.uncovered_chosen():
            # Asked in place: consent is per recipient, and every agency here not yet covered needs the person's
            # own answer (or a lead's decision to share without consent, recorded on the consent page).
            if not data.get("consent_decision"):
                self.add_error("consent_decision", "Say whether they agree to sharing with the agencies you ask")
            if not data.get("has_capacity"):
                self.add_error("has_capacity", "Say whether they can make this decision")
            if not str(data.get("capacity_note") or "").strip():
                self.add_error(
                    "capacity_note",
                    "Say how you supported them to decide (for example easy read, an advocate, time to think)",
                )
        return data


def _agencies_to_ask(user: Any, case: Any, seen: door.Seen) -> tuple[list[AgencyToAsk], int]:
    """The agencies this reader may be told of and ask, and how many more were counted but not named to them."""
    found = linked.agencies_elsewhere(case.person, reader_agencies=actor_facts(user).agency_ids)
    shown = [a for a in found if seen.shows(agency_name_groups(a.kind))]
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=[a.agency_id for a in shown])}
    open_requests = {r.to_agency_id: r for r in selectors.open_information_requests(case=case)}
    to_ask = []
    for item in shown:
        agency = agencies[item.agency_id]
        cover = consent_cover(person=case.person, purpose="share_with_agency", recipient=agency)
        to_ask.append(
            AgencyToAsk(
                agency=agency,
                reason=item.reason,
                covered=cover.covered,
                cover_words=_cover_words(cover.basis, agency.name),
                open_request=open_requests.get(agency.pk),
            )
        )
    return to_ask, len(found) - len(shown)


def _cover_words(basis: str, name: str) -> str:
    if basis == "consent":
        return f"They agreed to sharing with {name}."
    if basis == "sharing_decision":
        return f"A lead decided to share with {name} without consent."
    if basis == "refused":
        return f"They said no to sharing with {name}: ask them again only if things have changed."
    return f"Not agreed yet: ask them below whether they agree to sharing with {name}."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, case_id: str) -> HttpResponse:
    """Known to other agencies: ask them for information, with the person's consent asked in place."""
    user = acting_user(request)
    case, seen = case_read(actor=user, case_uuid=case_id, purpose="Asking other agencies for information")
    require(user, "person.links.view", seen.facts or case.person, purpose="Asking other agencies for information")
    to_ask, held = _agencies_to_ask(user, case, seen)
    form = AskForm(request.POST if request.method == "POST" else None, to_ask=to_ask, initial={"urgency": "routine"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        agency = casework_agency(user)
        consent = (
            services.ConsentAsked(
                decision=d["consent_decision"], has_capacity=d["has_capacity"] == "yes", note=d["capacity_note"]
            )
            if form.uncovered_chosen()
            else None
        )
        try:
            if agency is None:
                raise InvalidInput("You do not do casework in any agency.")
            if case.status != "open":
                raise Conflict("This case is closed: nothing can be sent from it.", code="case_closed")
            asked = services.information_requests_send(
                actor=user,
                agency=agency,
                case=case,
                to_agencies=[form.to_ask[key].agency for key in d["agencies"]],
                question=d["question"],
                urgency=d["urgency"],
                consent=consent,
            )
        except (Conflict, InvalidInput) as problem:
            _place(form, problem)
        else:
            for line in _asked_words(asked):
                messages.success(request, line)
            return redirect("cases:case", case_id=case.uuid)
    return render(
        request,
        "referrals/ask.html",
        {
            "case": case,
            "form": form,
            "to_ask": to_ask,
            "held": held,
            "uncovered": [a for a in to_ask if not a.covered and a.open_request is None],
            "days": INFORMATION_WORKING_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


def _place(form: AskForm, problem: Conflict | InvalidInput) -> None:
    names = {"capacity.has_capacity": "has_capacity", "capacity.note": "capacity_note", "agency_id": "agencies"}
    placed = False
    for field, problems in problem.fields.items():
        name = names.get(field, field)
        if name in form.fields:
            form.add_error(name, problems[0])
            placed = True
    if not placed:
        form.add_error(None, problem.message)


def _asked_words(asked: services.Asked) -> list[str]:
    lines = []
    if asked.sent:
        names = ", ".join(r.to_agency.name for r in asked.sent)
        lines.append(f"Asked {names} for information. You will be told when they answer.")
    if asked.already_open:
        names = ", ".join(r.to_agency.name for r in asked.already_open)
        lines.append(f"{names} already had an open request for them, so nothing new was sent there.")
    if asked.refused:
        names = ", ".join(a.name for a in asked.refused)
        lines.append(f"Recorded that they do not agree to sharing with {names}. Nothing was sent to {names}.")
    return lines
