"""A panel world: a lead partner, a GP, housing and a police force; a chair, a coordinator, members' practitioners,
and Robert, high risk by a practitioner's judgement, whose consent covers the panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.cases.models import Case
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.panels.models import Panel
from joinedup.panels.services import panel_create
from joinedup.people.models import Person


@pytest.fixture
def lead(db: None) -> Agency:
    return AgencyFactory.create(slug="council", name="Eastmere Council", kind="adult_social_care", is_lead_partner=True)


@pytest.fixture
def police(db: None) -> Agency:
    return AgencyFactory.create(slug="police", name="Eastmere Police", kind="police")


@pytest.fixture
def chair(lead: Agency) -> User:
    return make_user(lead, "panel_chair", email="chair@council.example", name="Carys Chair")


@pytest.fixture
def coordinator(lead: Agency) -> User:
    return make_user(lead, "practitioner", email="coord@council.example", name="Colm Coordinator")


@pytest.fixture
def officer(police: Agency) -> User:
    return make_user(police, "practitioner", email="pc@police.example", name="Pat Constable")


@pytest.fixture
def panel(
    lead: Agency, gp: Agency, housing: Agency, chair: User, coordinator: User, nurse: User, housing_officer: User
) -> Panel:
    admin = make_user(lead, "agency_admin", email="admin@council.example")
    return panel_create(
        actor=admin,
        name="Eastmere community risk panel",
        area="Eastmere",
        chair=chair,
        coordinator=coordinator,
        members=[(gp, nurse), (housing, housing_officer), (lead, coordinator)],
    )


@pytest.fixture
def case(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> Case:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    return Case.objects.get(person=robert)


@pytest.fixture
def consented(nurse: User, gp: Agency, robert: Person) -> None:
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="discuss_at_panel",
        decision="given",
        any_partner=True,
        capacity_note="He asked for the agencies to meet about him",
    )


@pytest.fixture
def referral_args(case: Case, panel: Panel, nurse: User, gp: Agency) -> dict[str, Any]:
    return {
        "actor": nurse,
        "agency": gp,
        "case": case,
        "panel": panel,
        "criteria": ["professional_judgement"],
        "summary": "Threats from the neighbour have moved to his front door.",
        "judgement_reasons": "The neighbour now knows when he is alone",
        "vulnerability": ["personal", "situational"],
    }
