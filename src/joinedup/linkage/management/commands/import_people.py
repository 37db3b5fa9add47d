from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from joinedup.accounts.models import Agency
from joinedup.linkage.importing import ImportProblem, read_people_csv
from joinedup.linkage.services import agency_records_import, today


class Command(BaseCommand):
    help = (
        "Import an agency's people from a CSV file (columns source_id, given_name, family_name, other_names, "
        "date_of_birth, postcode, address, phone, email; only source_id and one name are required) for linkage. "
        "Values are kept as given; impossible dates and malformed postcodes are flagged, not corrected. "
        "Re-importing updates records by source_id. A file with any bad row imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to the CSV file (UTF-8)")
        parser.add_argument("--agency", required=True, help="short name (slug) of the agency the records come from")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the short name '{options['agency']}'.")
        path = Path(options["file"])
        quiet = options["no_progress"] or options["verbosity"] == 0
        with tqdm(desc="Checking rows", unit=" rows", disable=quiet, file=self.stderr) as bar:
            try:
                parsed = read_people_csv(path, today=today(), on_row=bar.update)
            except ImportProblem as problem:
                raise CommandError(f"Nothing was imported. {problem}") from problem
        with tqdm(total=len(parsed.rows), desc="Writing records", unit=" rows", disable=quiet, file=self.stderr) as bar:
            counts = agency_records_import(
                agency=agency, parsed=parsed, started_by="import_people command", on_written=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['created']:,} new, updated {counts['updated']:,} and left {counts['unchanged']:,} "
                f"unchanged records for {agency.name}; "
                f"{counts['flagged']:,} have values flagged as imperfect (kept as given)."
            )
        )
