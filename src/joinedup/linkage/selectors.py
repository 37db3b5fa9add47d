"""Reads of linkage results, each through the access decision point and audited.

Practitioners see only that a person is known to other agencies, how many, and why we think so: never the other
agencies' records. The review queue, which does show two records side by side, is for data protection leads of
the lead partner. The risk app can ask which JoinedUp people are linked to a person (confirmed or auto-linked).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from joinedup.access.decision import NotVisible, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.audit.services import record, record_many
from joinedup.linkage.domain.records import FLAG_LABELS
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink

REVIEW_PAGE_SIZE = 25


def linkage_subject() -> SubjectFacts:
    """Linkage is run by the lead partner for the partnership: its records are the lead partner's to oversee."""
    lead = frozenset(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    return SubjectFacts(kind="linkage", agency_ids=lead, lead_partner=bool(lead))


@dataclass(frozen=True)
class AgencyLinkReason:
    agency_name: str
    agency_slug: str
    basis: str  # "confirmed" or "auto"
    reason: str


@dataclass(frozen=True)
class LinksSummary:
    known_to_agencies: int
    agencies: tuple[AgencyLinkReason, ...] = ()
    linked_at: Any = None
    reason: str = ""


@dataclass(frozen=True)
class LinkedPerson:
    person_uuid: uuid.UUID
    basis: str  # "confirmed" or "auto"
    reason: str


def _cluster_of(key: str) -> int | None:
    return ClusterMember.objects.filter(record_key=key).values_list("cluster", flat=True).first()


def _direct_links(key: str) -> dict[str, RecordLink]:
    found: dict[str, RecordLink] = {}
    for link in RecordLink.objects.filter(status__in=[RecordLink.Status.AUTO, RecordLink.Status.CONFIRMED]).filter(
        left_key=key
    ) | RecordLink.objects.filter(status__in=[RecordLink.Status.AUTO, RecordLink.Status.CONFIRMED], right_key=key):
        found[link.right_key if link.left_key == key else link.left_key] = link
    return found


def _why(link: RecordLink | None) -> tuple[str, str]:
    """(basis, plain reason) for one link: who confirmed it, or which details agreed."""
    if link is None:
        return "auto", "Linked through other records of the same person."
    if link.status == RecordLink.Status.CONFIRMED:
        return "confirmed", "A data protection lead confirmed these records are the same person."
    agreeing = [step["level"] for step in link.explanation[1:] if step.get("weight", 0) > 1]
    detail = ", ".join(level.split(" (")[0].lower() for level in agreeing) or "several details agree"
    return "auto", f"Matched automatically: {detail}."


def _summarise(actor: User, person: Any) -> tuple[LinksSummary, list[ClusterMember]]:
    key = f"p:{person.uuid}"
    cluster = _cluster_of(key)
    if cluster is None:
        return LinksSummary(known_to_agencies=0, reason="Not linked to any other agency's records yet."), []
    members = [m for m in ClusterMember.objects.filter(cluster=cluster).select_related("run") if m.record_key != key]
    from joinedup.access.decision import actor_facts

    own = actor_facts(actor).agency_ids
    mine = next((m for m in ClusterMember.objects.filter(record_key=key)), None)
    known_here = set(mine.agency_ids if mine else []) | set(own)
    direct = _direct_links(key)
    by_agency: dict[int, tuple[str, str]] = {}
    for member in members:
        basis, why = _why(direct.get(member.record_key))
        for agency_id in member.agency_ids:
            if agency_id in known_here:
                continue
            if agency_id not in by_agency or (basis == "confirmed" and by_agency[agency_id][0] != "confirmed"):
                by_agency[agency_id] = (basis, why)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=by_agency)}
    reasons = tuple(
        AgencyLinkReason(agencies[a].name, agencies[a].slug, basis, why)
        for a, (basis, why) in sorted(by_agency.items(), key=lambda item: agencies[item[0]].name)
    )
    run = mine.run if mine else None
    return (
        LinksSummary(
            known_to_agencies=len(reasons),
            agencies=reasons,
            linked_at=run.finished_at if run else None,
            reason="Records at other agencies are believed to be this person."
            if reasons
            else "Not known to any other agency, as far as linkage can tell.",
        ),
        members,
    )


def links_summary(
    actor: User, person: Any, *, purpose: str = "Checking which agencies know the person"
) -> LinksSummary:
    """How many other agencies know this person, which, and why we think so (never their records). For the
    case page's "known to N other agencies: ask them with consent" panel and GET /api/v1/people/{id}/links."""
    decision = require(actor, "person.links.view", person, purpose=purpose)
    summary, _members = _summarise(actor, person)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="linkage.links",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
        summary=f"Known to {summary.known_to_agencies} other agencies",
    )
    return summary


