from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.accounts.domain.partnership import Role
from joinedup.accounts.models import Agency, Membership, User
from joinedup.demo.partnership import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_partnership_has_every_role_and_the_agencies_the_pathway_spans() -> None:
    out = StringIO()
    call_command("demo_data", stdout=out)
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {
        "police",
        "nhs_acute",
        "gp",
        "mental_health",
        "adult_social_care",
        "housing",
        "fire_rescue",
        "victim_support",
        "advocacy",
        "peer_support",
    } <= kinds
    assert set(Membership.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert Agency.objects.filter(is_lead_partner=True).count() == 1
    assert DEMO_PASSWORD in out.getvalue()
    some = User.objects.get(email="nia.evans@hospitals.eastmere.example")
    assert some.check_password(DEMO_PASSWORD)


def test_demo_data_if_empty_is_idempotent() -> None:
    call_command("demo_data", stdout=StringIO())
    count = User.objects.count()
    out = StringIO()
    call_command("demo_data", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue() and User.objects.count() == count
    with pytest.raises(CommandError, match="already loaded"):
        call_command("demo_data", stdout=StringIO())
