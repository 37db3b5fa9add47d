from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.testing import assert_audited
from joinedup.cases.models import Case, TimelineEntry
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.models import Notification
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person
from joinedup.risk.models import RiskAssessment
from joinedup.risk.selectors import risk_current
from joinedup.risk.services import (
    UNASSESSED_TRIGGER,
    history_facts,
    risk_assess_unassessed,
    risk_judgement_record,
    risk_rule_set_publish,
    rule_set_in_force,
)

pytestmark = pytest.mark.django_db
Build = Callable[..., IncidentInput]


def test_every_incident_reassesses_and_a_change_reaches_the_key_worker(
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Build,
    housing: Agency,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(kinds=("verbal_abuse",), strands=()))
    assert RiskAssessment.objects.filter(person=robert).count() == 1
    # Another agency records a suicidal crisis: the key worker at the GP hears about it.
    from joinedup.cases.services import agency_knows_person

    officer = make_user(housing, "practitioner", email="officer@homes.example")
    agency_knows_person(person=robert, agency=housing, basis="recorded")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        incident_record(
            actor=officer, agency=housing, person=robert, data=incident_input(impacts=("suicidality",), strands=())
        )
    latest = RiskAssessment.objects.filter(person=robert).first()
    assert latest is not None and latest.level == "high" and latest.rule_set_version == "2026.1"
    assert Case.objects.get(person=robert).risk_level == "high"
    assert TimelineEntry.objects.filter(person=robert, kind="risk_changed").exists()
    note = Notification.objects.get(user=nurse)
    assert "high" in note.text and str(robert.uuid) in note.url
    assert [m.to for m in mail.outbox] == [[nurse.email]]


def test_judgement_raises_with_reasons_and_is_audited(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(kinds=("verbal_abuse",), strands=()))
    assessment = risk_judgement_record(
        actor=nurse, agency=gp, person=robert, level="high", reasons="He said he has a knife"
    )
    assert assessment.level == "high" and assessment.actuarial_level != "high"
    assert "professional_judgement" in assessment.panel_criteria
    assert_audited("override", person_uuid=robert.uuid, actor=nurse)


def test_judgement_cannot_lower_an_actuarial_high(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(impacts=("suicidality",)))
    with pytest.raises(Conflict) as refused:
        risk_judgement_record(actor=nurse, agency=gp, person=robert, level="standard", reasons="Seems settled")
    assert refused.value.code == "judgement_cannot_lower" and "actuarial high" in refused.value.message
    with pytest.raises(InvalidInput):
        risk_judgement_record(actor=nurse, agency=gp, person=robert, level="high", reasons="  ")


def test_history_is_read_in_a_fixed_number_of_queries(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    from django.utils import timezone

    rule_set = rule_set_in_force()

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            history_facts(robert, rule_set=rule_set, now=timezone.now())
        return len(captured)

    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    few = count()
    for _ in range(15):
        incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert count() == few == 2


def test_thresholds_are_versioned_configuration_for_the_lead_partner(
    lead_agency: Agency, gp: Agency, nurse: User, robert: Person, incident_input: Build
) -> None:
    admin = make_user(lead_agency, "agency_admin")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        risk_rule_set_publish(
            actor=make_user(gp, "agency_admin"),
            version="2026.2",
            effective_from=date(2026, 1, 1),
            thresholds={"potential_escalation_incidents": 2},
        )
    with pytest.raises(InvalidInput) as bad:
        risk_rule_set_publish(
            actor=admin,
            version="2026.2",
            effective_from=date(2026, 1, 1),
            thresholds={"medium_score": 9, "high_score": 8, "made_up": 1},
        )
    assert set(bad.value.fields) == {"medium_score", "made_up"}
    risk_rule_set_publish(
        actor=admin, version="2026.2", effective_from=date(2026, 1, 1), thresholds={"potential_escalation_incidents": 2}
    )
    assert rule_set_in_force().version == "2026.2"
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    latest = RiskAssessment.objects.filter(person=robert).first()
    assert latest is not None and latest.rule_set_version == "2026.2"
    assert "potential_escalation" in latest.panel_criteria
    with pytest.raises(InvalidInput, match="not valid"):
        risk_rule_set_publish(actor=admin, version="2026.2", effective_from=date(2026, 2, 1), thresholds={})


def test_risk_api(
    nurse: User,
    gp: Agency,
    robert: Person,
    incident_input: Build,
    housing_officer: User,
    api_for: Callable[[User], APIClient],
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(impacts=("suicidality",)))
    client = api_for(nurse)
    body = client.get(f"/api/v1/people/{robert.uuid}/risk").json()
    assert body["level"] == "high" and "visible_high_risk" in body["panel_criteria"]
    assert body["rule_set"] == {"name": "risk-identification", "version": "2026.1"}
    assert {"code", "text", "source"} <= set(body["reasons"][0])
    lowered = client.post(
        f"/api/v1/people/{robert.uuid}/risk/judgement", {"level": "medium", "reasons": "calmer"}, format="json"
    )
    assert lowered.status_code == 409 and lowered.json()["error"]["code"] == "judgement_cannot_lower"
    bad = client.post(f"/api/v1/people/{robert.uuid}/risk/judgement", {"level": "extreme"}, format="json")
    assert bad.status_code == 400 and {"level", "reasons"} <= set(bad.json()["error"]["fields"])
    assert api_for(housing_officer).get(f"/api/v1/people/{robert.uuid}/risk").status_code == 404


def test_people_without_a_stored_assessment_are_shown_the_rules_answer_and_reading_writes_nothing(
    nurse: User, robert: Person, api_for: Callable[[User], APIClient]
) -> None:
    assert not RiskAssessment.objects.exists()
    assert api_for(nurse).get(f"/api/v1/people/{robert.uuid}/risk").json()["level"] == "standard"
    assert not RiskAssessment.objects.exists(), "selectors never write (issue 11)"


def test_records_loaded_in_bulk_are_assessed_once_and_their_cases_ranked(
    nurse: User, gp: Agency, robert: Person, incident_input: Build
) -> None:
    """A bulk load writes incidents without the recording services: `assess_risk` stores what the rules say, the
    same as a recording would have, and gives the open case its level and the rank My work orders by."""
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input(impacts=("suicidality",), strands=()))
    stored = RiskAssessment.objects.get(person=robert)
    # As a bulk load leaves it: incidents, no assessment, the case at the default level.
    RiskAssessment.objects.all().delete()
    Case.objects.filter(person=robert).update(risk_level="standard", risk_rank=2)
    unsaved = risk_current(person=robert)
    assert unsaved.pk is None and unsaved.level == stored.level == "high"

    call_command("assess_risk", stdout=StringIO())

    again = RiskAssessment.objects.get(person=robert)
    assert (again.level, again.score, again.reasons, again.panel_criteria) == (
        stored.level,
        stored.score,
        stored.reasons,
        stored.panel_criteria,
    )
    assert again.trigger == UNASSESSED_TRIGGER
    case = Case.objects.get(person=robert)
    assert (case.risk_level, case.risk_rank) == ("high", 0)
    assert risk_current(person=robert).pk == again.pk  # pages now read the stored row
    assert_audited(action="create", object_type="risk.riskassessment")
    # Nobody is assessed twice: a second run finds no one.
    assert risk_assess_unassessed() == 0
    assert RiskAssessment.objects.filter(person=robert).count() == 1


def test_bulk_assessment_leaves_people_without_incidents_alone(robert: Person) -> None:
    assert risk_assess_unassessed() == 0
    assert not RiskAssessment.objects.exists()
