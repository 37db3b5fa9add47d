from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from joinedup.accounts.models import User
from joinedup.audit.models import AuditEntry
from joinedup.audit.services import record, record_looks, record_many
from joinedup.audit.testing import assert_audited
from joinedup.core import request_context


@pytest.mark.django_db
def test_record_stamps_request_facts() -> None:
    meta = request_context.RequestMeta(request_id="abc123", ip="192.0.2.10", channel="api")
    with request_context.bound(meta):
        record(actor=None, action="view", object_type="people.person", object_id="x", purpose="test")
    entry = assert_audited("view", object_type="people.person")
    assert (entry.request_id, entry.ip, entry.channel, entry.purpose) == (
        "abc123",
        "192.0.2.10",
        "api",
        "test",
    )


@pytest.mark.django_db
def test_outside_a_request_the_channel_is_command() -> None:
    entry = record(actor=None, action="create", object_type="accounts.agency")
    assert entry.channel == "command"


@pytest.mark.django_db(transaction=True)
def test_database_refuses_to_rewrite_or_delete_audit_entries() -> None:
    """The append-only guard of migration 0002, installed here inside a transaction that is rolled back
    (the test database runs without it so that it can be flushed between tests)."""
    import importlib

    guard = importlib.import_module("joinedup.audit.migrations.0002_append_only")

    class CursorEditor:  # what install_guard needs of a schema editor, usable inside atomic() on SQLite too
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, ())  # with parameters, as the schema editor runs it

    entry = record(actor=None, action="create", object_type="accounts.agency", summary="original")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        guard.install_guard(CursorEditor())
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        guard.install_guard(CursorEditor())
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.summary == "original"


@pytest.mark.django_db
def test_looks_on_a_list_are_the_rows_record_many_writes(nurse: User) -> None:
    """record_looks (the door's read_list) writes one statement; each row is what record_many would have written
    for the same look, request facts included."""
    people = [uuid.uuid4(), uuid.uuid4(), None]
    looks = [("cases.case", str(uuid.uuid4()), people[0]), ("cases.task", "7", people[1]), ("core.thing", "x", None)]
    meta = request_context.RequestMeta(request_id="req42", ip="192.0.2.10", channel="web")
    with request_context.bound(meta):
        record_looks(actor=nurse, action="view", purpose="My work", summary="Shown in a list", looks=looks)
        record_many(
            [
                AuditEntry(
                    actor=nurse,
                    actor_name=nurse.name,
                    action="view",
                    object_type=t,
                    object_id=i,
                    person_uuid=p,
                    purpose="Old way",
                    summary="Shown in a list",
                )
                for t, i, p in looks
            ]
        )
    fields = [f.name for f in AuditEntry._meta.concrete_fields if f.name not in {"id", "at", "purpose"}]
    new = list(AuditEntry.objects.filter(purpose="My work").order_by("id").values(*fields))
    old = list(AuditEntry.objects.filter(purpose="Old way").order_by("id").values(*fields))
    assert new == old and len(new) == 3
    assert new[0]["ip"] == "192.0.2.10" and new[0]["actor_agency_name"] == "High Street GP"
