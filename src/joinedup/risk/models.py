"""Risk rule-set versions, assessments (the history of levels) and professional judgements. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from joinedup.people.models import Person


class RiskRuleSetVersion(models.Model):
    """The partnership's local thresholds, versioned with an effective date. Never edited: a change is a new
    version, so every assessment can say exactly which rules it used."""

    name = models.CharField(max_length=60, default="risk-identification")
    version = models.CharField(max_length=20, unique=True)
    effective_from = models.DateField()
    thresholds = models.JSONField()
    note = models.CharField(max_length=500, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class RiskJudgement(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risk_judgements")
    level = models.CharField(max_length=10)
    reasons = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_agency_name = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.level} by {self.by_id}"


class RiskAssessment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risk_assessments")
    level = models.CharField(max_length=10)
    actuarial_level = models.CharField(max_length=10)
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField()
    panel_criteria = models.JSONField(default=list)
    case_review_eligible = models.BooleanField(default=False)
    rule_set_name = models.CharField(max_length=60)
    rule_set_version = models.CharField(max_length=20)
    trigger = models.CharField(max_length=200)
    judgement = models.ForeignKey(RiskJudgement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["person", "-assessed_at"], name="risk_person_assessed")]

    def __str__(self) -> str:
        return f"{self.level} ({self.rule_set_version})"
