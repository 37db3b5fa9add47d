"""Reports to the police (the package as sent is kept, never changed), their outcomes, and Victims' Code evidence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case


class PoliceReport(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", "Sent to the police"
        CRIME_RECORDED = "crime_recorded", "Crime recorded"
        NON_CRIME = "non_crime", "Recorded as a non-crime outcome"
        OUTCOME = "outcome", "Outcome recorded"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="police_reports")
    police = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="police_reports")
    incidents = models.ManyToManyField("incidents.Incident", related_name="police_reports")
    third_party = models.BooleanField(default=False)
    anonymous_to_police = models.BooleanField(default=False)
    via_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    update_cadence = models.CharField(max_length=12, default="fortnightly")
    opted_out_of_support = models.BooleanField(default=False)
    # The set of incidents reported, normalised (sorted incident ids, hashed) so the database can hold one pending
    # report per case and set of incidents: a double submit returns the first report instead of sending twice.
    incident_key = models.CharField(max_length=64, default="", blank=True)
    package = models.JSONField()  # exactly what was sent
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    crime_reference = models.CharField(max_length=60, blank=True)
    non_crime = models.JSONField(default=dict, blank=True)  # the NCHI decision applied to what police retain
    outcome = models.CharField(max_length=40, blank=True)
    outcome_reason = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_explained_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["police", "status", "-created_at"], name="police_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "incident_key"],
                condition=models.Q(status="sent"),
                name="police_report_one_pending_per_incidents",
            )
        ]

    def __str__(self) -> str:
        return f"Police report {self.uuid} ({self.status})"


class VictimsCodeEvidence(models.Model):
    """Something done that meets a Victims' Code right: who did it, when, what."""

    report = models.ForeignKey(PoliceReport, on_delete=models.CASCADE, related_name="evidence")
    right = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"Right {self.right}: {self.text}"
