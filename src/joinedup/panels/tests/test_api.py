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


def test_panel_detail_change_membership_and_dates(
    api_for: Callable[[User], APIClient],
    panel: Panel,
    lead: Agency,
    gp: Agency,
    housing: Agency,
    police: Agency,
    officer: User,
    chair: User,
    coordinator: User,
    nurse: User,
) -> None:
    admin = make_user(lead, "agency_admin", email="admin3@council.example")
    seen = api_for(admin).get(f"/api/v1/panels/{panel.uuid}")
    assert seen.status_code == 200 and {"members", "meetings", "chair_user_id"} <= set(seen.json())
    assert api_for(officer).get(f"/api/v1/panels/{panel.uuid}").status_code == 404
    body = {
        "name": "Eastmere risk panel",
        "area": "Eastmere",
        "chair_user_id": str(chair.uuid),
        "coordinator_user_id": str(coordinator.uuid),
        "members": [
            {"agency_id": str(lead.uuid), "representative_user_id": str(coordinator.uuid)},
            {"agency_id": str(gp.uuid), "representative_user_id": str(nurse.uuid)},
            {"agency_id": str(police.uuid), "representative_user_id": str(officer.uuid)},
        ],
    }
    assert api_for(coordinator).put(f"/api/v1/panels/{panel.uuid}", body, format="json").status_code == 403
    changed = api_for(admin).put(f"/api/v1/panels/{panel.uuid}", body, format="json")
    assert changed.status_code == 200, changed.json()
    assert {m["representative_user_id"] for m in changed.json()["members"]} == {
        str(coordinator.uuid),
        str(nurse.uuid),
        str(officer.uuid),
    }
    wrong = {**body, "members": [{"agency_id": str(gp.uuid), "representative_user_id": str(officer.uuid)}]}
    refused = api_for(admin).put(f"/api/v1/panels/{panel.uuid}", wrong, format="json")
    assert refused.status_code == 400 and "representatives" in refused.json()["error"]["fields"]
    dated = api_for(admin).post(
        f"/api/v1/panels/{panel.uuid}/meetings", {"date": timezone.localdate().isoformat()}, format="json"
    )
    assert dated.status_code == 201
    past = api_for(admin).post(f"/api/v1/panels/{panel.uuid}/meetings", {"date": "2020-01-01"}, format="json")
    assert past.status_code == 400 and past.json()["error"]["fields"]["date"]


def test_voice_agenda_referral_and_close(
    api_for: Callable[[User], APIClient],
    panel: Panel,
    case: Case,
    consented: None,
    nurse: User,
    coordinator: User,
    housing_officer: User,
    officer: User,
    gp: Agency,
    housing: Agency,
) -> None:
    made = api_for(nurse).post(
        "/api/v1/panel-referrals",
        {
            "case_id": str(case.uuid),
            "panel_id": str(panel.uuid),
            "criteria": ["professional_judgement"],
            "summary": "Threats at his door",
            "judgement_reasons": "The neighbour knows when he is alone",
            "urgent": True,
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["urgent"] is True
    referral_id = made.json()["id"]
    again = api_for(nurse).post(
        "/api/v1/panel-referrals",
        {"case_id": str(case.uuid), "panel_id": str(panel.uuid), "criteria": [], "summary": "x"},
        format="json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_referred"
    meeting = api_for(coordinator).post(
        f"/api/v1/panels/{panel.uuid}/meetings", {"date": timezone.localdate().isoformat()}, format="json"
    )
    meeting_id = meeting.json()["id"]
    api_for(coordinator).post(
        f"/api/v1/meetings/{meeting_id}/agenda", {"panel_referral_id": referral_id}, format="json"
    )
    refused = api_for(housing_officer).post(
        f"/api/v1/panel-referrals/{referral_id}/voice", {"words": "He wants to move"}, format="json"
    )
    assert refused.status_code == 403
    voice = api_for(nurse).post(
        f"/api/v1/panel-referrals/{referral_id}/voice", {"words": "I want to feel safe at home"}, format="json"
    )
    assert voice.status_code == 201 and voice.json()["brought_by"] == "key_worker"
    item = api_for(housing_officer).get(f"/api/v1/meetings/{meeting_id}").json()["agenda"][0]
    assert item["urgent"] is True and item["persons_voice"]["words"] == "I want to feel safe at home"
    # Housing sees the rule, not the referrer's own reasons (those are for readers of the whole record).
    assert "neighbour knows" not in item["criteria"][0]["rule"] and item["withheld"] is True
    shown = api_for(nurse).get(f"/api/v1/panel-referrals/{referral_id}")
    assert shown.status_code == 200 and shown.json()["status"] == "listed"
    assert [h["to_status"] for h in shown.json()["history"]] == ["referred", "listed"]
    assert api_for(officer).get(f"/api/v1/panel-referrals/{referral_id}").status_code == 404
    minutes = api_for(coordinator).post(
        f"/api/v1/meetings/{meeting_id}/minutes",
        {
            "panel_referral_id": referral_id,
            "discussion": "Housing to offer a move",
            "present_agency_ids": [str(gp.uuid)],
        },
        format="json",
    )
    assert minutes.status_code == 201, minutes.json()
    action = api_for(coordinator).post(
        f"/api/v1/panel-referrals/{referral_id}/actions",
        {
            "what": "Offer a management move",
            "agency_id": str(housing.uuid),
            "owner_user_id": str(housing_officer.uuid),
            "due_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert action.status_code == 201
    close = f"/api/v1/panel-referrals/{referral_id}/close"
    assert api_for(nurse).post(close, {"outcome": "risk_reduced", "reason": "x"}, format="json").status_code == 403
    bad = api_for(coordinator).post(close, {"outcome": "gone", "reason": ""}, format="json")
    assert bad.status_code == 400 and {"outcome", "reason"} <= set(bad.json()["error"]["fields"])
    open_actions = api_for(coordinator).post(close, {"outcome": "risk_reduced", "reason": "Calmer"}, format="json")
    assert open_actions.status_code == 409 and open_actions.json()["error"]["code"] == "open_actions"
    assert "Offer a management move" in open_actions.json()["error"]["message"]
    closed = api_for(coordinator).post(
        close, {"outcome": "risk_reduced", "reason": "Calmer", "open_actions": "agencies_continue"}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    twice = api_for(coordinator).post(
        close, {"outcome": "risk_reduced", "reason": "Calmer", "open_actions": "agencies_continue"}, format="json"
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_allowed"
