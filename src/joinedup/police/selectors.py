"""Reading police reports through the one door (access/door.py): the receiving force's liaison, or anyone who
may see the person (`police_report.view`); one audit entry per read (a PDF is an export), one per person on the
liaison's inbox."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from joinedup.access import door
from joinedup.access.decision import NotVisible, actor_facts
from joinedup.accounts.models import User
from joinedup.cases.models import Case
from joinedup.core.domain.partnership import Role
from joinedup.people.models import Person
from joinedup.police.models import PoliceReport


def report_read(
    *, actor: User, report_uuid: uuid.UUID | str, purpose: str, audit_action: str = door.VIEW
) -> tuple[PoliceReport, door.Seen]:
    try:
        report = PoliceReport.objects.select_related("case", "case__person", "police", "via_agency").get(
            uuid=report_uuid
        )
    except (PoliceReport.DoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing
    seen = door.read(
        actor,
        "police_report.view",
        report,
        purpose=purpose,
        person_uuid=report.case.person.uuid,
        audit_action=audit_action,
    )
    return report, seen


def inbox(*, actor: User) -> QuerySet[PoliceReport]:
    """Reports sent to the actor's forces. Refused (and audited) for anyone who is not a police liaison."""
    door.allow_list(actor, "police_inbox.view", purpose="Police liaison inbox")
    forces = actor_facts(actor).agencies_with(frozenset({Role.POLICE_LIAISON}))
    return (
        PoliceReport.objects.filter(police_id__in=forces)
        .select_related("case__person", "via_agency")
        .order_by("status", "-created_at")
    )


def reports_of(*, case: Case, limit: int = 20) -> list[PoliceReport]:
    """The case's police reports. The caller read the case through the one door and shows them only where the
    harm group is seen."""
    return list(case.police_reports.select_related("police").order_by("-created_at")[:limit])


def reports_for_person(*, person: Person) -> QuerySet[PoliceReport]:
    """Every police report about the person (the caller read the person through the one door)."""
    return PoliceReport.objects.filter(case__person=person).select_related("case", "case__person")
