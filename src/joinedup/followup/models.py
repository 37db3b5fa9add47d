"""The way back to an anonymous report: its reference, the passphrase's slow hash, and the conversation.

The report itself lives in the app it came in by (an incident report to the hub, a harm report or a concern about
a service); that app's record points here. Nothing in these tables says who the reporter is."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class FollowUp(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Which door the report came in by: the key of its registered door (followup.registry).
    kind = models.CharField(max_length=20)
    reference = models.CharField(max_length=12, unique=True)
    # Django's password hasher (slow, salted); the passphrase itself is never stored or sent anywhere.
    passphrase_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField(default=timezone.now)
    # When the reporter chose to give their name: the report became theirs, for the hub to pick up.
    named_at = models.DateTimeField(null=True, blank=True)
    # An answer from the reporter that nobody at the service has read yet.
    answer_waiting = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["kind", "answer_waiting"], name="followup_waiting")]

    def __str__(self) -> str:
        return f"Follow-up {self.reference}"


class FollowUpMessage(models.Model):
    """One message, either way. A question from the service keeps who asked (for the record and the audit); the
    reporter is only ever shown the words and when."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="messages")
    from_reporter = models.BooleanField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{'Reporter' if self.from_reporter else 'Service'} message on {self.follow_up_id}"
