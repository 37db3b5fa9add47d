"""Harm reports and complaints about services in the pathway, and their immutable history (docs/harm.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case
from joinedup.followup.models import FollowUp
from joinedup.harm.domain.model import ReportedBy
from joinedup.harm.domain.route import Status
from joinedup.incidents.models import Incident, TriageItem
from joinedup.people.models import Person
from joinedup.referrals.models import Service


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]  # type: ignore[attr-defined]


class HarmReport(models.Model):
    """Harm caused by a service (or by the pathway itself), in the words of whoever raised it. The agency that
    answers it reads this record only: never the person's other records."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    about_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    about_service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Who answers: the agency complained about (or the service's agency); the lead partner for the pathway itself.
    responder_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="harm_reports")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="harm_reports")
    reported_by = models.CharField(max_length=12, choices=_choices(ReportedBy))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # How to reply about this report, as given with it (blank when anonymous).
    contact_name = models.CharField(max_length=200, blank=True)
    contact_detail = models.CharField(max_length=300, blank=True)
    description = models.TextField()
    sources = models.JSONField(default=list, blank=True)
    impacts = models.JSONField(default=list, blank=True)
    wants = models.JSONField(default=list, blank=True)
    wants_other = models.CharField(max_length=500, blank=True)
    ill_treatment_in_care = models.BooleanField(default=False)
    update_cadence = models.CharField(max_length=12, default="fortnightly")
    # Independent advocacy is offered with every report; whether it was wanted is the person's answer (or unknown).
    advocacy_offered_at = models.DateTimeField(default=timezone.now)
    advocacy_wanted = models.BooleanField(null=True, blank=True)
    # A confidential concern from staff or others about a service (speaking up).
    speaking_up = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=_choices(Status), default=Status.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    acknowledge_by = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    person_view = models.TextField(blank=True)
    not_asked_reason = models.TextField(blank=True)
    minimisations = models.JSONField(default=list, blank=True)
    # Serious harm: a safeguarding concern and a possible offence, raised at once.
    serious = models.BooleanField(default=False)
    possible_offence = models.BooleanField(default=False)
    safeguarding_incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    safeguarding_case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    safeguarding_triage = models.ForeignKey(
        TriageItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An anonymous reporter's way back (their reference and passphrase, the conversation): null when none.
    follow_up = models.OneToOneField(FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["responder_agency", "status", "acknowledge_by"], name="harm_inbox"),
            models.Index(fields=["status", "received_at"], name="harm_due"),
        ]

    def __str__(self) -> str:
        return f"Harm report {self.uuid} ({self.status})"


class HarmTransition(models.Model):
    """An immutable step: who, when, from what to what, the note, lessons tagged, and the person's view at the
    end. An update to the person while it is looked into is a step that keeps the status."""

    report = models.ForeignKey(HarmReport, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    minimisations = models.JSONField(default=list, blank=True)
    person_view = models.TextField(blank=True)
    not_asked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class HarmEscalation(models.Model):
    """An overdue step escalated once per step and level: the unique constraint makes check_deadlines idempotent."""

    report = models.ForeignKey(HarmReport, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(max_length=12)  # acknowledge | update | respond
    due_on = models.DateField()
    level = models.PositiveSmallIntegerField()  # 1: the responding agency's leads; 2: the lead partner's
    at = models.DateTimeField(auto_now_add=True)
    to_users = models.JSONField(default=list)
    note = models.CharField(max_length=500)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "step", "due_on", "level"], name="harm_escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.step} due {self.due_on} level {self.level}"