def linked_people(
    actor: User, person: Any, *, purpose: str = "Counting the person's linked history"
) -> list[LinkedPerson]:
    """Other JoinedUp people believed to be this person (confirmed by a reviewer or above the auto-link weight),
    each with its reason, for risk rules that count linked history. Empty until linkage has run."""
    decision = require(actor, "person.links.view", person, purpose=purpose)
    key = f"p:{person.uuid}"
    cluster = _cluster_of(key)
    if cluster is None:
        return []
    direct = _direct_links(key)
    found = []
    for member_key in ClusterMember.objects.filter(cluster=cluster, record_key__startswith="p:").values_list(
        "record_key", flat=True
    ):
        if member_key == key:
            continue
        basis, why = _why(direct.get(member_key))
        found.append(LinkedPerson(uuid.UUID(member_key[2:]), basis, why))
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="linkage.links",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
        summary=f"{len(found)} linked JoinedUp records",
    )
    return found


@dataclass(frozen=True)
class ShownRecord:
    key: str
    held_by: str
    values: dict[str, str]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewPair:
    link: RecordLink
    left: ShownRecord
    right: ShownRecord
    steps: list[dict[str, Any]] = field(default_factory=list)


FIELDS_SHOWN = (
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("other_names", "Other names"),
    ("date_of_birth", "Date of birth"),
    ("postcode", "Postcode"),
    ("address", "Address"),
    ("phone", "Phone"),
    ("email", "Email"),
)


def _shown_records(keys: list[str]) -> dict[str, ShownRecord]:
    from joinedup.people.selectors import people_for_linkage

    shown: dict[str, ShownRecord] = {}
    record_ids = [int(key[2:]) for key in keys if key.startswith("a:")]
    for item in AgencyRecord.objects.filter(pk__in=record_ids).select_related("agency"):
        shown[f"a:{item.pk}"] = ShownRecord(
            key=f"a:{item.pk}",
            held_by=f"{item.agency.name} (their reference {item.source_id})",
            values={name: getattr(item, name) for name, _label in FIELDS_SHOWN},
            flags=tuple(FLAG_LABELS.get(flag, flag) for flag in item.flags),
        )
    person_uuids = [uuid.UUID(key[2:]) for key in keys if key.startswith("p:")]
    if person_uuids:
        agency_names = dict(Agency.objects.values_list("pk", "name"))
        for row in people_for_linkage(purpose="Reviewing a possible match", uuids=person_uuids):
            held = ", ".join(agency_names.get(a, "") for a in row["agency_ids"]) or "JoinedUp"
            shown[f"p:{row['uuid']}"] = ShownRecord(
                key=f"p:{row['uuid']}",
                held_by=f"JoinedUp record known to {held}",
                values={name: str(row.get(name) or "") for name, _label in FIELDS_SHOWN},
            )
    return shown


def review_queue(
    *, actor: User, page: int = 1, purpose: str = "Reviewing possible matches"
) -> tuple[list[RecordLink], int]:
    """Pairs waiting for a decision, strongest first (no personal data: weights and agencies only)."""
    decision = require(actor, "linkage.review", linkage_subject(), purpose=purpose)
    waiting = RecordLink.objects.filter(status=RecordLink.Status.REVIEW).order_by("-match_weight", "id")
    total = waiting.count()
    start = max(page - 1, 0) * REVIEW_PAGE_SIZE
    links = list(waiting[start : start + REVIEW_PAGE_SIZE])
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="linkage.recordlink",
        object_id="queue",
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
        summary=f"Review queue page {page}: {len(links)} of {total} pairs",
    )
    return links, total


def review_pair(*, actor: User, link_uuid: Any, purpose: str = "Reviewing a possible match") -> ReviewPair:
    """Both records of one pair and each comparison's contribution. Audited once per record shown."""
    decision = require(actor, "linkage.review", linkage_subject(), purpose=purpose)
    try:
        link = RecordLink.objects.get(uuid=link_uuid)
    except (RecordLink.DoesNotExist, ValueError, TypeError) as missing:
        raise NotVisible("Not found") from missing
    shown = _shown_records([link.left_key, link.right_key])
    if link.left_key not in shown or link.right_key not in shown:
        raise NotVisible("One of these records no longer exists.")
    entries = []
    for key in (link.left_key, link.right_key):
        person_uuid = uuid.UUID(key[2:]) if key.startswith("p:") else None
        entries.append(
            AuditEntry(
                actor=actor,
                actor_name=actor.name,
                action=AuditAction.VIEW,
                object_type="people.person" if person_uuid else "linkage.agencyrecord",
                object_id=key[2:],
                person_uuid=person_uuid,
                purpose=purpose[:300],
                reason=decision.reason[:300],
                basis=decision.basis[:200],
                summary="Shown for review of a possible match",
            )
        )
    record_many(entries)
    return ReviewPair(link=link, left=shown[link.left_key], right=shown[link.right_key], steps=list(link.explanation))


def last_run(*, actor: User, purpose: str = "Checking linkage") -> LinkageRun | None:
    """The latest linkage run and its figures (counts only)."""
    require(actor, "linkage.status", linkage_subject(), purpose=purpose)
    return LinkageRun.objects.order_by("-started_at", "-id").first()


def waiting_for_review() -> int:
    """How many pairs wait for a decision (a count, no personal data)."""
    return RecordLink.objects.filter(status=RecordLink.Status.REVIEW).count()
