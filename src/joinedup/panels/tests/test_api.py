"""The panel API exactly as docs/api.md: paths, fields, 201/400/404/409."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import make_user
from joinedup.cases.models import Case
from joinedup.panels.models import Panel, PanelReferral

pytestmark = pytest.mark.django_db


def test_panel_setup_and_list(
    api_for: Callable[[User], APIClient], lead: Agency, gp: Agency, housing: Agency, chair: User, nurse: User
) -> None:
    admin = make_user(lead, "agency_admin", email="admin@council.example")
    body = {
        "name": "Eastmere panel",
        "area": "Eastmere",
        "chair_user_id": str(chair.uuid),
        "member_agency_ids": [str(lead.uuid), str(gp.uuid), str(housing.uuid)],
    }
    made = api_for(admin).post("/api/v1/panels", body, format="json")
    assert made.status_code == 201, made.json()
    assert set(made.json()) >= {"id", "name", "area", "chair_user_id", "member_agency_ids"}
    refused = api_for(nurse).post("/api/v1/panels", body, format="json")
    assert refused.status_code == 403
    listed = api_for(nurse).get("/api/v1/panels")
    assert [p["name"] for p in listed.json()] == ["Eastmere panel"]
    bad = api_for(admin).post("/api/v1/panels", {**body, "member_agency_ids": [str(gp.uuid)]}, format="json")
    assert bad.status_code == 400 and "member_agency_ids" in bad.json()["error"]["fields"]


def test_refer_list_hear_act_complete(
    api_for: Callable[[User], APIClient],
    panel: Panel,
    case: Case,
    nurse: User,
    coordinator: User,
    housing_officer: User,
    officer: User,
    gp: Agency,
    housing: Agency,
) -> None:
    body: dict[str, Any] = {
        "case_id": str(case.uuid),
        "panel_id": str(panel.uuid),
        "criteria": ["professional_judgement"],
        "summary": "Threats at his door",
        "judgement_reasons": "The neighbour knows when he is alone",
    }
    no_consent = api_for(nurse).post("/api/v1/panel-referrals", body, format="json")
    assert no_consent.status_code == 409 and no_consent.json()["error"]["code"] == "no_consent"
    from joinedup.consent.services import consent_record

    consent_record(
        actor=nurse,
        agency=gp,
        person=case.person,
        purpose="discuss_at_panel",
        decision="given",
        any_partner=True,
        capacity_note="He asked us to",
    )
    no_criterion = api_for(nurse).post(
        "/api/v1/panel-referrals", {**body, "criteria": ["visible_high_risk"], "judgement_reasons": ""}, format="json"
    )
    assert no_criterion.status_code == 400
    made = api_for(nurse).post("/api/v1/panel-referrals", body, format="json", HTTP_IDEMPOTENCY_KEY="ref-1")
    assert made.status_code == 201
    replayed = api_for(nurse).post("/api/v1/panel-referrals", body, format="json", HTTP_IDEMPOTENCY_KEY="ref-1")
    assert replayed.json()["id"] == made.json()["id"] and PanelReferral.objects.count() == 1
    referral = made.json()
    assert referral["status"] == "referred" and referral["repeat"] is False
    assert {"id", "status", "repeat"} <= set(referral)

    meeting = api_for(coordinator).post(
        f"/api/v1/panels/{panel.uuid}/meetings", {"date": timezone.localdate().isoformat()}, format="json"
    )
    assert meeting.status_code == 201
    meeting_id = meeting.json()["id"]
    assert (
        api_for(nurse).post(f"/api/v1/panels/{panel.uuid}/meetings", {"date": "2026-12-01"}, format="json").status_code
        == 403
    )
    listed = api_for(coordinator).post(
        f"/api/v1/meetings/{meeting_id}/agenda", {"panel_referral_id": referral["id"]}, format="json"
    )
    assert listed.status_code == 200 and listed.json()["status"] == "listed"

    agenda = api_for(housing_officer).get(f"/api/v1/meetings/{meeting_id}")
    assert agenda.status_code == 200 and "no-store" in agenda["Cache-Control"]
    item = agenda.json()["agenda"][0]
    assert {"panel_referral_id", "case_id", "repeat", "carried_actions"} <= set(item)
    assert item["case_id"] == str(case.uuid)
    assert api_for(officer).get(f"/api/v1/meetings/{meeting_id}").status_code == 404

    research = api_for(housing_officer).post(
        f"/api/v1/meetings/{meeting_id}/research",
        {"panel_referral_id": referral["id"], "summary": "Tenant since 2019; a move is possible"},
        format="json",
    )
    assert research.status_code == 201
    minutes = api_for(coordinator).post(
        f"/api/v1/meetings/{meeting_id}/minutes",
        {
            "panel_referral_id": referral["id"],
            "persons_voice": "I want to feel safe at home",
            "discussion": "Housing to offer a move",
            "present_agency_ids": [str(gp.uuid), str(housing.uuid)],
        },
        format="json",
    )
    assert minutes.status_code == 201 and minutes.json()["status"] == "heard"

    action = api_for(coordinator).post(
        f"/api/v1/panel-referrals/{referral['id']}/actions",
        {
            "what": "Offer a management move",
            "agency_id": str(housing.uuid),
            "owner_user_id": str(housing_officer.uuid),
            "due_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert action.status_code == 201, action.json()
    action_id = action.json()["id"]
    assert (
        api_for(nurse).post(f"/api/v1/actions/{action_id}/complete", {"evidence": "x"}, format="json").status_code
        == 403
    )
    assert (
        api_for(officer).post(f"/api/v1/actions/{action_id}/complete", {"evidence": "x"}, format="json").status_code
        == 404
    )
    done = api_for(housing_officer).post(
        f"/api/v1/actions/{action_id}/complete", {"evidence": "Move offered and accepted"}, format="json"
    )
    assert done.status_code == 200 and done.json()["done"] is True
    again = api_for(housing_officer).post(f"/api/v1/actions/{action_id}/complete", {"evidence": "y"}, format="json")
    assert again.status_code == 409
