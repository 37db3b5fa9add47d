from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections, transaction

from joinedup.core.domain.db_roles import least_privilege_statements, role_name_problem


class Command(BaseCommand):
    help = (
        "PostgreSQL least privilege: print (or with --apply, run) the statements that make OWNER own every table "
        "(run migrations as it) and leave APP owning nothing, with only INSERT and SELECT on the audit table. "
        "Both roles must exist. --apply needs a superuser connection. Run it again after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="the role migrations run as, e.g. joinedup_owner")
        parser.add_argument("--app", required=True, help="the role the web server and workers use, e.g. joinedup_app")
        parser.add_argument("--apply", action="store_true", help="run the statements (in one transaction)")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in (options["owner"], options["app"]):
            problem = role_name_problem(name)
            if problem:
                raise CommandError(problem)
        if options["owner"] == options["app"]:
            raise CommandError("--owner and --app must be different roles: that is the point.")
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("db_roles is for PostgreSQL; SQLite has no roles (use it for development only).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [options["owner"], options["app"]])
            missing = {options["owner"], options["app"]} - {row[0] for row in cursor.fetchall()}
            if missing:
                raise CommandError(
                    f"No role named {', '.join(sorted(missing))}. Create it first, e.g. "
                    f"CREATE ROLE {sorted(missing)[0]} LOGIN; then \\password {sorted(missing)[0]} in psql."
                )
            cursor.execute(
                "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND (c.relkind IN ('r', 'p') OR (c.relkind = 'S' AND NOT EXISTS ("
                # Sequences that belong to a column follow their table's owner (and refuse to be moved alone).
                "  SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))) ORDER BY c.relname"
            )
            rows = cursor.fetchall()
            cursor.execute(
                "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.proname = 'audit_auditentry_append_only'"
            )
            guard_installed = cursor.fetchone() is not None
        statements = least_privilege_statements(
            owner=options["owner"],
            app=options["app"],
            tables=[name for name, kind in rows if kind != "S"],
            sequences=[name for name, kind in rows if kind == "S"],
            functions=["audit_auditentry_append_only()"] if guard_installed else [],
            quote=connection.ops.quote_name,
        )
        if not options["apply"]:
            self.stdout.write("BEGIN;")
            for statement in statements:
                self.stdout.write(statement + ";")
            self.stdout.write("COMMIT;")
            return
        try:
            with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(f"Nothing was changed: {first_line}") from error
        self.stdout.write(self.style.SUCCESS(f"Applied {len(statements)} statements: {options['app']} owns nothing."))
