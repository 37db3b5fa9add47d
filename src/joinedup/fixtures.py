"""Fixtures every test suite shares: a partnership, practitioners, a person and an incident to record (loaded by
the root conftest). Test support only: it sits outside the apps, so the house layers do not apply to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person
from joinedup.people.services import person_create


@pytest.fixture
def nurse(gp: Agency) -> User:
    return make_user(gp, "practitioner", email="nurse@gp.example", name="Nia Nurse")


@pytest.fixture
def housing(db: None) -> Agency:

    return AgencyFactory.create(slug="homes", name="Riverside Homes", kind="housing")


@pytest.fixture
def housing_officer(housing: Agency) -> User:
    return make_user(housing, "practitioner", email="officer@homes.example")


@pytest.fixture
def robert(nurse: User, gp: Agency) -> Person:
    return person_create(
        actor=nurse,
        agency=gp,
        details=PersonDetails(
            given_name="Robert",
            family_name="Smith",
            postcode="EM1 2AB",
            phone="07700 900982",
            contact_allowed=("text",),
        ),
    )


@pytest.fixture
def incident_input() -> Callable[..., IncidentInput]:
    def build(**overrides: object) -> IncidentInput:
        base: dict[str, object] = {
            "description": "  He called me a psycho again and said he'd burn my flat.  ",
            "kinds": ("verbal_abuse", "threats"),
            "strands": ("disability",),
            "perceived_by": ("victim",),
            "perpetrators": (PerpetratorInput("neighbour", "number 4"),),
            "happened_before": "yes",
            "care_has_needs": "yes",
            "care_unable_to_protect_self": "yes",
            "wanted_actions": ("make_it_stop",),
        }
        base.update(overrides)
        return IncidentInput(**base)  # type: ignore[arg-type]

    return build
