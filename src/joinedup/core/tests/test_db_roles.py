"""Least privilege on PostgreSQL: the application's role owns nothing, may only add to and read the audit trail,
and so cannot switch off its append-only guard. The proof runs on PostgreSQL (CI); SQLite has no roles."""

from __future__ import annotations

import importlib
import secrets
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from joinedup.audit.models import AuditEntry
from joinedup.audit.services import record
from joinedup.core.domain.db_roles import least_privilege_statements, role_name_problem

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and privileges exist only on PostgreSQL (SQLite has none)"
)


def test_the_audit_table_gets_insert_and_select_only() -> None:
    statements = least_privilege_statements(
        owner="ju_owner", app="ju_app", tables=["audit_auditentry", "cases_case", "django_migrations"], sequences=[]
    )
    assert statements[0] == 'REASSIGN OWNED BY "ju_app" TO "ju_owner"'
    assert 'ALTER TABLE "public"."cases_case" OWNER TO "ju_owner"' in statements
    revoke = statements.index('REVOKE ALL ON "public"."audit_auditentry" FROM "ju_app"')
    assert statements[revoke + 1] == 'GRANT SELECT, INSERT ON "public"."audit_auditentry" TO "ju_app"'
    assert revoke > statements.index(
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "ju_app"'
    )
    assert 'GRANT SELECT ON "public"."django_migrations" TO "ju_app"' in statements


@pytest.mark.parametrize(
    "name", ["Robert'); DROP TABLE x;--", "1abc", "", "a" * 64], ids=["injection", "digit", "empty", "long"]
)
def test_role_names_must_be_plain(name: str) -> None:
    assert role_name_problem(name) is not None


def test_owner_and_app_must_differ() -> None:
    with pytest.raises(ValueError, match="different"):
        least_privilege_statements(owner="same", app="same", tables=[], sequences=[])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "Bad Name", "--app", "ju_app"], "not a plain role name"),
        (["--owner", "ju_x", "--app", "ju_x"], "different roles"),
    ],
    ids=["bad-name", "same-role"],
)
def test_db_roles_bad_input_fails_clearly(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("db_roles", *args, stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite message")
def test_db_roles_on_sqlite_says_it_is_for_postgresql() -> None:
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db_roles", "--owner", "ju_owner", "--app", "ju_app", stdout=StringIO())


@on_postgresql
@pytest.mark.django_db
def test_db_roles_needs_existing_roles() -> None:
    with pytest.raises(CommandError, match="No role named"):
        call_command("db_roles", "--owner", "ju_no_such_owner", "--app", "ju_no_such_app", stdout=StringIO())


def _refused(sql: str, params: list[object] | None = None) -> str:
    """The database's refusal of `sql` (a savepoint keeps the test's transaction usable)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return str(error)
    raise AssertionError(f"the application role was allowed to run: {sql}")


@on_postgresql
@pytest.mark.django_db
def test_the_application_role_cannot_disable_the_audit_guard() -> None:
    """Everything here happens inside the test's transaction, roles included, and is rolled back."""
    suffix = secrets.token_hex(4)
    owner, app = f"ju_test_owner_{suffix}", f"ju_test_app_{suffix}"
    guard = importlib.import_module("joinedup.audit.migrations.0002_append_only")
    entry = record(actor=None, action="create", object_type="accounts.agency", summary="original")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {owner} NOLOGIN")
        cursor.execute(f"CREATE ROLE {app} NOLOGIN")
        cursor.execute(guard.POSTGRES_UP, ())
        # Fire the deferred foreign-key checks of the insert above now: PostgreSQL will not change a table's
        # owner while checks on it are pending in the same transaction (a real run has its own transaction).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    out = StringIO()
    call_command("db_roles", "--owner", owner, "--app", app, stdout=out)
    assert "GRANT SELECT, INSERT ON" in out.getvalue() and "BEGIN;" in out.getvalue()
    call_command("db_roles", "--owner", owner, "--app", app, "--apply", stdout=StringIO())

    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app}")
    try:
        assert "permission denied" in _refused("SET session_replication_role = replica")
        assert "must be owner" in _refused("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
        assert "must be owner" in _refused("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_update")
        assert "must be owner" in _refused("DROP TRIGGER audit_auditentry_no_update ON audit_auditentry")
        assert "must be owner" in _refused("DROP FUNCTION audit_auditentry_append_only() CASCADE")
        assert "permission denied" in _refused(
            "UPDATE audit_auditentry SET summary = 'rewritten' WHERE id = %s", [entry.pk]
        )
        assert "permission denied" in _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        assert "permission denied" in _refused("TRUNCATE audit_auditentry")
        assert "permission denied" in _refused("CREATE TABLE public.not_ours (id int)")
        assert "must be superuser" in _refused("ALTER ROLE CURRENT_USER SUPERUSER")
        # What the application needs still works: adding to and reading the trail, and its other tables.
        added = record(actor=None, action="create", object_type="accounts.agency", summary="added by the app")
        assert AuditEntry.objects.filter(pk__in=[entry.pk, added.pk]).count() == 2
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_agency SET name = name")
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)", [app]
            )
            assert cursor.fetchone() == (0,), "the application role owns nothing"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    entry.refresh_from_db()
    assert entry.summary == "original"
