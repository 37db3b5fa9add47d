from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import Agency
from joinedup.core.domain import limits
from joinedup.referrals.services import services_import

# A directory of thousands of services is a few megabytes; far beyond that is a mistake or an attack.
IMPORT_MAX_BYTES = 50_000_000


class Command(BaseCommand):
    help = (
        "Import an Open Referral UK JSON file (a service list with 'contents', a list of services, or one service). "
        "With --agency, the imported services receive referrals for that agency. Re-importing updates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--agency", default=None, help="slug of the agency that receives their referrals")
        parser.add_argument(
            "--allow-owner-change",
            action="store_true",
            help="let this import move a known service to another agency (its referrals then go there)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except FileNotFoundError as missing:
            raise CommandError(f"No file at {path}") from missing
        except OSError as unreadable:
            raise CommandError(f"Cannot read {path}: {unreadable.strerror or unreadable}") from unreadable
        if len(raw) > IMPORT_MAX_BYTES:
            raise CommandError(f"{path} is larger than {IMPORT_MAX_BYTES // 1_000_000} MB; split the directory.")
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as bad:
            raise CommandError(f"{path} is not UTF-8 text (byte {bad.start} cannot be read).") from bad
        except RecursionError as deep:
            raise CommandError(f"{path}: the JSON is nested more than {limits.JSON_MAX_DEPTH} levels deep.") from deep
        except json.JSONDecodeError as bad:
            raise CommandError(f"{path} is not JSON: {bad}") from bad
        problem = limits.json_value_problem(data)
        if problem:
            raise CommandError(f"{path}: {problem}")
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
            counts = services_import(
                records=records, agency=agency, actor=None, allow_owner_change=options["allow_owner_change"]
            )
        self.stdout.write(
            self.style.SUCCESS(f"Imported {counts['created']} new and updated {counts['updated']} services.")
        )
