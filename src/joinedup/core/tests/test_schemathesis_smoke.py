"""A small schemathesis run inside the suite (the full run, ≥ 10,000 cases with one user per agency, is
`make reliability`): every operation, a few generated requests each, against the WSGI app with a signed-in
practitioner and a real person, incident and case; no server error, and every answer as the schema says."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.models import Person


@pytest.fixture
def nurse_token(
    nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]
) -> tuple[str, dict[str, str]]:
    incident = incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    _, raw = token_issue(actor=None, user=nurse)
    ids = {"person_id": str(robert.uuid), "incident_id": str(incident.uuid), "case_id": str(incident.case.uuid)}
    return raw, ids


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The WSGI app is called directly, not through Django's test client, so do what the client does: keep the
    test's transaction's connection across requests (Django closes connections at each request's start)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_as_documented(nurse_token: tuple[str, dict[str, str]], connection_kept: None) -> None:
    token, ids = nurse_token
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_as_documented(case: schemathesis.Case) -> None:
            for name in list(case.path_parameters or {}):
                if name in ids and case.path_parameters is not None:
                    case.path_parameters[name] = ids[name]
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
            case.validate_response(
                response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
            )

        answers_as_documented()
        checked += 1
    assert checked >= 40, "every operation of the API is exercised"
