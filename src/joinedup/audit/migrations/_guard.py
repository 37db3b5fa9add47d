"""The SQLite half of the append-only guard, shared by migrations 0002 and 0003."""

SQLITE_UP = [
    "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (DELETE refused)'); END;",
]


def sqlite_up(schema_editor):
    for statement in SQLITE_UP:
        schema_editor.execute(statement)
