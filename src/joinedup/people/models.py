"""People the partnership supports, and which agencies know them. Tables only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.access.decision import actor_facts
from joinedup.accounts.models import Agency
from joinedup.core.domain.partnership import CASEWORK_ROLES


class PersonQuerySet(models.QuerySet["Person"]):
    def known_to_agencies(self, agency_ids: frozenset[int] | set[int]) -> PersonQuerySet:
        """People at least one of these agencies knows (the basis of every scoped person query)."""
        return self.filter(Q(pk__in=PersonAgencyLink.objects.filter(agency_id__in=agency_ids).values("person_id")))

    def visible_to(self, user: object) -> PersonQuerySet:

        facts = actor_facts(user)
        return self.known_to_agencies(facts.agencies_with(CASEWORK_ROLES)) if facts.active else self.none()


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    other_names = models.JSONField(default=list, blank=True, help_text="Other names they are known by")
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    communication_needs = models.TextField(blank=True)
    # {"allowed": ["phone", "text", "email", "letter", "visit"], "notes": "..."}; empty allowed = do not contact.
    safe_contact = models.JSONField(default=dict, blank=True)
    # Matching keys, kept in step by the services (see domain/matching.py).
    family_key = models.CharField(max_length=100, blank=True, db_index=True)
    given_key = models.CharField(max_length=100, blank=True)
    postcode_key = models.CharField(max_length=10, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["date_of_birth"], name="person_dob")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part) or "Name not given"


class PersonAgencyLink(models.Model):
    """An agency knows this person: it recorded something about them, holds their case, or received them by
    referral or consent. Access decisions start here; the link records how it arose."""

    class Basis(models.TextChoices):
        RECORDED = "recorded", "Recorded an incident or the person's details"
        KEY_WORKER = "key_worker", "Holds the person's case"
        TRIAGE = "triage", "Matched a report to the person"
        REFERRAL = "referral", "Accepted a referral"
        CONSENT = "consent", "The person agreed to share with this agency"
        SHARING = "sharing_decision", "A recorded decision to share without consent"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agency_links")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "agency", "basis"], name="person_agency_basis_unique")]
        indexes = [models.Index(fields=["agency", "person"], name="person_link_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id} knows {self.person_id} ({self.basis})"


def linked_agency_ids(person: Person) -> frozenset[int]:
    return frozenset(PersonAgencyLink.objects.filter(person=person).values_list("agency_id", flat=True))


__all__ = ["Person", "PersonAgencyLink", "PersonQuerySet", "QuerySet", "linked_agency_ids"]


class ContactAttempt(models.Model):
    """Every contact with the person, made or refused by the safe-contact rules: who, how, why, the outcome."""

    class Outcome(models.TextChoices):
        REFUSED = "refused", "Refused: not a safe way to contact them"
        SENT = "sent", "Sent"
        MADE = "made", "Made"
        NO_ANSWER = "no_answer", "No answer"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_attempts")
    channel = models.CharField(max_length=10)
    purpose = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="contact_person_at")]

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome}"
