"""Reads of people: always scoped to those the actor may see, always through the access decision point,
always audited (search results included: seeing a name in a list is seeing personal data)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from joinedup.access import door
from joinedup.access.decision import NotVisible, require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.people.domain import matching
from joinedup.people.models import ContactAttempt, Person, PersonAgencyLink, PersonQuerySet

CANDIDATE_LIMIT = 400


def person_read(
    *,
    actor: User,
    person_uuid: uuid.UUID | str,
    purpose: str,
    audit_action: str = door.VIEW,
    action: str = "person.view",
) -> tuple[Person, door.Seen]:
    """One person's record through the one door: 404 unless the actor may see it (whether or not they exist),
    one audit entry, and the field groups this actor may see of it."""
    try:
        person = Person.objects.get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing
    seen = door.read(actor, action, person, purpose=purpose, person_uuid=person.uuid, audit_action=audit_action)
    return person, seen


def person_get(*, actor: User, person_uuid: uuid.UUID | str, purpose: str) -> Person:
    """The person's record through the one door, when only the record is needed (a write that names them)."""
    return person_read(actor=actor, person_uuid=person_uuid, purpose=purpose)[0]


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


def search_candidates(*, actor: User, identity: matching.Identity) -> PersonQuerySet | None:
    """The people worth scoring for a search: any shared blocking key (each branch of the OR is served by an index:
    see the EXPLAIN test in people/tests), among those the actor may see. None when the search gives no key.
    Callers have already required "person.search" and audit what they show (person_matches)."""
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
        return None
    return Person.objects.visible_to(actor).filter(blocks)[:CANDIDATE_LIMIT]


def person_matches(
    *, actor: User, identity: matching.Identity, limit: int = 10, purpose: str = "Checking for an existing record"
) -> list[PersonMatch]:
    """Likely matches among the people the actor may see, best first, each with its reasons. Unrelated
    agencies' people are never candidates, so a search cannot reveal that someone is known elsewhere."""
    require(actor, "person.search", purpose=purpose)
    candidates = search_candidates(actor=actor, identity=identity)
    if candidates is None:
        return []
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
    door.read_list(
        actor,
        objects=[m.person for m in shown],
        purpose=purpose,
        person_uuid_of=lambda p: p.uuid,
        summary="Shown as a possible match in a search",
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


def contacts_of(*, person: Person, limit: int) -> list[ContactAttempt]:
    """Recent contacts and refused attempts. The caller has read the person through the one door."""
    return list(ContactAttempt.objects.filter(person=person).select_related("actor")[:limit])


def people_where(*conditions: Any, **lookups: Any) -> PersonQuerySet:
    """People matching these conditions, for system work over many records (risk assessed in bulk, again after a
    linkage run): never shown to anyone by this call; pages and APIs read people through the one door."""
    return Person.objects.filter(*conditions, **lookups)


def own_person(person_id: int) -> Person:
    """A signed-in person's own record, by the id their account holds (access.decision.ACTOR_PEOPLE): the actor's
    own, so no door is needed to know which record is theirs."""
    return Person.objects.get(pk=person_id)


def agency_knows(*, person: Person, agency: Agency) -> bool:
    return PersonAgencyLink.objects.filter(person=person, agency=agency).exists()


def agency_links(person_ids: list[int]) -> dict[int, set[tuple[int, str, str]]]:
    """For each person, the agencies that know them as (agency id, basis, agency kind) — the facts the access
    policy decides on. One query for any number of people."""
    links: dict[int, set[tuple[int, str, str]]] = {pid: set() for pid in person_ids}
    for person_id, agency, basis, kind in PersonAgencyLink.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "agency_id", "basis", "agency__kind"
    ):
        links[person_id].add((agency, str(basis), str(kind)))
    return links


def people_known_to(agency_ids: Iterable[int]) -> QuerySet[PersonAgencyLink, Any]:
    """The ids of people these agencies know, as a subquery (`person_id__in=people_known_to(...)`)."""
    return PersonAgencyLink.objects.filter(agency_id__in=list(agency_ids)).values("person_id")


def colleagues_knowing(*, person: Person) -> list[tuple[str, str]]:
    """Caseworkers in agencies that know the person, as (uuid, name) choices: a task or a handover never leaks
    the person to an agency that does not know them."""
    agencies = PersonAgencyLink.objects.filter(person=person).values("agency_id")
    users = (
        User.objects.filter(
            is_active=True,
            memberships__agency_id__in=agencies,
            memberships__role__in=["practitioner", "key_worker", "safeguarding_lead"],
        )
        .distinct()
        .order_by("name")
    )
    return [(str(u.uuid), u.name) for u in users]


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
