"""Consent and sharing pages on the person's record, and who has looked at it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.access.decision import NotVisible, decide, require
from joinedup.accounts.models import Agency, User
from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.consent import directory, selectors, services
from joinedup.consent.domain.rules import (
    LAWFUL_BASES,
    PURPOSE_LABELS,
    SPECIAL_CATEGORY_CONDITIONS,
    Para18Answers,
    RecipientKind,
    SharingInput,
)
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.forms import GovUKForm
from joinedup.people.models import Person
from joinedup.people.selectors import person_get, person_read

PURPOSE_CHOICES = [(p.value, label) for p, label in PURPOSE_LABELS.items()]


RECIPIENT_KINDS = [
    (RecipientKind.AGENCY.value, "An agency"),
    (RecipientKind.SERVICE.value, "A service"),
    (RecipientKind.ANY_PARTNER.value, "Any partner agency"),
]


class ConsentForm(GovUKForm):
    purpose = forms.ChoiceField(choices=PURPOSE_CHOICES, error_messages={"required": "Choose what it is for"})
    # Who it is for is always asked: consent to one recipient never covers another, and "any partner agency"
    # must be the person's own choice, never a blank left by the practitioner.
    recipient_kind = forms.ChoiceField(
        choices=RECIPIENT_KINDS,
        error_messages={"required": "Choose who this is for: an agency, a service, or any partner agency"},
    )
    recipient_agency = forms.ChoiceField(
        required=False, choices=[], error_messages={"invalid_choice": "Choose an agency from the list"}
    )
    recipient_service = forms.ChoiceField(
        required=False, choices=[], error_messages={"invalid_choice": "Choose a service from the list"}
    )
    decision = forms.ChoiceField(
        choices=[("given", "Yes, they agree"), ("refused", "No, they do not agree")],
        error_messages={"required": "Choose whether they agree"},
    )
    has_capacity = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], error_messages={"required": "Say whether they can make this decision"}
    )
    capacity_note = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Say how you supported them to decide (for example easy read, an advocate, time to think)"
        },
    )
    error_anchor = {
        "purpose": "id_purpose",
        "recipient_kind": "id_recipient_kind",
        "decision": "id_decision",
        "has_capacity": "id_has_capacity",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["recipient_agency"].choices = [("", "Choose an agency")] + [  # type: ignore[attr-defined]
            (str(a.uuid), a.name) for a in Agency.objects.order_by("name")
        ]
        self.fields["recipient_service"].choices = [("", "Choose a service")] + [  # type: ignore[attr-defined]
            (str(s.uuid), f"{s.name} ({s.agency.name})" if s.agency else s.name) for s in directory.services_listed()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("recipient_kind")
        if kind == RecipientKind.AGENCY and not data.get("recipient_agency"):
            self.add_error("recipient_agency", "Choose the agency this is for")
        if kind == RecipientKind.SERVICE and not data.get("recipient_service"):
            self.add_error("recipient_service", "Choose the service this is for")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = acting_user(request)
    person = person_get(actor=user, person_uuid=person_id, purpose="Consent and sharing")
    form = ConsentForm(request.POST if request.method == "POST" else None, initial={"has_capacity": "yes"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            kind = d["recipient_kind"]
            try:
                services.consent_record(
                    actor=user,
                    agency=casework_agency(user) or _no_agency(),
                    person=person,
                    purpose=d["purpose"],
                    decision=d["decision"],
                    recipient=Agency.objects.filter(uuid=d["recipient_agency"]).first()
                    if kind == RecipientKind.AGENCY
                    else None,
                    service=directory.service_find(UUID(d["recipient_service"]))
                    if kind == RecipientKind.SERVICE
                    else None,
                    any_partner=kind == RecipientKind.ANY_PARTNER,
                    has_capacity=d["has_capacity"] == "yes",
                    capacity_note=d["capacity_note"],
                )
            except InvalidInput as problem:
                for field, problems in problem.fields.items():
                    name = {
                        "capacity.note": "capacity_note",
                        "capacity.has_capacity": "has_capacity",
                        "recipient": "recipient_kind",
                        "service_id": "recipient_service",
                    }.get(field, field)
                    form.add_error(name if name in form.fields else None, problems[0])
            else:
                messages.success(request, "Consent recorded.")
                return redirect("people:consent", person_id=person.uuid)
        status = 400
    context = {
        "person": person,
        "form": form,
        "consents": [(c, services.consent_for_words(c)) for c in selectors.consents_for(person=person)],
        "decisions": list(selectors.sharing_decisions_for(person=person)),
        "ask_again": selectors.consents_to_ask_again(actor=user, person=person),
        "labels": dict(PURPOSE_CHOICES),
        "can_decide": _can(user, "sharing.decide", person),
    }
    return render(request, "consent/consent.html", context, status=status)


def _no_agency() -> Agency:
    raise InvalidInput("You do not do casework in any agency.")


def _can(user: User, action: str, person: Person) -> bool:

    return decide(user, action, person).allowed


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, person_id: str, consent_id: str) -> HttpResponse:
    user = acting_user(request)
    person = person_get(actor=user, person_uuid=person_id, purpose="Withdrawing consent")
    consent = selectors.consent_of(person=person, consent_uuid=consent_id)
    if consent is None:
        raise NotVisible("Not found")
    try:
        services.consent_withdraw(
            actor=user, agency=casework_agency(user) or _no_agency(), consent=consent, note=request.POST.get("note", "")
        )
    except (Conflict, InvalidInput) as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, "Consent withdrawn. It no longer covers anything from now on.")
    return redirect("people:consent", person_id=person.uuid)


YES_NO = [("yes", "Yes"), ("no", "No")]


class SharingForm(GovUKForm):
    purpose = forms.ChoiceField(choices=PURPOSE_CHOICES, error_messages={"required": "Choose what sharing is for"})
    recipients = forms.MultipleChoiceField(choices=[], error_messages={"required": "Choose at least one agency"})
    consent_status = forms.ChoiceField(
        choices=[
            ("refused", "They refused, and the refusal can be overridden"),
            ("not_sought_risk", "Not sought: asking would increase the risk or prejudice their protection"),
            ("incapable", "They lack capacity to make this decision"),
        ],
        error_messages={"required": "Choose why there is no consent"},
    )
    lawful_basis = forms.ChoiceField(
        choices=list(LAWFUL_BASES.items()), error_messages={"required": "Choose the lawful basis"}
    )
    special_category_condition = forms.ChoiceField(
        choices=list(SPECIAL_CATEGORY_CONDITIONS.items()), error_messages={"required": "Choose the condition"}
    )
    necessary_to_protect = forms.BooleanField(required=False)
    care_and_support_needs = forms.BooleanField(required=False)
    experiencing_or_at_risk_of_harm = forms.BooleanField(required=False)
    unable_to_protect_self = forms.BooleanField(required=False)
    substantial_public_interest = forms.BooleanField(required=False)
    necessity = forms.CharField(
        max_length=5000, error_messages={"required": "Explain why sharing is necessary and proportionate"}
    )
    tell_person = forms.ChoiceField(choices=YES_NO, error_messages={"required": "Say whether they will be told"})
    why_not_tell = forms.CharField(max_length=2000, required=False)
    review_on = forms.DateField(
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the review date like 1/2/2027"},
    )
    error_anchor = {
        "purpose": "id_purpose",
        "recipients": "id_recipients",
        "consent_status": "id_consent_status",
        "lawful_basis": "id_lawful_basis",
        "special_category_condition": "id_special_category_condition",
        "tell_person": "id_tell_person",
        "para18": "id_necessary_to_protect",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["recipients"].choices = [  # type: ignore[attr-defined]
            (str(a.pk), a.name) for a in Agency.objects.order_by("name")
        ]


@login_required
@require_http_methods(["GET", "POST"])
def sharing_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = acting_user(request)
    person = person_get(actor=user, person_uuid=person_id, purpose="Deciding to share without consent")
    require(user, "sharing.decide", person, purpose="Deciding to share without consent")
    form = SharingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            para = Para18Answers(
                necessary_to_protect=d["necessary_to_protect"],
                care_and_support_needs=d["care_and_support_needs"],
                experiencing_or_at_risk_of_harm=d["experiencing_or_at_risk_of_harm"],
                unable_to_protect_self=d["unable_to_protect_self"],
                consent_status=d["consent_status"],
                substantial_public_interest=d["substantial_public_interest"],
            )
            data = SharingInput(
                purpose=d["purpose"],
                recipient_agency_ids=tuple(int(r) for r in d["recipients"]),
                lawful_basis=d["lawful_basis"],
                special_category_condition=d["special_category_condition"],
                consent_status=d["consent_status"],
                necessity=d["necessity"],
                tell_person=d["tell_person"] == "yes",
                why_not_tell=d["why_not_tell"],
                review_on=d["review_on"],
                para18=para,
            )
            try:
                services.sharing_decision_record(
                    actor=user, agency=casework_agency(user) or _no_agency(), person=person, data=data
                )
            except InvalidInput as problem:
                for field, problems in problem.fields.items():
                    name = "necessary_to_protect" if field == "para18" else field
                    for message in problems:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, "The decision to share is recorded and on the timeline.")
                return redirect("people:consent", person_id=person.uuid)
        status = 400
    return render(request, "consent/sharing.html", {"person": person, "form": form}, status=status)


@login_required
def access_log_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = acting_user(request)
    person, _ = person_read(
        actor=user, person_uuid=person_id, purpose="Who has looked at this record", action="access_log.view"
    )
    page = Paginator(selectors.access_log(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "consent/access_log.html", {"person": person, "page": page})
