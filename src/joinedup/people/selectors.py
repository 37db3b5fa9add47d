"""Reads of people: always scoped to those the actor may see, always through the access decision point,
always audited (search results included: seeing a name in a list is seeing personal data)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from joinedup.access.decision import require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.audit.services import record, record_many
from joinedup.people.domain import matching
from joinedup.people.models import Person, PersonAgencyLink

CANDIDATE_LIMIT = 400


def person_facts(person: Person) -> SubjectFacts:
    from joinedup.cases.models import Case

    agencies = frozenset(PersonAgencyLink.objects.filter(person=person).values_list("agency_id", flat=True))
    keepers = frozenset(Case.objects.filter(person=person, status="open").values_list("key_worker_id", flat=True))
    return SubjectFacts(kind="person", agency_ids=agencies, key_worker_ids=keepers)


def person_get(*, actor: User, person_uuid: uuid.UUID | str, purpose: str) -> Person:
    """One person's record, if the actor may see it (404 otherwise, whether or not they exist)."""
    from joinedup.access.decision import NotVisible

    try:
        person = Person.objects.get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError, TypeError) as missing:
        raise NotVisible("Not found") from missing
    decision = require(actor, "person.view", person, purpose=purpose)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=person,
        person_uuid=person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
    )
    return person


@dataclass(frozen=True)
class PersonMatch:
    person: Person
    score: float
    reasons: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return self.score >= matching.STRONG_THRESHOLD


DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
POSTCODE_PART_RE = re.compile(r"^[A-Za-z]{1,2}\d[A-Za-z\d]?$|^\d[A-Za-z]{2}$")


def identity_from_text(q: str) -> matching.Identity:
    """Read a free-text search ("bob smith 12/03/1980 EM1 2AB") into the fields matching compares."""
    words, dob, postcode_parts = [], None, []
    for token in q.split():
        found = DATE_RE.match(token)
        if found:
            try:
                if found.group(3):
                    dob = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
                else:
                    dob = date(int(found.group(4)), int(found.group(5)), int(found.group(6)))
            except ValueError:
                pass
            continue
        if any(ch.isdigit() for ch in token) and POSTCODE_PART_RE.match(token):
            postcode_parts.append(token)
            continue
        words.append(token)
    given = words[0] if len(words) > 1 else ""
    family = words[-1] if words else ""
    return matching.Identity(given_name=given, family_name=family, date_of_birth=dob, postcode=" ".join(postcode_parts))


def person_matches(
    *, actor: User, identity: matching.Identity, limit: int = 10, purpose: str = "Checking for an existing record"
) -> list[PersonMatch]:
    """Likely matches among the people the actor may see, best first, each with its reasons. Unrelated
    agencies' people are never candidates, so a search cannot reveal that someone is known elsewhere."""
    require(actor, "person.search", purpose=purpose)
    family = matching.name_key(identity.family_name)
    given = matching.given_key(identity.given_name)
    postcode = matching.postcode_key(identity.postcode)
    blocks = Q()
    if family:
        blocks |= Q(family_key=family) | Q(family_key__startswith=family[:3])
        blocks |= Q(given_key=matching.given_key(identity.family_name))  # a single name may be a first name
    if given and family:
        blocks |= Q(given_key=given, family_key__startswith=family[:1])
    if identity.date_of_birth:
        blocks |= Q(date_of_birth=identity.date_of_birth)
    if postcode:
        blocks |= Q(postcode_key=postcode)
    if not blocks:
        return []
    candidates = Person.objects.visible_to(actor).filter(blocks)[:CANDIDATE_LIMIT]
    scored = []
    for person in candidates:
        query = identity
        if not identity.given_name and identity.family_name:
            # One word searched: compare it as either name and keep the better.
            as_given = matching.score(
                matching.Identity(
                    given_name=identity.family_name, date_of_birth=identity.date_of_birth, postcode=identity.postcode
                ),
                _identity(person),
            )
            as_family = matching.score(query, _identity(person))
            result = max(as_given, as_family, key=lambda m: m.score)
        else:
            result = matching.score(query, _identity(person))
        if result.score >= matching.SHOW_THRESHOLD:
            scored.append(PersonMatch(person, result.score, result.reasons))
    scored.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    shown = scored[:limit]
    record_many(
        [
            AuditEntry(
                actor=actor,
                actor_name=actor.name,
                action=AuditAction.VIEW,
                object_type="people.person",
                object_id=str(m.person.uuid),
                person_uuid=m.person.uuid,
                purpose=purpose,
                summary="Shown as a possible match in a search",
            )
            for m in shown
        ]
    )
    return shown


def _identity(person: Person) -> matching.Identity:
    return matching.Identity(
        given_name=person.given_name,
        family_name=person.family_name,
        other_names=tuple(person.other_names or ()),
        date_of_birth=person.date_of_birth,
        postcode=person.postcode,
    )


def visible_groups(*, actor: User, person: Person) -> frozenset[str]:
    """The groups of this person's record the actor's agencies need (access/domain/minimum.py)."""
    from joinedup.access.decision import actor_facts
    from joinedup.access.domain.minimum import groups_for
    from joinedup.accounts.domain.partnership import CASEWORK_ROLES
    from joinedup.accounts.models import Agency
    from joinedup.cases.models import Case

    facts = actor_facts(actor)
    agencies = facts.agencies_with(CASEWORK_ROLES)
    bases: dict[int, set[str]] = {}
    for agency_id, basis in PersonAgencyLink.objects.filter(person=person, agency_id__in=agencies).values_list(
        "agency_id", "basis"
    ):
        bases.setdefault(agency_id, set()).add(basis)
    kinds = dict(Agency.objects.filter(pk__in=bases).values_list("pk", "kind"))
    key_worker = Case.objects.filter(person=person, status="open", key_worker=actor).exists()
    return frozenset(
        g.value
        for g in groups_for(
            bases_by_agency=bases, kinds_by_agency=kinds, actor_agencies=agencies, is_key_worker=key_worker
        )
    )


LINKAGE_FIELDS = ("given_name", "family_name", "other_names", "date_of_birth", "postcode", "address", "phone", "email")


def people_for_linkage(*, purpose: str, uuids: list[uuid.UUID] | None = None) -> list[dict[str, Any]]:
    """Identifying details of every person (or of these people) for the partnership's linkage run and its review
    queue, with the agencies that know each one. A system read: the linkage app checks its own access rule
    (linkage.review) before showing any of it, and this records one audit entry for the read as a whole."""
    people = Person.objects.all() if uuids is None else Person.objects.filter(uuid__in=uuids)
    rows = list(people.order_by("id").values("id", "uuid", *LINKAGE_FIELDS))
    agencies: dict[int, list[int]] = {}
    links = PersonAgencyLink.objects.all() if uuids is None else PersonAgencyLink.objects.filter(person__uuid__in=uuids)
    for person_id, agency_id in links.values_list("person_id", "agency_id").distinct():
        agencies.setdefault(person_id, []).append(agency_id)
    for row in rows:
        others = row["other_names"]
        row["other_names"] = " ".join(str(name) for name in others) if isinstance(others, list) else str(others or "")
        dob = row["date_of_birth"]
        row["date_of_birth"] = dob.isoformat() if isinstance(dob, date) else ""
        row["agency_ids"] = sorted(agencies.get(row.pop("id"), []))
    record(
        actor=None,
        action=AuditAction.VIEW,
        object_type="people.person",
        object_id="linkage",
        purpose=purpose,
        reason="Linking records of the same person across the partnership's agencies.",
        basis="linkage",
        summary=f"{len(rows)} people's identifying details read for linkage",
    )
    return rows
