"""Reading a person's risk: the latest stored assessment, through the access decision point, audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from joinedup.access.decision import require
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.people.models import Person
from joinedup.risk.models import RiskAssessment


def risk_current(*, actor: User, person: Person, purpose: str) -> RiskAssessment:
    decision = require(actor, "person.view", person, purpose=purpose)
    assessment = RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id").first()
    if assessment is None:
        # Records that predate risk assessment (imports, the demo population) are assessed on first reading.
        from joinedup.risk.services import risk_reassess

        with transaction.atomic():
            assessment = risk_reassess(person=person, actor=None, trigger="first assessment of an existing record")
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=assessment,
        person_uuid=person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
    )
    return assessment


def risk_history(*, person: Person, limit: int = 20) -> QuerySet[RiskAssessment]:
    """Earlier assessments; the caller has already been allowed to see the person (risk_current)."""
    return RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id")[:limit]
