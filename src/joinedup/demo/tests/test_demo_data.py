from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.accounts.models import Agency, Membership, User
from joinedup.core.domain.partnership import Role
from joinedup.demo.followup import DEMO_PASSPHRASE
from joinedup.demo.partnership import DEMO_PASSWORD
from joinedup.followup.models import FollowUp
from joinedup.harm.models import HarmReport

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


def test_demo_has_an_anonymous_reporter_with_a_follow_up_conversation() -> None:
    out = StringIO()
    call_command("demo_data", "--people", "0", stdout=out)
    kept = FollowUp.objects.order_by("created_at")
    assert [f.kind for f in kept] == ["incident_report", "harm_report"]
    report = kept[0]
    assert [m.from_reporter for m in report.messages.all()] == [False, True, False]
    assert report.reference in out.getvalue() and DEMO_PASSPHRASE in out.getvalue()
    assert check_password(DEMO_PASSPHRASE, report.passphrase_hash)
    assert HarmReport.objects.get(follow_up=kept[1]).speaking_up


def test_demo_data_if_empty_is_idempotent() -> None:
    call_command("demo_data", stdout=StringIO())
    count = User.objects.count()
    out = StringIO()
    call_command("demo_data", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue() and User.objects.count() == count
    with pytest.raises(CommandError, match="already loaded"):
        call_command("demo_data", stdout=StringIO())


def test_synthetic_population_shows_the_patterns_the_research_describes() -> None:
    from django.db.models import Count

    from joinedup.cases.models import Case
    from joinedup.incidents.models import Incident
    from joinedup.people.models import Person

    call_command("demo_data", "--people", "400", "--incidents", "2000", "--seed", "7", stdout=StringIO())
    # The population's incidents (the demo's anonymous report with a follow-up conversation is not one of them).
    assert Incident.objects.filter(person__isnull=False).count() == 2000
    per_person = sorted(Person.objects.annotate(n=Count("incidents")).values_list("n", flat=True), reverse=True)
    victims = [n for n in per_person if n]
    top_tenth = victims[: max(1, len(victims) // 10)]
    assert sum(top_tenth) / sum(victims) > 0.25, "repeat victimisation: a minority has many incidents"
    assert Incident.objects.filter(classification__mate_crime=True).exists()
    assert Incident.objects.filter(classification__care_setting_offence=True).exists()
    assert Incident.objects.filter(occurred_on__isnull=True, occurred_from__isnull=False).exists(), "approximate dates"
    assert Incident.objects.filter(occurred_on__isnull=True, occurred_from__isnull=True).exists(), "unknown dates"
    assert Person.objects.count() > 400, "some people are known to a second agency under other details"
    # Every person with incidents has exactly one open case with a key worker.
    assert Case.objects.filter(status="open").count() == len(victims)
    # Every consent says who it is for; a few old-style ones show the "ask again" flag.
    from joinedup.consent.models import Consent

    kinds = set(Consent.objects.values_list("recipient_kind", flat=True))
    assert kinds == {"service", "agency", "any_partner", "unspecified"}
    assert not Consent.objects.filter(recipient_kind="service", recipient_service_uuid__isnull=True).exists()


def test_sizes_must_make_sense() -> None:
    with pytest.raises(CommandError, match="zero or more"):
        call_command("demo_data", "--people", "-1", stdout=StringIO())
    with pytest.raises(CommandError, match="need people"):
        call_command("demo_data", "--people", "0", "--incidents", "5", stdout=StringIO())


def test_demo_harm_reports_spread_across_agencies_sources_and_stages() -> None:
    call_command("demo_data", "--people", "0", stdout=StringIO())
    reports = HarmReport.objects.filter(follow_up__isnull=True)  # the staff concern with a conversation is apart
    assert reports.count() == 36
    assert len({r.responder_agency_id for r in reports}) >= 5
    assert len({s for r in reports for s in r.sources}) == 6  # all but serious harm by staff (see demo/harm.py)
    assert len({r.status for r in reports}) >= 4


def test_demo_panel_has_two_past_meetings_a_carried_action_and_a_repeat() -> None:
    from django.utils import timezone

    from joinedup.cases.models import Task
    from joinedup.panels.models import Action, Meeting, PanelMember, PanelReferral, PersonsVoice
    from joinedup.panels.selectors import agenda

    call_command("demo_data", "--people", "60", "--incidents", "300", "--seed", "3", stdout=StringIO())
    today = timezone.localdate()
    assert Meeting.objects.filter(date__lt=today).count() == 2
    assert Meeting.objects.filter(date__gt=today).count() == 1  # the next one, with the repeat listed
    assert Action.objects.filter(done_at__isnull=True, due_on__lt=today).exists()
    repeat = PanelReferral.objects.get(repeat=True)
    assert repeat.status == "listed" and {c["code"] for c in repeat.criteria} >= {"repeat"}
    # The key worker was prompted and referring back did the task.
    assert Task.objects.filter(case=repeat.case, title__startswith="Refer back", status="done").exists()
    # Referrals fire on the rules, each shown with the rule (not all on professional judgement).
    codes = [{c["code"] for c in r.criteria} for r in PanelReferral.objects.all()]
    assert any("visible_high_risk" in c for c in codes) and any("potential_escalation" in c for c in codes)
    assert all(c["rule"] for r in PanelReferral.objects.all() for c in r.criteria)
    assert PanelReferral.objects.filter(urgent=True, status="referred").exists()
    assert PanelReferral.objects.filter(status="closed", outcome="risk_reduced").exists()
    assert PersonsVoice.objects.filter(as_role="advocate").exists()
    assert not PanelMember.objects.filter(representative__isnull=True).exists()
    # The next meeting carries the unfinished actions agreed earlier.
    coordinator = repeat.panel.coordinator
    upcoming = Meeting.objects.get(date__gt=today)
    assert any(i.carried_actions for i in agenda(actor=coordinator, meeting=upcoming, purpose="test"))
