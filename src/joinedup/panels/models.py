"""The multi-agency risk conference: panels, meetings, panel referrals (immutable transitions), research, minutes,
actions and Safeguarding Adults Review considerations. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.accounts.models import Agency
from joinedup.cases.models import Case


class Panel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=200)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agencies = models.ManyToManyField(Agency, through="PanelMember", related_name="panels")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """A member agency and the colleague who represents it at meetings."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["panel", "agency"], name="panel_member_once")]

    def __str__(self) -> str:
        return f"{self.agency_id} on {self.panel_id}"


class Meeting(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["panel", "date"], name="meeting_panel_date")]

    def __str__(self) -> str:
        return f"{self.panel_id} {self.date}"


class PanelReferral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="panel_referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # [{"code", "label", "rule"}]: each criterion that held, with the rule shown.
    criteria = models.JSONField(default=list)
    summary = models.TextField()
    judgement_reasons = models.TextField(blank=True)
    vulnerability = models.JSONField(default=list)  # personal | situational | incidental
    repeat = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    # The current status, kept in step with the transitions (which are the record).
    status = models.CharField(max_length=10, default="referred")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="listed")
    consent_basis = models.CharField(max_length=20)
    # The member agencies consent or a sharing decision covered when the case was referred (and again when it was
    # listed): only they see the person's details. An agency that joins the panel later sees that a case is on
    # the agenda, not who it is, until the case is listed again with their cover.
    shared_with = models.ManyToManyField(Agency, related_name="+", blank=True)
    referred_at = models.DateTimeField(default=timezone.now)
    heard_at = models.DateTimeField(null=True, blank=True)
    # Why the panel closed the case (rules.CloseOutcome); the reason is the closing transition's note.
    outcome = models.CharField(max_length=20, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
        indexes = [models.Index(fields=["panel", "status"], name="panel_referral_status")]

    def __str__(self) -> str:
        return f"Panel referral {self.pk} ({self.status})"


class PanelReferralTransition(models.Model):
    """An immutable step in a panel referral's life."""

    panel_referral = models.ForeignKey(PanelReferral, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class PersonsVoice(models.Model):
    """What the person wants and fears, in their words, brought by their advocate or key worker (the person does
    not attend). Read first at the meeting; each new recording is kept, the latest is read."""

    panel_referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="voices")
    words = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    as_role = models.CharField(max_length=20)  # rules.VoiceBy
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"The person's voice ({self.as_role})"


class Research(models.Model):
    """What one member agency knows of the person before a meeting: what it knows, the risks, what it can offer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="research")
    panel_referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "-at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "panel_referral", "agency"], name="research_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"Research by {self.agency_id}"


class Minutes(models.Model):
    """The minutes of one case at one meeting, shown only to the agencies present for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    panel_referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="minutes")
    persons_voice = models.TextField(help_text="What the person wants and fears, in their words: read first")
    discussion = models.TextField()
    present_agencies = models.ManyToManyField(Agency, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "panel_referral"], name="minutes_once_per_case")]

    def __str__(self) -> str:
        return f"Minutes {self.pk}"


class Action(models.Model):
    """A specific action agreed at the panel: what, which agency, who owns it, by when; done only with evidence."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    panel_referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    what = models.TextField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="panel_action_due")]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class ReviewConsideration(models.Model):
    """The chair's record that a Safeguarding Adults Review (Care Act 2014 s44) was considered, and the decision."""

    panel_referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="reviews")
    commissioned = models.BooleanField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Review considered ({'yes' if self.commissioned else 'no'})"
