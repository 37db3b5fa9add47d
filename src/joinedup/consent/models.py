"""The consent ledger and decisions to share without consent. Rows are never rewritten: withdrawal is recorded
on the consent (when and by whom), and a changed mind is a new consent."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from joinedup.accounts.models import Agency
from joinedup.consent.domain.rules import RecipientKind
from joinedup.people.models import Person


class Consent(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30)
    # Who it is for (domain RecipientKind): an agency, a service (its agency is kept too), or "any partner agency",
    # the person's explicit choice. "unspecified" only marks rows recorded before a recipient was required: they
    # cover nobody until the person is asked again (docs/adr/0007-consent-recipients.md).
    recipient_kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in RecipientKind])
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A directory service is referred to by its id, not a foreign key: consent sits below referrals (ADR 0007).
    recipient_service_uuid = models.UUIDField(null=True, blank=True)
    recipient_service_name = models.CharField(max_length=300, blank=True, help_text="As named when recorded")
    decision = models.CharField(max_length=10)  # given | refused
    has_capacity = models.BooleanField(default=True)
    capacity_note = models.TextField(blank=True, help_text="How the person was supported to decide")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose")]
        constraints = [
            models.CheckConstraint(
                name="consent_recipient_matches_kind",
                condition=(
                    models.Q(
                        recipient_kind=RecipientKind.AGENCY,
                        recipient_agency__isnull=False,
                        recipient_service_uuid__isnull=True,
                    )
                    | models.Q(recipient_kind=RecipientKind.SERVICE, recipient_service_uuid__isnull=False)
                    | models.Q(
                        recipient_kind__in=[RecipientKind.ANY_PARTNER, RecipientKind.UNSPECIFIED],
                        recipient_agency__isnull=True,
                        recipient_service_uuid__isnull=True,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.decision}"


class SharingDecision(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sharing_decisions")
    purpose = models.CharField(max_length=30)
    recipients = models.ManyToManyField(Agency, related_name="+")
    # Set when the decision names one directory service (its agency is then the one recipient): it covers that
    # service, not the agency's other services.
    service_uuid = models.UUIDField(null=True, blank=True)
    service_name = models.CharField(max_length=300, blank=True)
    lawful_basis = models.CharField(max_length=40)
    special_category_condition = models.CharField(max_length=40)
    consent_status = models.CharField(max_length=20)
    necessity = models.TextField()
    para18 = models.JSONField(default=dict, blank=True)
    tell_person = models.BooleanField()
    why_not_tell = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["review_on"], name="sharing_review_on")]

    def __str__(self) -> str:
        return f"Share for {self.purpose} without consent ({self.consent_status})"
