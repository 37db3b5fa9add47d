"""The service directory (Open Referral UK model) and referrals with immutable transitions. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case


class Service(models.Model):
    """A service people can be referred or signposted to. `uuid` is its Open Referral id; `raw` keeps the full
    Open Referral record so an export gives back everything an import brought."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        help_text="The partner agency that receives its referrals; empty: signpost only",
    )
    organization_uuid = models.UUIDField(null=True, blank=True)
    organization_name = models.CharField(max_length=300)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=30, default="active")
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    needs = models.JSONField(default=list, help_text="Which pathway needs it meets (suggestion kinds)")
    area = models.CharField(max_length=300, blank=True)
    eligibility = models.TextField(blank=True)
    referral_route = models.TextField(blank=True)
    accepts_self_referral = models.BooleanField(default=False)
    opening_times = models.TextField(blank=True)
    languages = models.JSONField(default=list)
    accessibility = models.TextField(blank=True)
    waiting_days = models.PositiveSmallIntegerField(null=True, blank=True)
    routine_working_days = models.PositiveSmallIntegerField(default=2)  # Victims' Code: 2 working days
    urgent_working_days = models.PositiveSmallIntegerField(default=1)
    assured_date = models.DateField(null=True, blank=True)
    last_modified = models.DateTimeField(default=timezone.now)
    raw = models.JSONField(default=dict)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="service_status_name")]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    OVERDUE = "overdue", "Overdue"
    COMPLETED = "completed", "Completed"


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.OVERDUE)


class ReferralKind(models.TextChoices):
    # Asking a service to help the person.
    SERVICE = "service", "Referral to a service"
    # Asking an agency believed to hold records of the person (linkage) what it knows, with the person's consent
    # (docs/adr/0010-information-requests-are-referrals.md). Answered with the information, or declined with a
    # reason and another route; the same deadlines, escalation, inbox and pages as a referral.
    INFORMATION = "information", "Request for information"


class Referral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=ReferralKind.choices, default=ReferralKind.SERVICE)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # The service referred to; none for a request for information, which goes to the agency itself.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="incoming_referrals")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="outgoing_referrals")
    reason = models.TextField()
    urgency = models.CharField(max_length=10, default="routine")
    # The current status, kept in step with the transitions (which are the record) for indexed inbox queries.
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    respond_by = models.DateTimeField()
    named_contact = models.CharField(max_length=300, blank=True)
    decline_reason = models.TextField(blank=True)
    alternative_service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    alternative = models.TextField(blank=True)
    # A request for information: what the agency answered (its words about the person, shown only to readers who
    # see the whole record, and to the agency that wrote it).
    information = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["respond_by", "id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "respond_by"], name="referral_inbox"),
            models.Index(fields=["from_agency", "status"], name="referral_outbox"),
            models.Index(fields=["status", "respond_by"], name="referral_due"),
        ]
        constraints = [
            # Once only: a double submit of the refer form (or two colleagues at once) cannot make a second open
            # referral to the same service for the same case; the service returns the first instead.
            models.UniqueConstraint(
                fields=["case", "service"],
                condition=models.Q(status__in=["sent", "accepted", "overdue"]),
                name="referral_one_open_per_case_service",
            ),
            # Once only for requests for information too: one open request per case and agency asked.
            models.UniqueConstraint(
                fields=["case", "to_agency"],
                condition=models.Q(kind="information", status__in=["sent", "accepted", "overdue"]),
                name="information_request_one_open_per_case_agency",
            ),
            # A referral names its service; a request for information names none (it goes to the agency).
            models.CheckConstraint(
                condition=models.Q(kind="service", service__isnull=False)
                | models.Q(kind="information", service__isnull=True),
                name="referral_service_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.service_id or self.to_agency_id} ({self.status})"

    @property
    def is_information_request(self) -> bool:
        return self.kind == ReferralKind.INFORMATION

    @property
    def about(self) -> str:
        """What it is, in a few words, where pages list referrals: the service's name, or "Request for
        information" (the agency is named beside it)."""
        return self.service.name if self.service is not None else "Request for information"

    @property
    def title(self) -> str:
        """A heading for the referral's pages and messages."""
        if self.service is not None:
            return f"Referral to {self.service.name}"
        return f"Request for information from {self.to_agency.name}"


class ReferralTransition(models.Model):
    """An immutable step in a referral's life: who, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class Signpost(models.Model):
    """The person was given a service's details (no referral made)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signposts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Signposted to {self.service_id}"
