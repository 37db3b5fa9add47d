"""Writes of the linkage app: importing agency records, running linkage, and reviewers' decisions.

Records are never merged. A run replaces the automatic links and the open review queue and recomputes the
identity clusters; confirmations and rejections made by reviewers are kept and respected by every later run.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.linkage import engine
from joinedup.linkage.importing import ParsedFile
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink
from joinedup.people.models import Person
from joinedup.risk.services import risk_reassess_people

RECORD_FIELDS = (
    "source_id",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "postcode",
    "address",
    "phone",
    "email",
)
BATCH = 5_000


class LinkageError(InvalidInput):
    """A linkage operation that cannot go ahead, with a message for the operator or reviewer."""


def agency_records_import(
    *, agency: Agency, parsed: ParsedFile, started_by: str, on_written: Callable[[int], object] | None = None
) -> dict[str, int]:
    """Create or update (by source_id) every record of a checked file, in one transaction: all or nothing."""
    now = timezone.now()
    before = AgencyRecord.objects.filter(agency=agency).count()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            written = _copy_upsert(agency, parsed, now, on_written)
        else:
            written = _bulk_upsert(agency, parsed, now, on_written)
        after = AgencyRecord.objects.filter(agency=agency).count()
        counts = {
            "created": after - before,
            "updated": written - (after - before),
            "unchanged": len(parsed.rows) - written,
            "flagged": parsed.flagged,
        }
        record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="linkage.agencyrecord",
            object_id=agency.slug,
            purpose="Importing an agency's people for linkage",
            reason="An operator imported the agency's records for the partnership's linkage.",
            basis="linkage_import",
            summary=f"{counts['created']} created, {counts['updated']} updated, {counts['flagged']} flagged "
            f"for {agency.name} by {started_by}",
            details={"agency": agency.slug, **counts},
        )
    return counts


def _copy_upsert(agency: Agency, parsed: ParsedFile, now: Any, on_written: Callable[[int], object] | None) -> int:
    """PostgreSQL: COPY into a temporary table, then one INSERT ... ON CONFLICT. About 8 s a million rows."""
    columns = ", ".join(RECORD_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE linkage_import (source_id text, given_name text, family_name text, "
            "other_names text, date_of_birth text, postcode text, address text, phone text, email text, "
            "flags jsonb) ON COMMIT DROP"
        )
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY linkage_import ({columns}, flags) FROM STDIN") as copy:
            for start in range(0, len(parsed.rows), BATCH):
                for values, flags in zip(
                    parsed.rows[start : start + BATCH], parsed.flags[start : start + BATCH], strict=True
                ):
                    copy.write_row((*values, json.dumps(flags)))
                if on_written is not None:
                    on_written(len(parsed.rows[start : start + BATCH]))
        updates = ", ".join(f"{field} = EXCLUDED.{field}" for field in (*RECORD_FIELDS[1:], "flags"))
        changed = ", ".join(f"linkage_agencyrecord.{field}" for field in (*RECORD_FIELDS[1:], "flags"))
        excluded = ", ".join(f"EXCLUDED.{field}" for field in (*RECORD_FIELDS[1:], "flags"))
        # Column names come from RECORD_FIELDS (constants), never from input; values are parameters.
        cursor.execute(
            f"INSERT INTO linkage_agencyrecord (agency_id, {columns}, flags, imported_at, updated_at) "  # noqa: S608
            f"SELECT %s, {columns}, flags, %s, %s FROM linkage_import "
            f"ON CONFLICT (agency_id, source_id) DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at "
            # Unchanged records are not rewritten: re-sending a whole file costs little more than reading it.
            f"WHERE ({changed}) IS DISTINCT FROM ({excluded})",
            [agency.pk, now, now],
        )
        written = cursor.rowcount
        # Dropped now, not only at commit: an enclosing transaction (a test, a larger import) may import again.
        cursor.execute("DROP TABLE linkage_import")
    return int(written)


def _bulk_upsert(agency: Agency, parsed: ParsedFile, now: Any, on_written: Callable[[int], object] | None) -> int:
    for start in range(0, len(parsed.rows), BATCH):
        batch = [
            AgencyRecord(
                agency=agency,
                **dict(zip(RECORD_FIELDS, values, strict=True)),
                flags=flags,
                imported_at=now,
                updated_at=now,
            )
            for values, flags in zip(
                parsed.rows[start : start + BATCH], parsed.flags[start : start + BATCH], strict=True
            )
        ]
        AgencyRecord.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["agency", "source_id"],
            update_fields=[*RECORD_FIELDS[1:], "flags", "updated_at"],
        )
        if on_written is not None:
            on_written(len(batch))
    return len(parsed.rows)


def _person_key(person_uuid: object) -> str:
    return f"p:{person_uuid}"


def _record_key(record_id: int) -> str:
    return f"a:{record_id}"


def _ordered(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left < right else (right, left)


def _records_to_link() -> tuple[Any, list[str], list[list[int]], int, int]:
    """Every agency record and every JoinedUp person as one frame, with each row's key and agencies. Read column by
    column from a server-side cursor: a million records never sit in memory twice (as row tuples and as a frame)."""
    import pandas as pd

    from joinedup.people.selectors import people_for_linkage

    columns: dict[str, list[str]] = {name: [] for name in RECORD_FIELDS[1:]}
    keys: list[str] = []
    member_agencies: list[list[int]] = []
    for row in (
        AgencyRecord.objects.order_by("id")
        .values_list("id", "agency_id", *RECORD_FIELDS[1:])
        .iterator(chunk_size=BATCH)
    ):
        keys.append(_record_key(row[0]))
        member_agencies.append([row[1]])
        for name, value in zip(RECORD_FIELDS[1:], row[2:], strict=True):
            columns[name].append(value)
    agency_records = len(keys)
    people = people_for_linkage(purpose="Linkage run")
    for person in people:
        keys.append(_person_key(person["uuid"]))
        member_agencies.append(list(person["agency_ids"]))
        for name in RECORD_FIELDS[1:]:
            columns[name].append(person[name])
    raw = pd.DataFrame(columns)
    del columns
    raw["unique_id"] = range(len(keys))
    raw["agency"] = [str(agencies[0]) if agencies else "" for agencies in member_agencies]
    return raw, keys, member_agencies, agency_records, len(people)


def linkage_run(
    *,
    backend: str = "duckdb",
    started_by: str,
    spark_master: str | None = None,
    progress: engine.Progress | None = None,
) -> LinkageRun:
    """Link every agency record and every JoinedUp person: train, score, queue the review band, cluster."""
    say = progress or (lambda _message: None)
    run = LinkageRun.objects.create(backend=backend, started_at=timezone.now(), started_by=started_by[:200])
    try:
        say("Reading agency records and JoinedUp people")
        raw, keys, member_agencies, agency_records, people_count = _records_to_link()
        if len(keys) < 2:
            raise LinkageError(
                "There are fewer than two records to link: import some agency records first.", code="nothing_to_link"
            )
        say(f"Preparing {len(keys):,} records")
        keys_frame = engine.prepare(raw)
        del raw
        with engine.score(keys_frame, backend=backend, spark_master=spark_master, progress=say) as scored:
            del keys_frame
            say("Writing links and clusters")
            linked_before = _people_groups()
            figures = _write_results(run, keys, member_agencies, scored)
            linked_after = _people_groups()
        figures.update(
            {
                "agency_records": agency_records,
                "joinedup_people": people_count,
                "train_seconds": round(scored.timings.get("train_s", 0.0), 1),
                "score_seconds": round(scored.timings.get("predict_s", 0.0), 1),
            }
        )
        run.figures = figures
        run.model = scored.model
        run.status = LinkageRun.Status.FINISHED
    except LinkageError as refused:
        run.status, run.message = LinkageRun.Status.FAILED, str(refused)[:500]
        run.finished_at = timezone.now()
        run.save()
        raise
    except Exception as failure:
        run.status, run.message = LinkageRun.Status.FAILED, f"{type(failure).__name__}: {failure}"[:500]
        run.finished_at = timezone.now()
        run.save()
        raise
    run.finished_at = timezone.now()
    run.save()
    record(
        actor=None,
        action=AuditAction.CREATE,
        obj=run,
        purpose="Linking records of the same person across agencies",
        reason="An operator ran the partnership's linkage.",
        basis="linkage_run",
        summary=f"Linkage run by {started_by}: {run.figures.get('clusters_multi', 0)} people found in more than one "
        "record",
        details={key: value for key, value in run.figures.items() if isinstance(value, int | float)},
    )
    # Risk counts linked history: the people whose linked records this run changed are assessed again.
    changed = {
        key for key in linked_before.keys() | linked_after.keys() if linked_before.get(key) != linked_after.get(key)
    }
    risk_reassess_people(person_ids=_person_ids(changed), trigger="a linkage run changed their linked records")
    return run


def _write_results(
    run: LinkageRun, keys: list[str], agencies: list[list[int]], scored: engine.Scored
) -> dict[str, Any]:
    """Cluster, then store the review band in full and, of the automatic links, the strongest ones that hold each
    cluster together (a maximum spanning forest): every link needed to explain a cluster, not the millions of
    redundant pairs a large family of records produces."""
    import numpy as np

    position = {key: i for i, key in enumerate(keys)}
    decided = {
        _ordered(left, right): status
        for left, right, status in RecordLink.objects.filter(
            status__in=[RecordLink.Status.CONFIRMED, RecordLink.Status.REJECTED]
        ).values_list("left_key", "right_key", "status")
    }
    lefts, rights = scored.left, scored.right
    # Decided pairs found among the scored ones by a (low, high) position key, vectorised (millions of pairs).
    count = len(keys)
    pair_keys = np.minimum(lefts, rights) * count + np.maximum(lefts, rights)

    def decided_mask(status_wanted: set[str]) -> np.ndarray:
        found = [
            min(position[left], position[right]) * count + max(position[left], position[right])
            for (left, right), status in decided.items()
            if status in status_wanted and left in position and right in position
        ]
        return np.isin(pair_keys, np.array(found, dtype=np.int64))

    already = decided_mask({RecordLink.Status.CONFIRMED, RecordLink.Status.REJECTED})
    rejected = decided_mask({RecordLink.Status.REJECTED})
    confirmed = [
        (position[left], position[right])
        for (left, right), status in decided.items()
        if status == RecordLink.Status.CONFIRMED and left in position and right in position
    ]
    settled = engine.settle(
        scored, len(keys), rejected=rejected, decided=already, confirmed=np.array(confirmed, dtype=np.int64)
    )
    clusters, stored = settled.clusters, settled.stored
    with transaction.atomic():
        RecordLink.objects.filter(status__in=[RecordLink.Status.AUTO, RecordLink.Status.REVIEW]).delete()
        ClusterMember.objects.all().delete()
        _insert(
            RecordLink,
            [
                "uuid",
                "left_key",
                "right_key",
                "run_id",
                "match_weight",
                "match_probability",
                "explanation",
                "status",
                "decision_note",
            ],
            (
                (
                    uuid.uuid4(),
                    *_ordered(keys[int(lefts[i])], keys[int(rights[i])]),
                    run.pk,
                    float(scored.weight[i]),
                    float(scored.probability[i]),
                    explanation,
                    RecordLink.Status.AUTO if scored.weight[i] >= engine.AUTO_LINK_WEIGHT else RecordLink.Status.REVIEW,
                    "",
                )
                # Explanations are fetched from the backend only for the pairs stored, a chunk at a time.
                for i, explanation in scored.explanations(stored)
            ),
        )
        _insert(
            ClusterMember,
            ["run_id", "record_key", "agency_id", "agency_ids", "cluster"],
            (
                (run.pk, key, agencies[i][0] if key.startswith("a:") else None, agencies[i], int(clusters[i]))
                for i, key in enumerate(keys)
            ),
        )
    sizes = np.bincount(clusters, minlength=len(keys)) if len(keys) else np.zeros(0, dtype=np.int64)
    return {
        "records": len(keys),
        "pairs_scored": len(scored),
        "auto_links": int(settled.auto.sum()),
        "auto_links_stored": len(settled.kept_auto),
        "review_pairs": int(settled.review.sum()),
        "confirmed_kept": len(confirmed),
        "rejected_kept": sum(1 for status in decided.values() if status == RecordLink.Status.REJECTED),
        "clusters": int((sizes > 0).sum()),
        "clusters_multi": int((sizes > 1).sum()),
        "largest_cluster": int(sizes.max()) if len(keys) else 0,
        "auto_link_weight": engine.AUTO_LINK_WEIGHT,
        "review_weight": engine.REVIEW_WEIGHT,
    }


def _insert(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Many rows at once: COPY on PostgreSQL (a million cluster members in seconds), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        json_columns = {"explanation", "agency_ids"}
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(value) if name in json_columns else value
                        for name, value in zip(columns, row, strict=True)
                    ]
                )
        return
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def link_decide(*, actor: User, link_uuid: Any, decision: str, note: str = "") -> RecordLink:
    """A reviewer confirms or rejects a pair. Remembered across runs; clusters follow at once."""
    from joinedup.access.decision import NotVisible
    from joinedup.linkage.selectors import linkage_subject

    require(actor, "linkage.review", linkage_subject(), purpose="Reviewing a possible match")
    if decision not in ("confirm", "reject"):
        raise LinkageError("Choose confirm or reject.", code="invalid")
    with transaction.atomic():
        try:
            link = RecordLink.objects.select_for_update().get(uuid=link_uuid)
        except (RecordLink.DoesNotExist, ValueError, TypeError) as missing:
            raise NotVisible("Not found") from missing
        if link.status in (RecordLink.Status.CONFIRMED, RecordLink.Status.REJECTED):
            raise Conflict(f"This pair was already {link.get_status_display().lower()}.", code="already_decided")
        link.status = RecordLink.Status.CONFIRMED if decision == "confirm" else RecordLink.Status.REJECTED
        link.decided_by, link.decided_at, link.decision_note = actor, timezone.now(), note[:500]
        link.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        before = _people_in_clusters_of([link.left_key, link.right_key])
        _recluster([link.left_key, link.right_key])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=link,
            purpose="Reviewing a possible match",
            reason="A data protection lead of the lead partner decided whether two records are one person.",
            basis="linkage_review",
            summary=f"{link.get_status_display()}: match weight {link.match_weight:.1f}",
            details={"decision": link.status, "note": note[:500]},
        )
        # Risk counts a person's linked history: everyone whose linked records this decision may change is assessed
        # again (the key worker is told of a change of level, as after any incident).
        people = before | _people_in_clusters_of([link.left_key, link.right_key])
        risk_reassess_people(
            person_ids=_person_ids(people),
            trigger="linked records confirmed" if decision == "confirm" else "a linked record was rejected",
        )
    return link


def _people_in_clusters_of(keys: Iterable[str]) -> set[str]:
    """The JoinedUp people (keys) in the identity clusters holding these records."""
    clusters = ClusterMember.objects.filter(record_key__in=list(keys)).values("cluster")
    return set(
        ClusterMember.objects.filter(cluster__in=clusters, record_key__startswith="p:").values_list(
            "record_key", flat=True
        )
    )


def _person_ids(keys: Iterable[str]) -> list[int]:
    uuids = [uuid.UUID(key[2:]) for key in keys if key.startswith("p:")]
    return list(Person.objects.filter(uuid__in=uuids).values_list("pk", flat=True)) if uuids else []


def _people_groups() -> dict[str, frozenset[str]]:
    """For each JoinedUp person in a cluster of more than one record: the other records of that cluster. Compared
    before and after a run, it says whose linked records changed."""
    clusters: dict[int, set[str]] = {}
    wanted = ClusterMember.objects.filter(record_key__startswith="p:").values("cluster")
    for key, cluster in ClusterMember.objects.filter(cluster__in=wanted).values_list("record_key", "cluster"):
        clusters.setdefault(cluster, set()).add(key)
    return {
        key: frozenset(members - {key})
        for members in clusters.values()
        if len(members) > 1
        for key in members
        if key.startswith("p:")
    }


def _recluster(keys: Iterable[str]) -> None:
    """Recompute the clusters that hold these records from their standing links (auto and confirmed)."""
    members = ClusterMember.objects.filter(record_key__in=list(keys))
    cluster_ids = set(members.values_list("cluster", flat=True))
    if not cluster_ids:
        return
    affected = list(ClusterMember.objects.filter(cluster__in=cluster_ids).order_by("id"))
    position = {member.record_key: i for i, member in enumerate(affected)}
    edges = [
        (position[left], position[right])
        for left, right in RecordLink.objects.filter(
            status__in=[RecordLink.Status.AUTO, RecordLink.Status.CONFIRMED],
            left_key__in=list(position),
            right_key__in=list(position),
        ).values_list("left_key", "right_key")
    ]
    labels = engine.cluster(len(affected), edges)
    # Keep cluster ids stable where possible: each new component takes the smallest old id among its members.
    names: dict[int, int] = {}
    for member, label in zip(affected, labels.tolist(), strict=True):
        names[label] = min(names.get(label, member.cluster), member.cluster)
    used: set[int] = set()
    next_free = (ClusterMember.objects.order_by("-cluster").values_list("cluster", flat=True).first() or 0) + 1
    for label in sorted(names):
        if names[label] in used:
            names[label], next_free = next_free, next_free + 1
        used.add(names[label])
    for member, label in zip(affected, labels.tolist(), strict=True):
        if member.cluster != names[label]:
            member.cluster = names[label]
            member.save(update_fields=["cluster"])


def links_export(*, path: Any, started_by: str, on_row: Callable[[int], object] | None = None) -> int:
    """agency, source_id, cluster_id for every imported and recorded person, in key order."""
    import csv

    from joinedup.accounts.models import Agency as AgencyModel

    slugs = dict(AgencyModel.objects.values_list("pk", "slug"))
    source_ids = dict(AgencyRecord.objects.values_list("pk", "source_id"))
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agency", "source_id", "cluster_id"])
        for key, agency_id, cluster_id in (
            ClusterMember.objects.order_by("cluster", "id")
            .values_list("record_key", "agency_id", "cluster")
            .iterator(chunk_size=BATCH)
        ):
            if key.startswith("a:"):
                writer.writerow([slugs.get(agency_id, ""), source_ids.get(int(key[2:]), ""), cluster_id])
            else:
                writer.writerow(["joinedup", key[2:], cluster_id])
            count += 1
            if on_row is not None and count % BATCH == 0:
                on_row(BATCH)
    if on_row is not None:
        on_row(count % BATCH)
    record(
        actor=None,
        action=AuditAction.EXPORT,
        object_type="linkage.clustermember",
        object_id="export",
        purpose="Exporting identity clusters",
        reason="An operator exported which records are believed to be one person.",
        basis="linkage_export",
        summary=f"{count} records exported by {started_by}",
    )
    return count


def today() -> date:
    return timezone.localdate()
