"""Index given_key like family_key: people search ORs both, and one unindexed branch made it a sequential scan
of every person (issue 20)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0003_contactattempt")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="given_key",
            field=models.CharField(blank=True, db_index=True, max_length=100),
        ),
    ]
