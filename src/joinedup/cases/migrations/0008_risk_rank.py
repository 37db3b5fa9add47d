"""A stored risk rank beside the risk level, indexed with the key worker and status, so My work's "highest risk
first" is an index range (issue 20). Existing cases are ranked from their level in one statement."""

from django.conf import settings
from django.db import migrations, models

RANK_FROM_LEVEL = (
    "UPDATE cases_case SET risk_rank = CASE risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END "
    "WHERE risk_level IN ('high', 'medium')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0007_alter_timelineentry_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="risk_rank",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.RunSQL(RANK_FROM_LEVEL, reverse_sql=migrations.RunSQL.noop),
        # The new index starts with the old one's columns, so the old one would only cost writes.
        migrations.RemoveIndex(model_name="case", name="case_key_worker_status"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["key_worker", "status", "risk_rank", "opened_at", "id"], name="case_key_worker_rank"
            ),
        ),
    ]
