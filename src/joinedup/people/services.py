"""Every write to a person's record: atomic, audited, on the timeline."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.core.errors import InvalidInput
from joinedup.people.domain import matching
from joinedup.people.domain.validation import PersonDetails, normalise_postcode, person_problems
from joinedup.people.models import ContactAttempt, Person, PersonAgencyLink


def _apply(person: Person, details: PersonDetails) -> None:
    person.given_name = details.given_name.strip()
    person.family_name = details.family_name.strip()
    person.other_names = [n.strip() for n in details.other_names if n.strip()]
    person.date_of_birth = details.date_of_birth
    person.postcode = normalise_postcode(details.postcode) if details.postcode.strip() else ""
    person.address = details.address.strip()
    person.phone = details.phone.strip()
    person.email = details.email.strip()
    person.pronouns = details.pronouns.strip()
    person.communication_needs = details.communication_needs.strip()
    person.safe_contact = {"allowed": list(details.contact_allowed), "notes": details.contact_notes.strip()}
    person.family_key = matching.name_key(person.family_name)
    person.given_key = matching.given_key(person.given_name)
    person.postcode_key = matching.postcode_key(person.postcode)


def validate_person(details: PersonDetails) -> None:
    problems = person_problems(details, today=timezone.localdate())
    if problems:
        raise InvalidInput("The person's details are not valid. Nothing was saved.", fields=problems)


def person_create(
    *, actor: User | None, agency: Agency, details: PersonDetails, basis: str = PersonAgencyLink.Basis.RECORDED
) -> Person:
    """A new person known to `agency`. `actor=None` only for the partnership's own public report intake."""
    details = replace(details, contact_allowed=tuple(dict.fromkeys(details.contact_allowed)))
    validate_person(details)
    if actor is not None:
        require(actor, "person.create")
    with transaction.atomic():
        person = Person(created_by=actor)
        _apply(person, details)
        person.save()
        PersonAgencyLink.objects.create(person=person, agency=agency, basis=basis)
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            person_uuid=person.uuid,
            summary=f"Person's details recorded by {agency.name}",
        )
    return person


# The agencies that know a person are the people app's own facts: every other app records and reads them here.


def agency_knows_person(*, person: Person, agency: Agency, basis: str) -> None:
    """Record that an agency knows the person, and why (recorded, triage, key worker, consent, referral)."""
    PersonAgencyLink.objects.get_or_create(person=person, agency=agency, basis=basis)


def agency_forgets_person(*, person: Person, agency: Agency, basis: str) -> None:
    """Undo one reason an agency knows the person (a consent withdrawn); other reasons stand."""
    PersonAgencyLink.objects.filter(person=person, agency=agency, basis=basis).delete()


def contact_attempt_log(
    *,
    person: Person,
    channel: str,
    purpose: str,
    summary: str,
    outcome: str,
    reason: str,
    actor: User,
    agency: Agency,
) -> ContactAttempt:
    """One line in the person's contact log: a contact made, sent, unanswered or refused by their safe-contact
    rules. The consent app decides; the log is the person's record."""
    return ContactAttempt.objects.create(
        person=person,
        channel=channel,
        purpose=purpose,
        summary=summary,
        outcome=outcome,
        reason=reason,
        actor=actor,
        agency=agency,
    )
