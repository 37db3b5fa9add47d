"""Least privilege on PostgreSQL: the statements that make one role own the schema (migrations run as it) and
leave the application's role owning nothing, with INSERT and SELECT only on the audit table.

Why ownership matters: `ALTER TABLE ... DISABLE TRIGGER` needs the table's owner, and
`SET session_replication_role = replica` (which silences every trigger) needs a superuser — so an application
role that owns nothing and is not a superuser cannot switch off the audit table's append-only guard.
Sources: PostgreSQL 15 documentation, "ALTER TABLE" (DISABLE TRIGGER: "requires ... owner"), "Server
Configuration: session_replication_role" (superuser only), "ALTER DEFAULT PRIVILEGES", "REASSIGN OWNED".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
AUDIT_TABLE = "audit_auditentry"
# The application reads these but must never change them: migrations are the owner's business.
READ_ONLY_TABLES = ("django_migrations",)
GUARD_FUNCTIONS = ("audit_auditentry_append_only()",)


def role_name_problem(name: str) -> str | None:
    if not ROLE_NAME.match(name):
        return f"'{name}' is not a plain role name (lower-case letters, digits and _, starting with a letter)"
    return None


def least_privilege_statements(
    *,
    owner: str,
    app: str,
    tables: Sequence[str],
    sequences: Sequence[str],
    functions: Sequence[str] = GUARD_FUNCTIONS,
    schema: str = "public",
    quote: Callable[[str], str] = lambda name: f'"{name}"',
) -> list[str]:
    """Idempotent: safe to run after every `migrate`. Run as a superuser (or a role that is a member of both)."""
    if owner == app:
        raise ValueError("The owner and the application must be different roles")
    o, a, s = quote(owner), quote(app), quote(schema)
    statements = [
        # 1. The application role owns nothing and has no special powers.
        f"REASSIGN OWNED BY {a} TO {o}",
        f"ALTER ROLE {a} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        # 2. The owner holds the schema and everything in it; nobody else may create objects there.
        f"ALTER SCHEMA {s} OWNER TO {o}",
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"REVOKE ALL ON SCHEMA {s} FROM {a}",
        f"GRANT USAGE ON SCHEMA {s} TO {a}",
    ]
    statements += [f"ALTER TABLE {s}.{quote(t)} OWNER TO {o}" for t in tables]
    statements += [f"ALTER SEQUENCE {s}.{quote(q)} OWNER TO {o}" for q in sequences]
    statements += [f"ALTER FUNCTION {s}.{f} OWNER TO {o}" for f in functions]
    # 3. What the application may do: read and write its tables, but only add to and read the audit trail.
    statements += [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {a}",
    ]
    if AUDIT_TABLE in tables:
        statements += [
            f"REVOKE ALL ON {s}.{quote(AUDIT_TABLE)} FROM {a}",
            f"GRANT SELECT, INSERT ON {s}.{quote(AUDIT_TABLE)} TO {a}",
        ]
    for table in READ_ONLY_TABLES:
        if table in tables:
            statements += [f"REVOKE ALL ON {s}.{quote(table)} FROM {a}", f"GRANT SELECT ON {s}.{quote(table)} TO {a}"]
    # 4. Tables and sequences future migrations create are usable at once (run this again after each migrate
    #    all the same: it re-applies the audit table's narrower grant).
    statements += [
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]
    return statements
