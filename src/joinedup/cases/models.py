"""Cases (one accountable key worker each), their immutable history, and the shared timeline. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.people.models import Person


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # Exactly one accountable key worker, always (principle 2). Changes are KeyWorkerAssignment rows.
    key_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="key_cases")
    key_worker_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Until someone chooses to hold it, the practitioner who opened the case holds it.
    key_worker_provisional = models.BooleanField(default=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Making Safeguarding Personal: what the person wants, asked at the start, in their words.
    desired_outcomes = models.TextField(blank=True)
    risk_level = models.CharField(max_length=10, default="standard")
    # cases.domain.rules.risk_rank(risk_level), kept in step by cases.services.case_risk_level_set: My work's
    # "highest risk first" is then a range of the case_key_worker_rank index.
    risk_rank = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="open"), name="case_one_open_case_per_person")
        ]
        indexes = [
            models.Index(fields=["key_worker", "status", "risk_rank", "opened_at", "id"], name="case_key_worker_rank"),
            models.Index(fields=["person", "status"], name="case_person_status"),
            # My work's "cases you hold until a key worker is chosen": a few among a key worker's thousands.
            models.Index(
                fields=["key_worker", "opened_at", "id"],
                condition=Q(key_worker_provisional=True, status="open"),
                name="case_held_until_chosen",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.uuid} ({self.status})"


class CaseTransition(models.Model):
    """An immutable record of a change of status: who, when, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class KeyWorkerAssignment(models.Model):
    """Who held the case, from when: the history behind Case.key_worker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="key_worker_history")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.user_id} from {self.at:%Y-%m-%d}"


class TimelineKind(models.TextChoices):
    INCIDENT_RECORDED = "incident_recorded", "Incident recorded"
    CASE_OPENED = "case_opened", "Case opened"
    CASE_REOPENED = "case_reopened", "Case reopened"
    KEY_WORKER_ASSIGNED = "key_worker_assigned", "Key worker assigned"
    REPORT_MATCHED = "report_matched", "Report matched to the person"
    PERSON_RECORDED = "person_recorded", "Person's details recorded"
    RISK_CHANGED = "risk_changed", "Risk level changed"
    CONSENT_CHANGED = "consent_changed", "Consent recorded or withdrawn"
    SHARING_DECISION = "sharing_decision", "Decision to share without consent"
    CONTACT = "contact", "Contact with the person"
    HANDOVER = "handover", "Handover"
    TASK = "task", "Task"
    ESCALATION = "escalation", "Escalation"
    CASE_CLOSED = "case_closed", "Case closed"
    REFERRAL = "referral", "Referral"
    SIGNPOST = "signpost", "Signposted"
    POLICE_REPORT = "police_report", "Police report"
    NOTE = "note", "Note"
    SAFETY_PLAN = "safety_plan", "Safety plan"
    PANEL = "panel", "Multi-agency risk panel"


class TimelineEntry(models.Model):
    """One event in the person's story. Everything meaningful becomes one, so nobody has to ask twice."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="timeline")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="timeline")
    at = models.DateTimeField()
    kind = models.CharField(max_length=40, choices=TimelineKind.choices)
    summary = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The field groups the summary's facts come from (cases/domain/story.py); the one door withholds the summary
    # from a reader who may not see every one of them.
    field_groups = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="timeline_person_at"),
            models.Index(fields=["case", "-at"], name="timeline_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}"


class Handover(models.Model):
    """A request to pass the case to another key worker. Until it is accepted the current key worker stays
    accountable (principle 2)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_to_me")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"), name="handover_one_pending")
        ]
        indexes = [models.Index(fields=["to_user", "status"], name="handover_to_status")]

    def __str__(self) -> str:
        return f"Handover {self.status}"


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="task_owner_due"),
            models.Index(fields=["status", "due_on"], name="task_status_due"),
        ]

    def __str__(self) -> str:
        return self.title


class Escalation(models.Model):
    """An overdue item escalated once per level: the unique constraint makes check_deadlines idempotent."""

    item_type = models.CharField(max_length=20)  # task | referral
    item_id = models.BigIntegerField()
    level = models.PositiveSmallIntegerField()  # 1: owner's agency lead; 2: the lead partner
    at = models.DateTimeField(auto_now_add=True)
    to_users = models.JSONField(default=list)
    note = models.CharField(max_length=500)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id", "level"], name="escalation_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.item_type} {self.item_id} level {self.level}"


class Closure(models.Model):
    """Making Safeguarding Personal at the end: the person's own outcome, in their words — or why they could
    not be asked."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    outcomes_met = models.CharField(max_length=10)  # fully | partly | not
    person_feels_safer = models.CharField(max_length=10)  # yes | partly | no | not_asked
    person_view = models.TextField(blank=True)
    not_asked_reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closed_at", "-id"]

    def __str__(self) -> str:
        return f"Closed: outcomes {self.outcomes_met}"


class SafetyPlanVersion(models.Model):
    """One version of a case's safety plan. Never edited: a change is a new version, so the history says who
    changed what, and when (cases/domain/safety_plan.py)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_plan_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    changed_parts = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The person changed it themselves (in their portal), or a practitioner did.
    by_person = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="safety_plan_version_unique")]

    def __str__(self) -> str:
        return f"plan v{self.number}"
