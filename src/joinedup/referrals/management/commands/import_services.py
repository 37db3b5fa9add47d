from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import Agency
from joinedup.referrals.services import services_import


class Command(BaseCommand):
    help = (
        "Import an Open Referral UK JSON file (a service list with 'contents', a list of services, or one service). "
        "With --agency, the imported services receive referrals for that agency. Re-importing updates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--agency", default=None, help="slug of the agency that receives their referrals")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError as missing:
            raise CommandError(f"No file at {path}") from missing
        except json.JSONDecodeError as bad:
            raise CommandError(f"{path} is not JSON: {bad}") from bad
        records = data.get("contents") if isinstance(data, dict) and "contents" in data else data
        if isinstance(records, dict):
            records = [records]
        if not isinstance(records, list):
            raise CommandError("Expected an Open Referral service, a list of services, or a list with 'contents'.")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with the short name '{options['agency']}'.")
        with service_errors_as_command_errors():
            counts = services_import(records=records, agency=agency, actor=None)
        self.stdout.write(
            self.style.SUCCESS(f"Imported {counts['created']} new and updated {counts['updated']} services.")
        )
