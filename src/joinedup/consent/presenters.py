"""Consents as pages show them: plain words, no model objects in templates. The caller has read the person
through the one door; these shape what it was given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from joinedup.consent.domain.rules import PURPOSE_LABELS, SELF_CHOICES, Purpose
from joinedup.consent.models import Consent
from joinedup.consent.services import consent_for_words

# The same purposes as the person reads them in their own place (first person, reading age 9).
FOR_THE_PERSON = {c.purpose: c.words for c in SELF_CHOICES} | {Purpose.CONTACT: "Let services contact me"}


@dataclass(frozen=True)
class ConsentRow:
    id: str
    purpose: str  # for practitioners
    purpose_for_person: str  # for the person themselves
    recipient: str
    answer: str  # Given | Refused | Withdrawn
    recorded_at: datetime
    current: bool  # given and not taken back


def consent_rows(consents: Iterable[Consent]) -> list[ConsentRow]:
    rows = []
    for c in consents:
        purpose = Purpose(c.purpose) if c.purpose in Purpose._value2member_map_ else None
        withdrawn = c.withdrawn_at is not None
        rows.append(
            ConsentRow(
                id=str(c.uuid),
                purpose=PURPOSE_LABELS[purpose] if purpose else c.purpose,
                purpose_for_person=FOR_THE_PERSON.get(purpose, "Something else") if purpose else "Something else",
                recipient=consent_for_words(c),
                answer="Withdrawn" if withdrawn else ("Given" if c.decision == "given" else "Refused"),
                recorded_at=c.recorded_at,
                current=c.decision == "given" and not withdrawn,
            )
        )
    return rows
