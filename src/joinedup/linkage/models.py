"""Agency records imported for linkage, linkage runs, identity clusters and the pairs people review. Tables only.

Records are linked, never merged: an agency's record and a JoinedUp person stay exactly as they were; a cluster
says which records are believed to be one person, and each link keeps the evidence for it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from joinedup.accounts.models import Agency


class AgencyRecord(models.Model):
    """One person as an agency's own system holds them, kept exactly as imported (personal data)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    source_id = models.CharField(max_length=100)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    other_names = models.CharField(max_length=500, blank=True)
    date_of_birth = models.CharField(max_length=40, blank=True, help_text="As given; may not be a real date")
    postcode = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=1000, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    email = models.CharField(max_length=320, blank=True)
    # What is imperfect about the values (domain/records.py FLAG_LABELS), never corrected.
    flags = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "source_id"], name="agency_record_source_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.source_id}"


class LinkageRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    backend = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Counts only (no personal data): records, people, pairs scored, auto links, pairs for review, clusters...
    figures = models.JSONField(default=dict, blank=True)
    # The trained model (Splink settings with m and u probabilities): how every weight was reached.
    model = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=500, blank=True)
    started_by = models.CharField(max_length=200, blank=True, help_text="Operator command or account")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Linkage run {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class ClusterMember(models.Model):
    """Which identity cluster a record belongs to after the latest run: an agency record or a JoinedUp person."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="members")
    record_key = models.CharField(max_length=50, unique=True, help_text="a:<agency record id> or p:<person uuid>")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Agencies that hold this record: its own agency, or every agency that knows the JoinedUp person.
    agency_ids = models.JSONField(default=list)
    cluster = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.record_key} in {self.cluster}"


class RecordLink(models.Model):
    """A scored pair: linked automatically, waiting for a person to decide, or decided. Decisions outlive runs:
    a later run never overturns a confirmation or a rejection."""

    class Status(models.TextChoices):
        AUTO = "auto", "Linked automatically"
        REVIEW = "review", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed by a reviewer"
        REJECTED = "rejected", "Rejected by a reviewer"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    left_key = models.CharField(max_length=50)
    right_key = models.CharField(max_length=50)
    run = models.ForeignKey(LinkageRun, on_delete=models.SET_NULL, null=True, related_name="links")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    # Each comparison's contribution: [{"comparison", "level", "weight"}], the prior first.
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left_key", "right_key"], name="record_link_pair_unique")]
        indexes = [
            models.Index(fields=["status", "-match_weight"], name="record_link_queue"),
            models.Index(fields=["right_key"], name="record_link_right"),
        ]

    def __str__(self) -> str:
        return f"{self.left_key} ~ {self.right_key} ({self.status})"
