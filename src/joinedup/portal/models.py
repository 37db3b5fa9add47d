"""The person's own account and their messages with the key worker. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case
from joinedup.people.models import Person


class PortalAccount(models.Model):
    """A person's own account (role service_user): one user, one person record, no agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="portal_accounts")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The person's own choice: after a one-time link, ask for their passkey too (someone else may read their
    # messages). Their key worker can switch it off when they lose their phone.
    asks_passkey_with_link = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"portal account {self.pk}"


class Message(models.Model):
    """A secure message between the person and their key worker. Its words are never put in a notification."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        UPDATE = "update", "Something new they told us"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="portal_messages")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    from_person = models.BooleanField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="portal_message_person_at")]

    def __str__(self) -> str:
        return f"message {self.uuid}"
