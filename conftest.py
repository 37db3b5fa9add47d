"""Fixtures every test suite shares (more in joinedup/core/fixtures.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import AgencyFactory, make_user

pytest_plugins = ["joinedup.fixtures"]


@pytest.fixture
def lead_agency(db: None) -> Agency:
    return AgencyFactory(slug="lead-council", name="Lead Council", kind="adult_social_care", is_lead_partner=True)


@pytest.fixture
def police(db: None) -> Agency:
    return AgencyFactory(slug="city-police", name="City Police", kind="police")


@pytest.fixture
def gp(db: None) -> Agency:
    return AgencyFactory(slug="high-street-gp", name="High Street GP", kind="gp")


@pytest.fixture
def user_in(db: None) -> Callable[..., User]:
    return make_user


@pytest.fixture
def api_for() -> Callable[[User], APIClient]:
    def build(user: User) -> APIClient:
        _, raw = token_issue(actor=None, user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return build
