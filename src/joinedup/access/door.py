"""The one door for reads of personal data.

Every read of a person's record — a page, an API answer, a PDF, a CSV, a search result, an inbox, My work, the
timeline — asks here once. `read` decides (through the one policy), works out which field groups this actor may
see of it (minimum necessary), and writes exactly one audit entry for the person shown; `read_list` does the same
for a list, one entry per person shown. What reaches a template or serializer is built from the returned `Seen`:
presenters keep only the permitted groups, and derived text (reasons, summaries, tags) carries the group its facts
came from (`access.domain.minimum.may_show`).

Refusals are written by `decision.require`, on their own connection when a write transaction is open, so no
rollback erases them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Model

from joinedup.access.decision import actor_facts, require, subject_facts
from joinedup.access.domain import minimum, policy
from joinedup.access.domain.policy import Decision, SubjectFacts
from joinedup.audit.services import object_label, record, record_looks

VIEW = "view"
EXPORT = "export"


@dataclass(frozen=True)
class Seen:
    """The door's answer: the decision, and what of the record this actor may see."""

    decision: Decision
    groups: frozenset[str]
    # The facts the door decided on, gathered once for this read.
    facts: SubjectFacts = field(default=policy.PARTNERSHIP, compare=False)

    def decide(self, actor: Any, action: str, *, kind: str | None = None) -> Decision:
        """Another question about the record this read opened — what its page may offer (manage the case, judge
        the risk, record a decision to share) — asked of the one policy with the facts gathered for the read,
        not gathered again in the same request. Only for showing or hiding what a page offers: every write
        still asks through `require` in its service. `kind` names the record as the action expects it (the
        person behind a case)."""
        return policy.decide(actor_facts(actor), action, self.facts if kind is None else replace(self.facts, kind=kind))

    def sees(self, *groups: str) -> bool:
        return all(str(g) in self.groups for g in groups)

    def shows(self, needs: Iterable[str]) -> bool:
        """May a derived text whose facts came from these groups be shown?"""
        return minimum.may_show(frozenset(str(n) for n in needs), self.groups)

    @property
    def withheld(self) -> list[str]:
        return sorted(str(g) for g in minimum.ALL if str(g) not in self.groups)


EVERYTHING = frozenset(str(g) for g in minimum.ALL)


def groups_of(actor: Any, facts: SubjectFacts) -> frozenset[str]:
    """The field groups of one row on a list the actor was allowed to open (facts built in bulk by the caller)."""
    return frozenset(str(g) for g in policy.field_groups(actor_facts(actor), facts))


def seen_for(actor: Any, subject: Model | SubjectFacts) -> frozenset[str]:
    """The field groups only, for a subject already read through the door in this request."""
    return groups_of(actor, subject_facts(subject))


def read(
    actor: Any,
    action: str,
    subject: Model | SubjectFacts,
    *,
    purpose: str,
    person_uuid: uuid.UUID | None = None,
    obj: Any = None,
    audit_action: str = VIEW,
    summary: str = "",
    facts: SubjectFacts | None = None,
) -> Seen:
    """Decide, filter and audit one read. 404 (never 403) when the actor may not know the record exists.
    `facts` are the subject's access facts where the caller has just gathered them from the database itself
    (cases.selectors.case_read knows the open case's key worker from the row it read); otherwise they are
    gathered here."""

    facts = facts if facts is not None else subject_facts(subject)
    decision = policy.decide(actor_facts(actor), action, facts)
    if not decision.allowed:
        # `require` records the refusal (on its own connection when a transaction is open) and raises 404 or 403.
        require(actor, action, subject, purpose=purpose)
    groups = frozenset(str(g) for g in policy.field_groups(actor_facts(actor), facts))
    record(
        actor=actor,
        action=audit_action,
        obj=obj if obj is not None else (subject if isinstance(subject, Model) else None),
        object_type="" if isinstance(subject, Model) or obj is not None else facts.kind,
        person_uuid=person_uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
        summary=summary,
        details={"withheld": sorted(str(g) for g in minimum.ALL if str(g) not in groups)} if facts.personal else None,
    )
    return Seen(decision=decision, groups=groups, facts=facts)


def allow_list(actor: Any, action: str, *, purpose: str, scope: SubjectFacts | None = None) -> Decision:
    """May the actor open this list at all? (A refusal is audited.) What the list shows is scoped by the
    model's `visible_to(actor)` and audited by `read_list`."""
    return require(actor, action, scope, purpose=purpose)


def read_list(
    actor: Any,
    *,
    objects: Iterable[Any],
    purpose: str,
    person_uuid_of: Callable[[Any], uuid.UUID | None],
    audit_action: str = VIEW,
    summary: str = "Shown in a list",
) -> None:
    """One audit entry per person shown on a list page, an inbox, My work, search results or an export (names
    in a list are personal data too). Several rows about one person make one entry: one look, one line."""

    looks: list[tuple[str, str, uuid.UUID | None]] = []
    seen_people: set[Any] = set()
    for obj in objects:
        person = person_uuid_of(obj)
        key = person if person is not None else object_label(obj)
        if key in seen_people:
            continue
        seen_people.add(key)
        object_type, object_id = object_label(obj)
        looks.append((object_type, object_id, person))
    record_looks(actor=actor, action=audit_action, purpose=purpose, summary=summary, looks=looks)
