"""Reads of linkage results, each through the access decision point and audited.

Practitioners see only that a person is known to other agencies, how many, and why we think so: never the other
agencies' records. The review queue, which does show two records side by side, is for data protection leads of
the lead partner. Lower apps (risk, referrals, the workspace) ask through the port `people.linked`, which
linkage/apps.py fills with the functions marked "Registered with people.linked" below. Which records count as the
same person is the pure rule in domain/history.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from joinedup.access import door
from joinedup.access.decision import NotVisible, actor_facts, require, subject_facts
from joinedup.access.domain import minimum
from joinedup.access.domain.policy import SubjectFacts
from joinedup.access.door import Seen
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.audit.services import record, record_many
from joinedup.linkage import engine
from joinedup.linkage.domain import history
from joinedup.linkage.domain.records import FLAG_LABELS
from joinedup.linkage.models import AgencyRecord, ClusterMember, LinkageRun, RecordLink
from joinedup.people.linked import AgencyElsewhere, LinkedHistory
from joinedup.people.models import Person

REVIEW_PAGE_SIZE = 25


def linkage_subject() -> SubjectFacts:
    """Linkage is run by the lead partner for the partnership: its records are the lead partner's to oversee."""
    lead = frozenset(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    return SubjectFacts(kind="linkage", agency_ids=lead, lead_partner=bool(lead))


@dataclass(frozen=True)
class AgencyLinkReason:
    agency_name: str
    agency_slug: str
    basis: str  # "confirmed" or "auto" (directly, or through other linked records)
    reason: str
    agency_uuid: uuid.UUID | None = None
    agency_kind: str = ""


@dataclass(frozen=True)
class LinksSummary:
    known_to_agencies: int
    agencies: tuple[AgencyLinkReason, ...] = ()
    linked_at: Any = None
    reason: str = ""
    # Agencies counted but not named to this reader: a health or care agency's name tells a health fact
    # (access.domain.minimum.agency_name_groups), so only readers who see health are told which.
    held: int = 0


@dataclass(frozen=True)
class LinkedPerson:
    person_uuid: uuid.UUID
    basis: str  # "confirmed", "auto" or "through" (joined through other linked records)
    reason: str


CONFIRMED_REASON = "A data protection lead confirmed these records are the same person."
THROUGH_REASON = "Linked through other records of the same person."
STRENGTH = {history.CONFIRMED: 2, history.AUTO: 1, history.THROUGH: 0}


def _key(person: Any) -> str:
    return f"p:{person.uuid}"


def _cluster_members(key: str) -> dict[str, list[int]]:
    """The records in this record's identity cluster (itself included), with the agencies that hold each: for a
    JoinedUp person, the agencies that knew them in JoinedUp when linkage ran. One query."""
    same_cluster = ClusterMember.objects.filter(record_key=key).values("cluster")
    return dict(ClusterMember.objects.filter(cluster__in=same_cluster).values_list("record_key", "agency_ids"))


@dataclass(frozen=True)
class _Found:
    """The records counted as the same person (domain/history.py), how, and the direct link behind each; and the
    agencies that already knew the person in JoinedUp when linkage ran (they are not "other" agencies)."""

    bases: dict[str, str]
    agencies: dict[str, list[int]]
    direct: dict[str, RecordLink]
    known_here: frozenset[int] = frozenset()


def _same_person(key: str) -> _Found:
    members = _cluster_members(key)
    known_here = frozenset(members.pop(key, []))
    if not members:
        return _Found({}, {}, {}, known_here)
    keys = [key, *members]
    rows = list(RecordLink.objects.filter(left_key__in=keys, right_key__in=keys))
    bases = history.same_person(
        key,
        [history.Link(r.left_key, r.right_key, r.status, r.match_weight) for r in rows],
        auto_link_weight=engine.AUTO_LINK_WEIGHT,
    )
    direct = {(r.right_key if r.left_key == key else r.left_key): r for r in rows if key in (r.left_key, r.right_key)}
    return _Found(bases, {k: members[k] for k in bases}, direct, known_here)


def _why(basis: str, link: RecordLink | None) -> str:
    """The plain reason for one linked record: who confirmed it, or which details agreed."""
    if basis == history.CONFIRMED:
        return CONFIRMED_REASON
    if basis == history.THROUGH or link is None:
        return THROUGH_REASON
    agreeing = [step["level"] for step in link.explanation[1:] if step.get("weight", 0) > 1]
    detail = ", ".join(level.split(" (")[0].lower() for level in agreeing) or "several details agree"
    return f"Matched automatically: {detail}."


def _elsewhere(person: Any, reader_agencies: frozenset[int]) -> list[AgencyElsewhere]:
    """Other agencies holding records counted as this person — not the reader's own, nor those that knew the
    person in JoinedUp when linkage ran — with the strongest reason per agency, by name."""
    found = _same_person(_key(person))
    best: dict[int, tuple[str, str]] = {}
    for record_key, basis in found.bases.items():
        why = _why(basis, found.direct.get(record_key))
        for agency_id in found.agencies[record_key]:
            if agency_id in found.known_here or agency_id in reader_agencies:
                continue
            if agency_id not in best or STRENGTH[basis] > STRENGTH[best[agency_id][0]]:
                best[agency_id] = (basis, why)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=best)}
    return sorted(
        (
            AgencyElsewhere(
                agency_id=a,
                uuid=agencies[a].uuid,
                name=agencies[a].name,
                slug=agencies[a].slug,
                kind=str(agencies[a].kind),
                # Joined through other records is still an automatic link: no reviewer looked at this pair.
                basis=history.CONFIRMED if basis == history.CONFIRMED else history.AUTO,
                reason=why,
            )
            for a, (basis, why) in best.items()
            if a in agencies
        ),
        key=lambda found: found.name,
    )


