"""Reading referrals through the one door (access/door.py): one rule for the web and the API (`referral.view`:
the receiving agency, or anyone who may see the person), one audit entry per read, one per person on a list."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When

from joinedup.access import door
from joinedup.access.decision import NotVisible, actor_facts
from joinedup.accounts.models import User
from joinedup.cases.models import Case
from joinedup.cases.selectors import escalations_for
from joinedup.consent.directory import ServiceRecipient
from joinedup.core.domain.partnership import CASEWORK_ROLES
from joinedup.referrals.models import OPEN_STATUSES, Referral, ReferralKind, ReferralStatus, Service

WAITING = (ReferralStatus.SENT, ReferralStatus.OVERDUE)


def referral_read(
    *, actor: User, referral_uuid: uuid.UUID | str, purpose: str, action: str = "referral.view"
) -> tuple[Referral, door.Seen]:
    try:
        referral = Referral.objects.select_related(
            "case__person",
            "case__key_worker",
            "service",
            "to_agency",
            "from_agency",
            "from_user",
            "alternative_service",
        ).get(uuid=referral_uuid)
    except (Referral.DoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing
    seen = door.read(actor, action, referral, purpose=purpose, person_uuid=referral.case.person.uuid)
    return referral, seen


def incoming(*, actor: User) -> QuerySet[Referral]:
    """Referrals sent to the actor's agencies, overdue first, then waiting soonest due. The caller audits the page
    it shows (door.read_list)."""
    door.allow_list(actor, "referral.list", purpose="Incoming referrals")
    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    rank = When_(
        When(status="overdue", then=Value(0)),
        When(status="sent", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Referral.objects.filter(to_agency_id__in=agencies)
        .select_related("case__person", "service", "from_agency", "to_agency", "alternative_service", "case")
        .order_by(rank, "respond_by", "id")
    )


def outgoing(*, actor: User) -> QuerySet[Referral]:
    door.allow_list(actor, "referral.list", purpose="Outgoing referrals")
    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    return (
        Referral.objects.filter(from_agency_id__in=agencies)
        .select_related("case__person", "service", "from_agency", "to_agency", "alternative_service", "case")
        .order_by("respond_by", "id")
    )


def referrals_of(*, case: Case) -> list[Referral]:
    """The case's referrals. The caller read the case through the one door; referrals/presenters.py filters."""
    return list(case.referrals.select_related("service", "to_agency").order_by("-sent_at"))


def awaiting_answer(*, case: Case) -> QuerySet[Referral]:
    return case.referrals.filter(status__in=WAITING).select_related("service", "to_agency").order_by("respond_by")


def waiting_counts(*, actor: User) -> dict[str, int]:
    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    # Both counts in one statement, over the rows of either status only.
    return Referral.objects.filter(
        to_agency_id__in=agencies, status__in=[ReferralStatus.SENT, ReferralStatus.OVERDUE]
    ).aggregate(
        referrals_waiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
        referrals_overdue=Count("pk", filter=Q(status=ReferralStatus.OVERDUE)),
    )


def service_recipient(service_uuid: uuid.UUID) -> ServiceRecipient | None:
    """A directory service as a consent or sharing decision names it: id, name and the agency receiving for it.
    The directory holds no personal data, so this is neither access-checked nor audited."""
    service = Service.objects.select_related("agency").filter(uuid=service_uuid).first()
    return ServiceRecipient(uuid=service.uuid, name=service.name, agency=service.agency) if service else None


def service_get(service_uuid: uuid.UUID | str) -> Service | None:
    """A directory service by its id (none for an id that is not one). The directory holds no personal data."""
    try:
        return Service.objects.select_related("agency").filter(uuid=service_uuid).first()
    except (ValueError, ValidationError):
        return None


def service_recipients() -> list[ServiceRecipient]:
    """Active services that receive through JoinedUp (signpost-only ones receive nothing), by name."""
    found = Service.objects.filter(status="active", agency__isnull=False).select_related("agency").order_by("name")
    return [ServiceRecipient(uuid=s.uuid, name=s.name, agency=s.agency) for s in found]


def escalations_of(*, referral: Referral) -> list[Any]:
    """The referral's escalations (the caller read the referral through the one door)."""

    return escalations_for(item_type="referral", item_id=referral.pk)


def open_information_requests(*, case: Case) -> list[Referral]:
    """The case's requests for information still waiting for an answer (the caller read the case through the door)."""
    return list(
        case.referrals.filter(kind=ReferralKind.INFORMATION, status__in=OPEN_STATUSES)
        .select_related("to_agency")
        .order_by("respond_by")
    )
