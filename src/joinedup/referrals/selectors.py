"""Reads of the service directory for other apps. The directory holds no personal data, so these are neither
access-checked nor audited."""

from __future__ import annotations

from uuid import UUID

from joinedup.consent.directory import ServiceRecipient
from joinedup.referrals.models import Service


def service_recipient(service_uuid: UUID) -> ServiceRecipient | None:
    """A directory service as a consent or sharing decision names it: id, name and the agency receiving for it."""
    service = Service.objects.select_related("agency").filter(uuid=service_uuid).first()
    return ServiceRecipient(uuid=service.uuid, name=service.name, agency=service.agency) if service else None


def service_recipients() -> list[ServiceRecipient]:
    """Active services that receive through JoinedUp (signpost-only ones receive nothing), by name."""
    found = Service.objects.filter(status="active", agency__isnull=False).select_related("agency").order_by("name")
    return [ServiceRecipient(uuid=s.uuid, name=s.name, agency=s.agency) for s in found]
