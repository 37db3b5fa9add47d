from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.risk.services import risk_assess_unassessed


class Command(BaseCommand):
    help = (
        "Store a first risk assessment for everyone who has incidents but none stored (records loaded in bulk, "
        "without the recording services that assess on every incident), and give their open cases the level. "
        "Safe to run again: people already assessed are left alone."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        assessed = risk_assess_unassessed()
        self.stdout.write(self.style.SUCCESS(f"Assessed {assessed:,} people who had no stored assessment."))
