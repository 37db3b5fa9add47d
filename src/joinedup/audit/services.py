"""Writing to the audit trail. Every service calls `record` inside its own transaction, so the entry and the
change commit or roll back together. Refusals are recorded by `record_denial`, which services and selectors
call *before* any write transaction opens, so a refusal is never rolled back with the request."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

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


def primary_agency_known(actor: User, name: str) -> None:
    """The name of the actor's first agency (earliest membership), read by a caller that reads the actor's
    memberships anyway (access.decision.actor_facts, once a request), so the audit need not read it again."""
    actor._primary_agency_name = name  # type: ignore[attr-defined]


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
    keep_address: bool = True,
) -> AuditEntry:
    """`keep_address=False` leaves out the IP address: for what an anonymous reporter does (their way back), where
    the address would tie them to their report."""
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
        ip=meta.ip if keep_address else None,
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


# The columns one look on a list shares with every other look on it, and the three that differ.
_SHARED_COLUMNS = (
    "at",
    "actor",
    "actor_name",
    "actor_agency_name",
    "action",
    "purpose",
    "reason",
    "basis",
    "summary",
    "details",
    "channel",
    "ip",
    "request_id",
)
_LOOK_COLUMNS = ("object_type", "object_id", "person_uuid")


def record_looks(
    *, actor: User, action: str, purpose: str, summary: str, looks: list[tuple[str, str, uuid.UUID | None]]
) -> None:
    """One entry per look on a list page (the door's read_list): the same rows `record_many` writes, in one
    statement. A list names dozens of people, and building and preparing a model object per row cost more than
    the page's own queries (docs/performance.md); only what was looked at differs from row to row, so the shared
    values are prepared once. Rows are (object type, public id, person's UUID)."""
    if not looks:
        return
    meta = request_context.current()
    actor_ref = actor if actor is not None and actor.is_authenticated else None
    shared_values: dict[str, Any] = {
        "at": timezone.now(),
        "actor": actor_ref.pk if actor_ref else None,
        "actor_name": actor_ref.name if actor_ref else "",
        "actor_agency_name": _primary_agency_name(actor_ref),
        "action": str(action),
        "purpose": purpose[:300],
        "reason": "",
        "basis": "",
        "summary": summary[:500],
        "details": {},
        "channel": meta.channel,
        "ip": meta.ip,
        "request_id": meta.request_id,
    }
    fields: list[Any] = [AuditEntry._meta.get_field(name) for name in (*_SHARED_COLUMNS, *_LOOK_COLUMNS)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    shared = [
        f.get_db_prep_save(shared_values[name], connection=connection)
        for name, f in zip(_SHARED_COLUMNS, fields, strict=False)
    ]
    object_types = [t[:64] for t, _, _ in looks]
    object_ids = [i[:64] for _, i, _ in looks]
    people = [p for _, _, p in looks]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The varying columns as arrays: one INSERT … SELECT whatever the list's length.
            # Each shared value cast to its column's type: a bare parameter in a SELECT list would be text.
            marks = ", ".join(f"%s::{f.db_type(connection)}" for f in fields[: len(shared)])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {marks}, t.object_type, t.object_id, t.person_uuid "  # noqa: S608 — names from the model, values bound
                "FROM UNNEST(%s::varchar[], %s::varchar[], %s::uuid[]) AS t(object_type, object_id, person_uuid)",
                [*shared, object_types, object_ids, people],
            )
        else:
            person_field = fields[-1]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 — names from the model, values bound
                [
                    [*shared, t, i, person_field.get_db_prep_save(p, connection=connection)]
                    for t, i, p in zip(object_types, object_ids, people, strict=True)
                ],
            )


def _in_write_transaction() -> bool:
    """Is a transaction open that a later error could roll back? The test runner's own wrapping transaction
    (marked `_from_testcase` by Django) does not count: it stands for a request that is not wrapped."""

    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _insert_on_own_connection(entry: AuditEntry) -> bool:
    """Insert one entry on a fresh autocommit connection, so the rollback of the surrounding transaction cannot
    erase it. PostgreSQL (production and CI) always can; SQLite cannot while the request's connection holds its
    write lock, and then the caller falls back to the request's connection (documented in access-and-audit.md)."""

    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
        entry.at = timezone.now()
        columns = ", ".join(own.ops.quote_name(f.column or f.name) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        values = [f.get_db_prep_save(getattr(entry, f.attname), connection=own) for f in fields]
        with own.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {own.ops.quote_name(AuditEntry._meta.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608 — names from the model, values bound
                values,
            )
    except DatabaseError:
        return False
    finally:
        own.close()
    return True


def record_denial(
    *, actor: User | None, action: str, obj: Any = None, reason: str, basis: str = "", purpose: str = ""
) -> AuditEntry:
    """A refusal's entry. Written on its own connection when a write transaction is open, so that no rollback
    of the request or the service erases it (a stranger's attempt is recorded even when everything else fails)."""
    object_type, object_id = object_label(obj) if obj is not None else (action.split(".", maxsplit=1)[0], "")
    meta = request_context.current()
    actor_ref = actor if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        actor=actor_ref,
        actor_name=actor_ref.name if actor_ref else "",
        actor_agency_name=_primary_agency_name(actor_ref),
        action=AuditAction.DENIED,
        object_type=object_type,
        object_id=object_id[:64],
        person_uuid=None,
        purpose=purpose[:300],
        reason=reason[:300],
        basis=basis[:200],
        summary=f"Refused: {action}"[:500],
        details={"attempted": action},
        channel=meta.channel,
        ip=meta.ip,
        request_id=meta.request_id,
    )
    if _in_write_transaction() and _insert_on_own_connection(entry):
        return entry
    entry.save()
    return entry


def record_unauthenticated(*, path: str, reason: str, basis: str) -> AuditEntry:
    """A call to a personal-data endpoint with no credentials, or with an expired or revoked token. No personal
    data is recorded: only the path's shape, why it was refused and where it came from."""
    return record_denial(actor=None, action=f"api.{_path_shape(path)}", reason=reason, basis=basis)


def _path_shape(path: str) -> str:
    """/api/v1/people/1f0c…/risk → people/{id}/risk: ids are never stored from an unauthenticated call."""
    parts = [p for p in path.split("/") if p and p not in {"api", "v1"}]
    return "/".join("{id}" if any(ch.isdigit() for ch in p) and len(p) > 8 else p for p in parts)[:150]
