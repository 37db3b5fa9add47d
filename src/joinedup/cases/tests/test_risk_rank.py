"""The stored risk rank My work orders by follows the risk level, through the one cases service that writes both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from joinedup.accounts.models import Agency, User
from joinedup.cases.domain.rules import risk_rank
from joinedup.cases.models import Case
from joinedup.cases.selectors import my_cases
from joinedup.cases.services import case_risk_level_set
from joinedup.incidents.services import incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails


@pytest.mark.parametrize(
    ("level", "rank"),
    [("high", 0), ("medium", 1), ("standard", 2), ("unknown", 2)],
    ids=["high first [domain.md §3]", "then medium", "then standard", "anything else as standard"],
)
def test_risk_rank(level: str, rank: int) -> None:
    assert risk_rank(level) == rank


@pytest.mark.django_db
def test_the_rank_follows_the_level_and_orders_my_work(
    nurse: User, gp: Agency, incident_input: Callable[..., Any]
) -> None:
    cases = [
        incident_record_with_new_person(
            actor=nurse, agency=gp, details=PersonDetails(given_name=f"P{i}", family_name="Test"), data=incident_input()
        ).case
        for i in range(3)
    ]
    _oldest, middle, newest = (Case.objects.get(pk=c.pk) for c in cases if c is not None)
    with transaction.atomic():
        assert case_risk_level_set(actor=None, case=newest, level="high")
        assert case_risk_level_set(actor=None, case=middle, level="medium")
        assert not case_risk_level_set(actor=None, case=middle, level="medium")
    stored = {c.pk: (c.risk_level, c.risk_rank) for c in Case.objects.all()}
    assert stored[newest.pk] == ("high", 0) and stored[middle.pk] == ("medium", 1)
    assert [c.pk for c in my_cases(user=nurse)][:2] == [newest.pk, middle.pk]
