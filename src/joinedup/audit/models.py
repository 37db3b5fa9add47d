"""The audit trail: append-only. The database refuses UPDATE and DELETE on it (see migration 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Looked at"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    SHARE = "share", "Shared"
    OVERRIDE = "override", "Overrode"
    DENIED = "denied", "Was refused"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Was locked out"


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True)
    # No database constraint: an entry outlives its subject, and a refusal is written on its own connection
    # (audit.services.record_denial), where the request's uncommitted rows are not visible.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # Snapshots, so the entry still reads correctly after a name change or a move between agencies.
    actor_name = models.CharField(max_length=200, blank=True)
    actor_agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    # What the entry is about: "<app>.<model>" and the record's public id.
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    # The person whose record was touched, so their access log is one indexed query.
    person_uuid = models.UUIDField(null=True, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    # The access decision behind the action (reason and basis from access.decide).
    reason = models.CharField(max_length=300, blank=True)
    basis = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["person_uuid", "-at"], name="audit_person_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action} {self.object_type}"
