import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                ),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("actor_name", models.CharField(blank=True, max_length=200)),
                ("actor_agency_name", models.CharField(blank=True, max_length=200)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("view", "Looked at"),
                            ("create", "Created"),
                            ("update", "Changed"),
                            ("export", "Exported"),
                            ("share", "Shared"),
                            ("override", "Overrode"),
                            ("denied", "Was refused"),
                            ("sign_in", "Signed in"),
                            ("sign_in_failed", "Failed to sign in"),
                            ("sign_out", "Signed out"),
                            ("locked_out", "Was locked out"),
                        ],
                        max_length=20,
                    ),
                ),
                ("object_type", models.CharField(max_length=64)),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("person_uuid", models.UUIDField(blank=True, null=True)),
                ("purpose", models.CharField(blank=True, max_length=300)),
                ("reason", models.CharField(blank=True, max_length=300)),
                ("basis", models.CharField(blank=True, max_length=200)),
                ("summary", models.CharField(blank=True, max_length=500)),
                ("details", models.JSONField(blank=True, default=dict)),
                ("channel", models.CharField(blank=True, max_length=10)),
                ("ip", models.GenericIPAddressField(blank=True, null=True)),
                ("request_id", models.CharField(blank=True, max_length=32)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "audit entries",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["person_uuid", "-at"], name="audit_person_at"),
                    models.Index(fields=["actor", "-at"], name="audit_actor_at"),
                    models.Index(fields=["object_type", "object_id"], name="audit_object"),
                    models.Index(fields=["action", "-at"], name="audit_action_at"),
                ],
            },
        ),
    ]