def agencies_elsewhere(person: Any, reader_agencies: frozenset[int]) -> list[AgencyElsewhere]:
    """Registered with people.linked: other agencies believed to hold records of the person, with reasons. The
    caller read the person through the one door; this shows no record, only agencies and reasons."""
    return _elsewhere(person, reader_agencies)


def agencies_elsewhere_count(person: Any, reader_agencies: frozenset[int]) -> int:
    """Registered with people.linked: how many other agencies, in one query (the case page's count). The cluster
    minus records a reviewer rejected against this one is the set `domain.history.same_person` finds, since every
    run and every decision re-clusters from the same links."""
    key = _key(person)
    rejected = RecordLink.objects.filter(status=RecordLink.Status.REJECTED)
    rows = dict(
        ClusterMember.objects.filter(cluster__in=ClusterMember.objects.filter(record_key=key).values("cluster"))
        .exclude(record_key__in=rejected.filter(left_key=key).values("right_key"))
        .exclude(record_key__in=rejected.filter(right_key=key).values("left_key"))
        .values_list("record_key", "agency_ids")
    )
    known_here = set(rows.pop(key, [])) | reader_agencies
    return len({agency for agency_ids in rows.values() for agency in agency_ids} - known_here)


def linked_history(person: Any) -> LinkedHistory:
    """Registered with people.linked for risk: other JoinedUp records of this person (their incidents are this
    person's history) and how many other agencies hold linked records. Processing for the risk rules, not a
    read: nothing here is shown except counts in a risk reason, which the risk presenter filters by field group."""
    found = _same_person(_key(person))
    if not found.bases:
        return LinkedHistory()
    people_bases = {k[2:]: basis for k, basis in found.bases.items() if k.startswith("p:")}
    person_ids = tuple(
        sorted(Person.objects.filter(uuid__in=[uuid.UUID(u) for u in people_bases]).values_list("pk", flat=True))
    )
    agencies = {a for k in found.bases for a in found.agencies[k]} - found.known_here
    return LinkedHistory(
        person_ids=person_ids,
        basis=history.basis_of(people_bases.values()) if person_ids else "",
        other_agencies=len(agencies),
    )


def agency_references(person: Any, agency_id: int) -> list[str]:
    """Registered with people.linked: the agency's own references for its records linked to this person, for that
    agency alone (answering a request for information, it can find them in its own system)."""
    found = _same_person(_key(person))
    ids = [int(k[2:]) for k in found.bases if k.startswith("a:")]
    return sorted(AgencyRecord.objects.filter(pk__in=ids, agency_id=agency_id).values_list("source_id", flat=True))


def _summary(person: Any, reader_agencies: frozenset[int], groups: frozenset[str]) -> LinksSummary:
    found = _elsewhere(person, reader_agencies)
    if not found:
        return LinksSummary(known_to_agencies=0, reason="Not known to any other agency, as far as linkage can tell.")
    shown = tuple(
        AgencyLinkReason(a.name, a.slug, a.basis, a.reason, a.uuid, a.kind)
        for a in found
        if minimum.may_show(minimum.agency_name_groups(a.kind), groups)
    )
    run_finished = (
        LinkageRun.objects.filter(members__record_key=_key(person)).values_list("finished_at", flat=True).first()
    )
    return LinksSummary(
        known_to_agencies=len(found),
        agencies=shown,
        linked_at=run_finished,
        reason="Records at other agencies are believed to be this person.",
        held=len(found) - len(shown),
    )


def links_seen(actor: User, person: Any, seen: Seen) -> LinksSummary:
    """How many other agencies know this person, which (those whose names this reader may see) and why, for a
    person the caller has just read through the one door (`seen`: that read was the audited look, so nothing more
    is written). 404 unless the reader may see the person's links (`person.links.view`)."""
    facts = seen.facts or subject_facts(person)
    require(actor, "person.links.view", facts, purpose="Checking which agencies know the person")
    return _summary(person, actor_facts(actor).agency_ids, seen.groups)


def links_summary(
    actor: User, person: Any, *, purpose: str = "Checking which agencies know the person"
) -> LinksSummary:
    """How many other agencies know this person, which, and why we think so (never their records): checks
    `person.links.view` and writes its own audit entry. Callers that have just read the person through the door
    use `links_seen` instead, so the person is recorded once per look."""
    decision = require(actor, "person.links.view", person, purpose=purpose)
    facts = subject_facts(person)
    groups = door.groups_of(actor, facts)
    summary = _summary(person, actor_facts(actor).agency_ids, groups)
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
    """Other JoinedUp people believed to be this person (confirmed by a reviewer, or at or above the auto-link
    weight, directly or through other such links; never a pair a reviewer rejected), each with its reason. Empty
    until linkage has run. Audited."""
    decision = require(actor, "person.links.view", person, purpose=purpose)
    found = _same_person(_key(person))
    linked = [
        LinkedPerson(uuid.UUID(key[2:]), basis, _why(basis, found.direct.get(key)))
        for key, basis in found.bases.items()
        if key.startswith("p:")
    ]
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="linkage.links",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
        summary=f"{len(linked)} linked JoinedUp records",
    )
    return linked


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
