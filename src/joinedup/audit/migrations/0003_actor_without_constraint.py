"""Refusals are written on their own autocommit connection (so no rollback erases them), where the request's
uncommitted rows are not visible: the actor reference cannot be a database constraint. Entries keep snapshots
of who acted, so they read correctly whatever happens to the account later."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from joinedup.audit.migrations import _guard


def reinstall_sqlite_guard(apps, schema_editor):
    # SQLite alters a column by rebuilding the table, which drops its triggers: put the guard back.
    if schema_editor.connection.vendor == "sqlite" and getattr(settings, "JOINEDUP_AUDIT_DB_GUARD", True):
        _guard.sqlite_up(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(reinstall_sqlite_guard, migrations.RunPython.noop),
    ]
