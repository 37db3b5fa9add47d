from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from joinedup.linkage.services import LinkageError, linkage_run


class Command(BaseCommand):
    help = (
        "Link every imported agency record and every JoinedUp person: train the linkage model without labels, "
        "score candidate pairs, link those above the auto-link weight, queue the uncertain ones for review and "
        "write identity clusters. Records are never merged; reviewers' decisions are kept. "
        "--backend spark runs the same model on Apache Spark (SPARK_MASTER, local by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = options["backend"]
        if backend == "spark":
            _check_spark()
        quiet = options["no_progress"] or options["verbosity"] == 0
        steps = ["Reading", "Preparing", "Estimating", "Training", "Training", "Scoring", "Writing"]
        with tqdm(total=len(steps), desc="Linking", unit=" steps", disable=quiet, file=self.stderr) as bar:

            def progress(message: str) -> None:
                bar.set_description(message[:60])
                bar.update(1)

            try:
                run = linkage_run(backend=backend, started_by="link_people command", progress=progress)
            except LinkageError as refused:
                raise CommandError(str(refused)) from refused
        f = run.figures
        self.stdout.write(
            self.style.SUCCESS(
                f"Linked {f['records']:,} records ({f['agency_records']:,} agency records, {f['joinedup_people']:,} "
                f"JoinedUp people) on {backend}: {f['auto_links']:,} automatic links, {f['review_pairs']:,} pairs "
                f"for review, {f['clusters_multi']:,} people found in more than one record."
            )
        )


def _check_spark() -> None:
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError as missing:
        raise CommandError("The Spark backend needs pyspark: pip install -r requirements.txt.") from missing
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise CommandError("The Spark backend needs Java 17 (Debian: apt-get install openjdk-17-jre-headless).")
