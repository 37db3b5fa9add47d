"""Case notes: a practitioner's free-text note on a case, dated, authored, and labelled with the group of the
person's record it belongs to (access.domain.minimum), so readers see it only where they may see that group."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case


class CaseNote(models.Model):
    class FieldGroup(models.TextChoices):
        # The minimum-necessary groups (access/domain/minimum.py Group), in words for the person writing.
        CONTACT = "contact", "Contact and how to reach them"
        ACCOUNT = "account", "What they told us and what they want"
        HARM = "harm", "What happened and who did it"
        HEALTH = "health", "Health, injuries and care needs"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        RISK = "risk", "Risk and safety"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    field_group = models.CharField(max_length=20, choices=FieldGroup.choices)
    text = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["case", "-written_at"], name="case_note_case_at")]

    def __str__(self) -> str:
        return f"Note on {self.case_id} ({self.field_group})"
