"""Reading a person's risk. Callers have read the person through the one door (access/door.py), which decided,
audited and said which field groups the reader may see; risk/presenters.py filters what they are shown.
Every recording stores an assessment (risk.services.risk_reassess), and bulk loads store theirs once
(risk_assess_unassessed, `manage.py assess_risk`), so a page reads one stored row. Selectors never write: a person
with no stored assessment (no incidents, or older records not yet assessed) is shown the rules' answer now, unsaved."""

from __future__ import annotations

from django.db.models import QuerySet

from joinedup.people.models import Person
from joinedup.risk.models import RiskAssessment
from joinedup.risk.services import risk_unsaved


def risk_current(*, person: Person) -> RiskAssessment:
    stored = RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id").first()
    if stored is not None:
        return stored

    return risk_unsaved(person=person)


def risk_stored(*, person: Person) -> RiskAssessment | None:
    """The person's latest stored assessment, if any (never the rules run afresh)."""
    return RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id").first()


def risk_history(*, person: Person, limit: int = 20) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id")[:limit]
