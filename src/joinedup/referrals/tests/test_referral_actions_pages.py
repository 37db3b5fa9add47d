"""Nothing only in the API: withdrawing (the referrer) and completing (the receiving agency) from pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case
from joinedup.cases.work import case_close
from joinedup.core.errors import Conflict
from joinedup.people.models import Person
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_accept, referral_send
from joinedup.referrals.tests.test_once_only import _setup

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def referral(
    nurse: User, gp: Agency, robert: Person, housing: Agency, police: Agency, incident_input: Callable[..., Any]
) -> Referral:
    case, service = _setup(nurse, gp, robert, housing, police, incident_input())
    return referral_send(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour")


def test_the_referrer_withdraws_from_a_page_saying_why(referral: Referral, nurse: User) -> None:
    client = client_for(nurse)
    support = client.get(f"/cases/{referral.case.uuid}/support").content.decode()
    assert f"/referrals/{referral.uuid}" in support
    sent = client.get(f"/referrals/{referral.uuid}")
    assert sent.status_code == 200 and "Withdraw this referral" in sent.content.decode()
    empty = client.post(f"/referrals/{referral.uuid}/withdraw", {"note": ""})
    assert empty.status_code == 400 and "Say why you are withdrawing it" in empty.content.decode()
    done = client.post(f"/referrals/{referral.uuid}/withdraw", {"note": "He has moved away"})
    assert done.status_code == 302 and done["Location"] == f"/referrals/{referral.uuid}"
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert "He has moved away" in referral.history.last().note  # type: ignore[union-attr]
    assert "Withdraw this referral" not in client.get(f"/referrals/{referral.uuid}").content.decode()


def test_the_receiving_agency_completes_and_the_case_can_close(
    referral: Referral, nurse: User, housing_officer: User
) -> None:
    referral_accept(actor=housing_officer, referral=referral, named_contact="Sam, tenancy officer")
    case: Case = referral.case
    with pytest.raises(Conflict):
        case_close(actor=nurse, case=case, outcomes_met="fully", person_feels_safer="yes", person_view="Better")
    client = client_for(housing_officer)
    page = client.get(f"/referrals/{referral.uuid}").content.decode()
    assert f"/referrals/{referral.uuid}/complete" in page
    assert client.post(f"/referrals/{referral.uuid}/complete", {"note": ""}).status_code == 400
    done = client.post(f"/referrals/{referral.uuid}/complete", {"note": "Moved him to a new flat"})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_others_cannot_reach_these_pages(referral: Referral, nurse: User, housing_officer: User) -> None:
    assert client_for(housing_officer).get(f"/referrals/{referral.uuid}/withdraw").status_code == 404
    assert client_for(nurse).get(f"/referrals/{referral.uuid}/complete").status_code == 404
