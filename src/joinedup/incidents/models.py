"""What happened, as recorded at any door; drafts of journeys; the hub's triage queue. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case
from joinedup.followup.models import FollowUp
from joinedup.people.models import Person


class Incident(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Absent for anonymous reports and for reports the hub has not yet matched to a person.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents")
    reported_by = models.CharField(max_length=20)  # self | third_party | practitioner
    anonymous = models.BooleanField(default=False)
    # For third-party reports: {"name", "relationship", "phone", "email", "person_knows", "contact_me_instead"}.
    reporter = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    entry_setting = models.CharField(max_length=16, blank=True)  # acute | primary | community | specialised
    entry_need = models.CharField(max_length=16, blank=True)  # physical | mental
    # Exact, a range, or neither ("not sure"): approximate dates are normal and allowed.
    occurred_on = models.DateField(null=True, blank=True)
    occurred_from = models.DateField(null=True, blank=True)
    occurred_to = models.DateField(null=True, blank=True)
    location_kind = models.CharField(max_length=32, blank=True)
    # The person's own words, verbatim. Never edited, never paraphrased (principle 1).
    description = models.TextField()
    kinds = models.JSONField(default=list)
    strands = models.JSONField(default=list)
    perceived_by = models.JSONField(default=list)
    strand_other_detail = models.CharField(max_length=300, blank=True)
    injuries = models.TextField(blank=True)
    impacts = models.JSONField(default=list)
    happened_before = models.CharField(max_length=10, default="unknown")
    police_aware = models.BooleanField(null=True, blank=True)
    dismissed_as_symptom = models.BooleanField(null=True, blank=True)
    care_has_needs = models.CharField(max_length=10, default="unknown")
    care_unable_to_protect_self = models.CharField(max_length=10, default="unknown")
    wishes = models.TextField(blank=True)
    wanted_actions = models.JSONField(default=list)
    # The classification result and the rule-set version that made it (recomputed, never hand-edited).
    classification = models.JSONField(default=dict)
    rule_set_version = models.CharField(max_length=20)
    # For risk: the most serious kind recorded, as a rank (see risk rules), so history queries need no JSON.
    severity = models.PositiveSmallIntegerField(default=0)
    hate_incident = models.BooleanField(default=False)
    # A crisis in the answers (danger now, thoughts of suicide, self-harm, cannot keep safe): the flags, in
    # order, and whether the report is urgent (picked up the same day). See incidents/domain/urgency.py.
    risk_flags = models.JSONField(default=list, blank=True)
    urgent = models.BooleanField(default=False)
    # One event, many accounts: another account of an event already recorded points at the event's first account
    # (its primary, which points nowhere). Each account is kept verbatim; risk, panel counts and police packages
    # count the event once.
    same_event_as = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="other_accounts"
    )
    # When it was recorded. Set by the database default for live records; historic imports set it explicitly.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="incident_person_created"),
            models.Index(fields=["recording_agency", "-created_at"], name="incident_agency_created"),
        ]

    def __str__(self) -> str:
        return f"Incident {self.uuid}"

    @property
    def occurred_text(self) -> str:
        if self.occurred_on:
            return f"{self.occurred_on.day} {self.occurred_on:%B %Y}"
        if self.occurred_from and self.occurred_to:
            start, end = self.occurred_from, self.occurred_to
            return f"Between {start.day} {start:%B %Y} and {end.day} {end:%B %Y}"
        return "Date not known"


class Perpetrator(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="perpetrators")
    relationship = models.CharField(max_length=32)
    details = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.relationship


class TriageStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to be picked up"
    MATCHED = "matched", "Matched to a person"
    ANONYMOUS_RECORDED = "anonymous_recorded", "Recorded without a person (anonymous)"


class TriageItem(models.Model):
    """A report made straight to the partnership (self or third party). It is owned by the hub agency from the
    moment it arrives, so nothing reported is ever lost or left without an owner."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="triage")
    hub = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=TriageStatus.choices, default=TriageStatus.WAITING)
    # What the reporter told us about the person, for the hub to match: {"given_name", "family_name", ...}.
    reported_identity = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.CharField(max_length=500, blank=True)
    reference = models.CharField(max_length=12, unique=True)
    # The day the hub must pick it up by: the same day when urgent, otherwise the next working day.
    due_on = models.DateField(null=True, blank=True)
    # An anonymous reporter's way back (their passphrase, the conversation): null when they kept none.
    follow_up = models.OneToOneField(FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["hub", "status", "received_at"], name="triage_hub_queue")]

    def __str__(self) -> str:
        return f"Report {self.reference} ({self.status})"


class JourneyDraft(models.Model):
    """Answers kept server-side between question pages, so a timeout or a closed tab loses nothing. A public
    reporter resumes with the code shown on every page; a practitioner's drafts belong to their account."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    journey = models.CharField(max_length=20)  # self | third_party | practitioner
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    resume_code = models.CharField(max_length=12, unique=True)
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()
    submitted_incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner_updated")]

    def __str__(self) -> str:
        return f"Draft {self.journey} {self.resume_code}"
