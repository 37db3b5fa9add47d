"""Insights' own tables: pre-aggregated daily counts (no person in them), the refresh runs that made them, and the
strategic needs assessment's narrative sections. Tables only.

`DailyCount` holds only counts by day × area × measure × group — no person, case or incident identifier, no free
text — so the dashboards never touch a personal record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DailyCount(models.Model):
    day = models.DateField()
    # A postcode district ("EM4") or "unknown": never finer than that.
    area = models.CharField(max_length=16)
    measure = models.CharField(max_length=48)
    group = models.CharField(max_length=200)
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "day", "area", "group"], name="insights_daily_count_unique")
        ]
        # The unique constraint's index (measure, day, …) serves every dashboard query; this one, a filtered area.
        indexes = [models.Index(fields=["area", "measure", "day"], name="insights_area_measure_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.area} {self.measure}:{self.group}={self.value}"


class MonthlyCount(models.Model):
    """The same counts summed by calendar month (`month` is its first day), written by the same refresh. A
    dashboard period reads whole months from here and only its partial first and last months from DailyCount:
    a year is 12 rows per group instead of 365."""

    month = models.DateField()
    area = models.CharField(max_length=16)
    measure = models.CharField(max_length=48)
    group = models.CharField(max_length=200)
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "month", "area", "group"], name="insights_monthly_count_unique")
        ]
        indexes = [models.Index(fields=["area", "measure", "month"], name="insights_area_measure_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area} {self.measure}:{self.group}={self.value}"


class RefreshRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # The first day recomputed (everything before it was kept); null: everything was recomputed.
    since = models.DateField(null=True, blank=True)
    records_read = models.PositiveBigIntegerField(default=0)
    rows_written = models.PositiveBigIntegerField(default=0)
    # The areas present, so the area filter needs no scan of the counts; providers that answered.
    areas = models.JSONField(default=list)
    providers = models.JSONField(default=list)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "-finished_at"], name="insights_refresh_done")]

    def __str__(self) -> str:
        return f"Refresh {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class AssessmentSection(models.Model):
    """One version of one narrative section of a year's strategic needs assessment, written by staff. A change is
    a new row: earlier versions stay, with their author and date."""

    class Kind(models.TextChoices):
        NEED = "need", "Need"
        DEMAND = "demand", "Demand"
        GAPS = "gaps", "Gaps"
        OUTCOMES = "outcomes", "Outcomes"
        RECOMMENDATIONS = "recommendations", "Recommendations"

    year = models.PositiveSmallIntegerField(help_text="The financial year starting 1 April of this year")
    section = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "section", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "section", "version"], name="insights_section_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.section} v{self.version}"
