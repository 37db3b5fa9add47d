"""Subject access: everything held about one person, for a data protection lead answering a request under UK GDPR
Art. 15. Audited as an export. The record graph is walked from the person through every table that refers to
them (and on through tables referring to those), so a table added later is included without changing this code;
people's colleagues, agencies and services appear by name only."""

from __future__ import annotations

import uuid
from collections import deque
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from joinedup.access.decision import NotVisible, require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.audit.services import record
from joinedup.people.models import Person
from joinedup.people.selectors import person_get

# Tables reached from a person that are not about them: shared reference data, or the audit trail (given
# separately as the access log, in the words the person's own access log uses).
_NOT_WALKED = {"audit.auditentry", "accounts.user", "accounts.agency", "referrals.service"}
_MAX_DEPTH = 3


def _label(obj: models.Model) -> str:
    if isinstance(obj, User):
        return obj.name
    if isinstance(obj, Agency):
        return obj.name
    public = getattr(obj, "uuid", None)
    return str(public) if public else str(obj)


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return _label(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _row(obj: models.Model) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key and getattr(obj, "uuid", None):
            continue  # the internal number; the public id is given
        if field.is_relation:
            related = getattr(obj, field.name)
            row[field.name] = _label(related) if related is not None else None
        else:
            row[field.name] = _value(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        row[field.name] = [_label(o) for o in getattr(obj, field.name).all()]
    return row


def records_about(person: Person) -> dict[str, list[dict[str, Any]]]:
    """Every row reachable from the person through reverse relations, grouped by table ("app.model")."""
    found: dict[str, dict[int, models.Model]] = {}
    queue: deque[tuple[type[models.Model], list[int], int]] = deque([(Person, [person.pk], 0)])
    while queue:
        model, pks, depth = queue.popleft()
        if depth >= _MAX_DEPTH:
            continue
        for relation in model._meta.related_objects:
            related_model = relation.related_model
            label = related_model._meta.label_lower
            if label in _NOT_WALKED or relation.many_to_many:
                continue
            rows = list(related_model._default_manager.filter(**{f"{relation.field.name}__in": pks}))
            fresh = [r for r in rows if r.pk not in found.setdefault(label, {})]
            for r in fresh:
                found[label][r.pk] = r
            if fresh:
                queue.append((related_model, [r.pk for r in fresh], depth + 1))
    return {label: [_row(r) for r in rows.values()] for label, rows in sorted(found.items()) if rows}


def access_log_of(person: Person) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(person_uuid=person.uuid).order_by("at", "id")
    return [
        {
            "at": e.at.isoformat(),
            "who": e.actor_name or "JoinedUp (automatic)",
            "agency": e.actor_agency_name,
            "action": e.get_action_display(),
            "purpose": e.purpose,
            "reason": e.reason,
        }
        for e in entries
    ]


def subject_access_person(*, actor: User, person_uuid: uuid.UUID | str) -> Person:
    """The person, for the page offering the export (404 unless the actor is a data protection lead who knows them)."""

    person = person_get(actor=actor, person_uuid=person_uuid, purpose="Subject access request")
    require(actor, "person.subject_access", person, purpose="Subject access request")
    return person


def subject_access_export(*, actor: User, person_uuid: uuid.UUID | str, purpose: str) -> dict[str, Any]:
    """The export, if the actor is a data protection lead in an agency that knows the person (404 otherwise)."""
    try:
        person = Person.objects.get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError, TypeError) as missing:
        raise NotVisible("Not found") from missing
    decision = require(actor, "person.subject_access", person, purpose=purpose)
    records = records_about(person)
    export: dict[str, Any] = {
        "about": {"id": str(person.uuid), "name": str(person)},
        "produced_at": timezone.now().isoformat(),
        "produced_for": actor.name,
        "person": _row(person),
        "records": records,
        "access_log": access_log_of(person),
    }
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=person,
        person_uuid=person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
        summary="Subject access export: everything held about the person",
        details={"tables": {table: len(rows) for table, rows in records.items()}},
    )
    return export
