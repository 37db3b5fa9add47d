"""Every consent names who it is for.

Existing rows: one with an agency becomes kind "agency" (that is what it always meant). One without becomes
"unspecified" — NOT "any partner agency": nobody recorded that the person chose to share with everyone, so such a
consent covers nobody until the person is asked again (a refusal of that kind is still honoured as a refusal).
The person's page shows "ask again" for them. See docs/adr/0007-consent-recipients.md."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def name_existing_recipients(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Consent = apps.get_model("consent", "Consent")
    Consent.objects.filter(recipient_agency__isnull=False).update(recipient_kind="agency")
    Consent.objects.filter(recipient_agency__isnull=True).update(recipient_kind="unspecified")


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="recipient_kind",
            field=models.CharField(
                choices=[
                    ("agency", "agency"),
                    ("service", "service"),
                    ("any_partner", "any_partner"),
                    ("unspecified", "unspecified"),
                ],
                default="unspecified",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consent",
            name="recipient_service_uuid",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="consent",
            name="recipient_service_name",
            field=models.CharField(blank=True, help_text="As named when recorded", max_length=300),
        ),
        migrations.AddField(
            model_name="sharingdecision",
            name="service_uuid",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sharingdecision",
            name="service_name",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(name_existing_recipients, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("recipient_agency__isnull", False),
                        ("recipient_kind", "agency"),
                        ("recipient_service_uuid__isnull", True),
                    ),
                    models.Q(("recipient_kind", "service"), ("recipient_service_uuid__isnull", False)),
                    models.Q(
                        ("recipient_agency__isnull", True),
                        ("recipient_kind__in", ["any_partner", "unspecified"]),
                        ("recipient_service_uuid__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="consent_recipient_matches_kind",
            ),
        ),
    ]
