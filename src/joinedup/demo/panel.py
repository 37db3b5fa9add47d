"""The demo's multi-agency risk panel: Eastmere's community risk panel with two past meetings, a case heard and
reviewed with an action carried (and overdue), and a repeat referral. Built through the panel's own services,
then dated into the past, so everything on screen is what the services would have recorded."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case
from joinedup.consent.services import consent_record
from joinedup.panels.models import Action, Panel, PanelReferral
from joinedup.panels.services import (
    action_agree,
    action_complete,
    meeting_schedule,
    minutes_record,
    panel_create,
    panel_refer,
    panel_referral_list,
)

CHAIR = "grace.whitfield@asc.eastmere.example"
COORDINATOR = "david.hughes@asc.eastmere.example"
ADMIN = "imran.qureshi@asc.eastmere.example"


def _refer(case: Case, panel: Panel, summary: str) -> PanelReferral:
    keeper = case.key_worker
    consent_record(
        actor=keeper,
        agency=case.key_worker_agency,
        person=case.person,
        purpose="discuss_at_panel",
        decision="given",
        any_partner=True,
        capacity_note="Talked through with an advocate present; they asked for the agencies to meet",
    )
    return panel_refer(
        actor=keeper,
        agency=case.key_worker_agency,
        case=case,
        panel=panel,
        criteria=["professional_judgement"],
        summary=summary,
        judgement_reasons="Threats are becoming more frequent and now happen at home",
        vulnerability=["personal", "situational"],
    )


def load_panel() -> dict[str, int]:
    """Needs the partnership and a population with open cases. Returns what it made."""
    admin, chair, coordinator = (User.objects.get(email=e) for e in (ADMIN, CHAIR, COORDINATOR))
    agencies = list(Agency.objects.order_by("name"))
    panel = panel_create(
        actor=admin,
        name="Eastmere community risk panel",
        area="Eastmere",
        chair=chair,
        coordinator=coordinator,
        members=[(a, None) for a in agencies],
    )
    # The first person has an incident in the last five weeks (after their referral 50 days ago): the repeat.
    recent = timezone.now() - timedelta(days=35)
    found = (
        Case.objects.filter(status="open")
        .annotate(n=Count("person__incidents"))
        .filter(n__gte=2)
        .select_related("person", "key_worker", "key_worker_agency")
    )
    first_choice = found.filter(person__incidents__created_at__gte=recent).order_by("-n", "id").first()
    cases = [c for c in [first_choice, *found.order_by("-n", "id")[:3]] if c is not None]
    cases = list({c.pk: c for c in cases}.values())[:2]
    if len(cases) < 2:
        return {"panels": 1, "panel_referrals": 0}
    today = timezone.localdate()
    first_day, second_day = today - timedelta(days=42), today - timedelta(days=14)
    first_case, second_case = cases

    # The first case: referred, heard at the first meeting, two actions — one done, one carried and now overdue.
    referral = _refer(first_case, panel, "Neighbours' abuse has moved from the street to his front door.")
    PanelReferral.objects.filter(pk=referral.pk).update(referred_at=timezone.now() - timedelta(days=50))
    first = meeting_schedule(actor=coordinator, panel=panel, day=first_day)
    panel_referral_list(actor=coordinator, meeting=first, panel_referral=referral)
    housing = Agency.objects.filter(kind="housing").first() or first_case.key_worker_agency
    police = Agency.objects.filter(kind="police").first() or first_case.key_worker_agency
    minutes_record(
        actor=coordinator,
        meeting=first,
        panel_referral=referral,
        persons_voice="I just want to be able to open my door without being shouted at.",
        discussion="Police to visit the neighbours; housing to consider a management move; the key worker to "
        "agree a safety plan with him.",
        present_agencies=[first_case.key_worker_agency, housing, police],
    )
    owners = {
        a.pk: User.objects.filter(memberships__agency=a, memberships__role__in=["practitioner", "key_worker"])
        .order_by("id")
        .first()
        for a in (housing, police)
    }
    made = []
    for agency, what in ((police, "Visit the neighbours and give a warning"), (housing, "Offer a management move")):
        owner = owners[agency.pk]
        if owner is not None:
            made.append(
                action_agree(
                    actor=coordinator, panel_referral=referral, what=what, agency=agency, owner=owner, due_on=today
                )
            )
    Action.objects.filter(pk__in=[a.pk for a in made]).update(
        created_at=timezone.now() - timedelta(days=42), due_on=first_day + timedelta(days=14)
    )
    if made:
        action_complete(actor=made[0].owner, action=made[0], evidence="Visited with the neighbourhood team; warned")

    # The second case, heard at the second meeting; the first is carried to it by its unfinished action.
    second_referral = _refer(second_case, panel, "Targeted at the bus stop every week; now followed home.")
    PanelReferral.objects.filter(pk=second_referral.pk).update(referred_at=timezone.now() - timedelta(days=21))
    second = meeting_schedule(actor=coordinator, panel=panel, day=second_day)
    panel_referral_list(actor=coordinator, meeting=second, panel_referral=second_referral)
    minutes_record(
        actor=coordinator,
        meeting=second,
        panel_referral=second_referral,
        persons_voice="I'm scared to go out. I want them to know it is not just name-calling.",
        discussion="Victim support to offer an advocate; police to review the CCTV at the bus stop.",
        present_agencies=[second_case.key_worker_agency, police],
    )
    # A repeat: the first person has an incident since their referral 50 days ago, so referring back is a repeat.
    repeat = _refer(first_case, panel, "A new incident since the panel heard him: referred back as a repeat.")
    return {"panels": 1, "panel_referrals": 3, "repeats": int(repeat.repeat), "meetings": 2}
