"""Writing to the audit trail. Every service calls `record` inside its own transaction, so the entry and the
change commit or roll back together. Refusals are recorded by `record_denial`, which services and selectors
call *before* any write transaction opens, so a refusal is never rolled back with the request."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.core import request_context

if TYPE_CHECKING:
    from joinedup.accounts.models import User


def _primary_agency_name(actor: User | None) -> str:
    if actor is None:
        return ""
    cached = getattr(actor, "_primary_agency_name", None)
    if cached is None:
        membership = actor.memberships.select_related("agency").order_by("granted_at", "id").first()
        cached = membership.agency.name if membership else ""
        actor._primary_agency_name = cached  # type: ignore[attr-defined]
    return str(cached)


def object_label(obj: Any) -> tuple[str, str]:
    """("app.model", public id) for any model instance: its UUID when it has one."""
    meta = obj._meta
    public_id = getattr(obj, "uuid", None) or obj.pk
    return f"{meta.app_label}.{meta.model_name}", str(public_id)


def record(
    *,
    actor: User | None,
    action: AuditAction | str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    person_uuid: uuid.UUID | None = None,
    purpose: str = "",
    reason: str = "",
    basis: str = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type, object_id = object_label(obj)
    meta = request_context.current()
    actor_ref = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor_ref,
        actor_name=actor_ref.name if actor_ref else "",
        actor_agency_name=_primary_agency_name(actor_ref),
        action=str(action),
        object_type=object_type,
        object_id=object_id[:64],
        person_uuid=person_uuid,
        purpose=purpose[:300],
        reason=reason[:300],
        basis=basis[:200],
        summary=summary[:500],
        details=details or {},
        channel=meta.channel,
        ip=meta.ip,
        request_id=meta.request_id,
    )


def record_many(entries: list[AuditEntry]) -> None:
    """Bulk insert for list reads (one entry per person shown), stamped with the request's facts."""
    meta = request_context.current()
    for entry in entries:
        entry.channel, entry.ip, entry.request_id = meta.channel, meta.ip, meta.request_id
        if entry.actor is not None and not entry.actor_agency_name:
            entry.actor_agency_name = _primary_agency_name(entry.actor)
    AuditEntry.objects.bulk_create(entries, batch_size=500)


def record_denial(
    *, actor: User | None, action: str, obj: Any = None, reason: str, basis: str = "", purpose: str = ""
) -> AuditEntry:
    return record(
        actor=actor,
        action=AuditAction.DENIED,
        obj=obj,
        object_type="" if obj is not None else action.split(".", maxsplit=1)[0],
        reason=reason,
        basis=basis,
        purpose=purpose,
        summary=f"Refused: {action}",
        details={"attempted": action},
    )


def record_list_view(*, actor: User, objects: list[Any], purpose: str, person_uuid_of: Any = None) -> None:
    """One `view` entry per record shown on a list page (names in a list are personal data too)."""
    entries = []
    for obj in objects:
        object_type, object_id = object_label(obj)
        entries.append(
            AuditEntry(
                actor=actor,
                actor_name=actor.name,
                action=AuditAction.VIEW,
                object_type=object_type,
                object_id=object_id,
                person_uuid=person_uuid_of(obj) if person_uuid_of else None,
                purpose=purpose,
                summary="Shown in a list",
            )
        )
    record_many(entries)
