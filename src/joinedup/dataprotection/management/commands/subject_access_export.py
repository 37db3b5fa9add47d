from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from joinedup.accounts.models import User
from joinedup.core.errors import ServiceError
from joinedup.dataprotection import pdf
from joinedup.dataprotection.selectors import subject_access_export


class Command(BaseCommand):
    help = (
        "Write everything held about one person (a subject access request, UK GDPR Art. 15) as JSON or PDF. "
        "--requested-by names the data protection lead answering the request: the export is made with their "
        "access and audited as an export in their name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person_id", help="the person's id (a UUID)")
        parser.add_argument("--requested-by", required=True, metavar="EMAIL", help="the data protection lead")
        parser.add_argument("--format", choices=["json", "pdf"], default="json")
        parser.add_argument("--output", required=True, metavar="FILE", help="where to write it (not overwritten)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person_id = uuid.UUID(options["person_id"])
        except ValueError as bad:
            raise CommandError("The person id must be a UUID, as shown on their record.") from bad
        lead = User.objects.filter(email__iexact=options["requested_by"].strip(), is_active=True).first()
        if lead is None:
            raise CommandError(f"No active account for {options['requested_by']}.")
        output = Path(options["output"])
        if output.exists():
            raise CommandError(f"{output} already exists; choose a new file name.")
        try:
            export = subject_access_export(actor=lead, person_uuid=person_id, purpose="Subject access request")
            content = (
                pdf.render(export)
                if options["format"] == "pdf"
                else json.dumps(export, indent=2, ensure_ascii=False).encode()
            )
        except Http404 as hidden:
            raise CommandError(f"{lead.name} cannot see that person (or there is no such person).") from hidden
        except ServiceError as refused:
            raise CommandError(refused.message) from refused
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from refused
        try:
            output.write_bytes(content)
        except OSError as unwritable:
            raise CommandError(f"Cannot write {output}: {unwritable.strerror or unwritable}") from unwritable
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
