"""The Django side of the one access decision point.

Selectors and services call `decide` (to ask) or `require` (to insist). They never check roles themselves.
`require` records every refusal in the audit trail; call it before opening the write transaction so the
refusal's audit entry is not rolled back with the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404

from joinedup.access.domain import policy
from joinedup.access.domain.policy import ActorFacts, Decision, SubjectFacts
from joinedup.audit.services import primary_agency_known, record_denial
from joinedup.core.domain.partnership import Role

FactBuilder = Callable[[Any], SubjectFacts]
# Which person records are the actor's own (a person signed in to their portal): the portal app registers this.
ACTOR_PEOPLE: list[Callable[[Any], frozenset[int]]] = []
_FACT_BUILDERS: dict[type[Model], FactBuilder] = {}


class NotVisible(Http404):
    """The record is unknown to this actor: answered as 404, never 403."""


def register(model: type[Model], builder: FactBuilder) -> None:
    """Each app registers how to describe its records to the policy (from its AppConfig.ready)."""
    _FACT_BUILDERS[model] = builder


def actor_facts(actor: Any) -> ActorFacts:
    if actor is None or isinstance(actor, AnonymousUser) or not getattr(actor, "is_authenticated", False):
        return policy.ANONYMOUS
    cached = getattr(actor, "_access_facts", None)
    if isinstance(cached, ActorFacts):
        return cached
    memberships = list(actor.memberships.select_related("agency").order_by("granted_at", "id"))
    roles = frozenset((m.agency_id, Role(m.role)) for m in memberships)
    # The same rows name the agency the audit trail records beside the actor's name, and the agencies My work and
    # /me list: read once a request, not three times.
    primary_agency_known(actor, memberships[0].agency.name if memberships else "")
    actor._access_memberships = memberships
    people = frozenset(pid for provider in ACTOR_PEOPLE for pid in provider(actor))
    facts = ActorFacts(
        user_id=actor.pk, authenticated=True, active=bool(actor.is_active), roles=roles, person_ids=people
    )
    actor._access_facts = facts
    return facts


def actor_memberships(actor: Any) -> list[Any]:
    """The actor's memberships with their agencies (earliest first), as actor_facts read them for this request."""
    if actor_facts(actor) is policy.ANONYMOUS:
        return []
    return list(actor._access_memberships)


def forget_actor_facts(actor: Any) -> None:
    """After a change of roles within one request."""
    for cached in ("_access_facts", "_access_memberships"):
        if hasattr(actor, cached):
            delattr(actor, cached)


def subject_facts(subject: Model | SubjectFacts | None) -> SubjectFacts:
    if subject is None:
        return policy.PARTNERSHIP
    if isinstance(subject, SubjectFacts):
        return subject
    for model, builder in _FACT_BUILDERS.items():
        if isinstance(subject, model):
            return builder(subject)
    raise LookupError(f"No access facts registered for {type(subject).__name__}")


def decide(actor: Any, action: str, subject: Model | SubjectFacts | None = None) -> Decision:
    return policy.decide(actor_facts(actor), action, subject_facts(subject))


def require(actor: Any, action: str, subject: Model | SubjectFacts | None = None, *, purpose: str = "") -> Decision:
    decision = decide(actor, action, subject)
    if decision.allowed:
        return decision

    record_denial(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        obj=subject if isinstance(subject, Model) else None,
        reason=decision.reason,
        basis=decision.basis,
        purpose=purpose,
    )
    if not decision.visible:
        # The same words as a record that does not exist (even on DEBUG's 404 page); the reason is in the audit.
        raise NotVisible("Not found")
    raise PermissionDenied(decision.reason)
