from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.referrals.services import services_export


class Command(BaseCommand):
    help = "Write the service directory out as an Open Referral UK service list (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        services = services_export()
        body = {
            "total_items": len(services),
            "total_pages": 1,
            "page_number": 1,
            "size": len(services),
            "first_page": True,
            "last_page": True,
            "empty": not services,
            "contents": services,
        }
        try:
            Path(options["file"]).write_text(json.dumps(body, indent=2, default=str))
        except OSError as unwritable:
            raise CommandError(f"Cannot write {options['file']}: {unwritable.strerror or unwritable}") from unwritable
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(services)} services to {options['file']}."))
