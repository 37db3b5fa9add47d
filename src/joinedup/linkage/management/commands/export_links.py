from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from joinedup.linkage.models import ClusterMember
from joinedup.linkage.services import links_export


class Command(BaseCommand):
    help = (
        "Write agency, source_id, cluster_id for every imported agency record and every JoinedUp person (agency "
        "'joinedup', source_id the person's id) from the latest linkage run. Records sharing a cluster_id are "
        "believed to be one person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the CSV file")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} in.")
        if path.is_dir():
            raise CommandError(f"{path} is a folder: give a file name.")
        total = ClusterMember.objects.count()
        if total == 0:
            raise CommandError("There are no identity clusters yet: run link_people first.")
        quiet = options["no_progress"] or options["verbosity"] == 0
        with tqdm(total=total, desc="Exporting", unit=" rows", disable=quiet, file=self.stderr) as bar:
            count = links_export(path=path, started_by="export_links command", on_row=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} records to {path}."))
