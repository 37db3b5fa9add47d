"""The demo's multi-agency risk panel: Eastmere's community risk panel, each member agency with its representative.

Four people come to it, each for the reason the rules give: one at visible high risk (their risk level), one on
potential escalation (3 or more incidents in 12 months), one heard and closed when the risk came down, and one
referred urgently on a practitioner's judgement, waiting to be listed. Two meetings have been held; the first
agreed actions, one done and one carried to every meeting since and now overdue; the first person has had a new
incident since they were heard, so their key worker was prompted and referred them back: a repeat, listed for the
next meeting with their advocate's words ready to be read first.

Everything is made through the panel's own services (so the rules, consent checks, audit and timeline are the real
ones), each step on the day it happens; the days are then moved into the past, as they would have been."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.cases.models import Case, TimelineEntry
from joinedup.consent.models import Consent
from joinedup.consent.services import consent_cover, consent_record
from joinedup.core.models import Notification
from joinedup.panels.domain.rules import Criterion
from joinedup.panels.models import (
    Action,
    Meeting,
    Panel,
    PanelReferral,
    PanelReferralTransition,
    PersonsVoice,
    Research,
)
from joinedup.panels.services import (
    action_agree,
    action_complete,
    assessed_detail,
    long_date,
    meeting_schedule,
    minutes_record,
    panel_create,
    panel_refer,
    panel_referral_close,
    panel_referral_list,
    repeat_prompt,
    research_record,
    voice_record,
)

CHAIR = "grace.whitfield@asc.eastmere.example"
COORDINATOR = "david.hughes@asc.eastmere.example"
ADMIN = "imran.qureshi@asc.eastmere.example"
ADVOCATE = "sian.roberts@advocacy.eastmere.example"
# Who represents each kind of agency at the meetings.
REPRESENTATIVES = {
    "eastmere-council-asc": "amara.osei@asc.eastmere.example",
    "eastmere-police": "pc.tom.reid@police.eastmere.example",
    "eastmere-hospitals": "raj.patel@hospitals.eastmere.example",
    "castle-street-surgery": "dr.ruth.adeyemi@castlestreet.example",
    "millbrook-health-centre": "jo.lindqvist@millbrook.example",
    "eastmere-mental-health": "fatima.rahman@mh.eastmere.example",
    "riverside-homes": "chris.doyle@riversidehomes.example",
    "eastmere-fire": "kate.morgan@fire.eastmere.example",
    "eastmere-victim-support": "ben.achebe@victimsupport.eastmere.example",
    "voiceability-eastmere": ADVOCATE,
    "open-minds-peer-group": "alex.finch@openminds.example",
}
RULE_CRITERIA = {Criterion.VISIBLE_HIGH_RISK.value, Criterion.POTENTIAL_ESCALATION.value}


@dataclass
class Candidate:
    case: Case
    criteria: list[str]
    recent: bool  # an incident in the last five weeks (after a referral seven weeks ago: a repeat)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


def _backdate(referral: PanelReferral, since: datetime, when: datetime) -> None:
    """What the services stamped `now` since `since` for this referral happened on `when` — and their words say
    so (a meeting held then was recorded as today's)."""
    today, then = long_date(timezone.localdate()), long_date(timezone.localtime(when).date())
    for entry in TimelineEntry.objects.filter(case=referral.case, kind="panel", at__gte=since):
        entry.summary = entry.summary.replace(today, then)
        entry.at = when
        entry.save(update_fields=["summary", "at"])
    for step in PanelReferralTransition.objects.filter(panel_referral=referral, at__gte=since):
        step.note = step.note.replace(today, then)
        step.at = when
        step.save(update_fields=["note", "at"])
    Research.objects.filter(panel_referral=referral, at__gte=since).update(at=when)
    PersonsVoice.objects.filter(panel_referral=referral, at__gte=since).update(at=when)


def _due(action: Action, due: date) -> None:
    """An action agreed at a past meeting was due then; its timeline entry says when (it was agreed as due today,
    the earliest the service allows now)."""
    Action.objects.filter(pk=action.pk).update(due_on=due)
    for entry in TimelineEntry.objects.filter(object_id=str(action.uuid)):
        entry.summary = entry.summary.replace(f"due {long_date(timezone.localdate())}", f"due {long_date(due)}")
        entry.save(update_fields=["summary"])


def _consent(case: Case) -> None:
    if not consent_cover(person=case.person, purpose="discuss_at_panel", recipient=case.key_worker_agency).covered:
        consent_record(
            actor=case.key_worker,
            agency=case.key_worker_agency,
            person=case.person,
            purpose="discuss_at_panel",
            decision="given",
            any_partner=True,
            capacity_note="Talked through with an advocate present; they asked for the agencies to meet",
        )


def _refer(
    candidate: Candidate,
    panel: Panel,
    summary: str,
    vulnerability: list[str],
    *,
    on: date,
    reasons: str = "",
    urgent: bool = False,
) -> PanelReferral:
    """Referred by the key worker on `on`, for the criteria the rules found (and their judgement, if given)."""
    case = candidate.case
    mark = timezone.now()
    _consent(case)
    referral = panel_refer(
        actor=case.key_worker,
        agency=case.key_worker_agency,
        case=case,
        panel=panel,
        criteria=[*candidate.criteria, *(["professional_judgement"] if reasons else [])],
        summary=summary,
        judgement_reasons=reasons,
        vulnerability=vulnerability,
        urgent=urgent,
    )
    PanelReferral.objects.filter(pk=referral.pk).update(referred_at=_at(on))
    # Their consent was asked for just before.
    Consent.objects.filter(person=case.person, purpose="discuss_at_panel", recorded_at__gte=mark).update(
        recorded_at=_at(on) - timedelta(hours=1)
    )
    TimelineEntry.objects.filter(person=case.person, kind="consent_changed", at__gte=mark).update(
        at=_at(on) - timedelta(hours=1)
    )
    _backdate(referral, mark, _at(on))
    referral.refresh_from_db()
    return referral


def _candidates(limit: int = 30) -> list[Candidate]:
    """Open cases of people with several incidents — the most reported, and some with only a few this year (whose
    level may not be high) — with the panel criteria their risk identification meets."""
    recent = timezone.now() - timedelta(days=35)
    older = timezone.now() - timedelta(days=60)
    found = (
        Case.objects.filter(status="open")
        .annotate(
            n=Count("person__incidents"),
            first=Min("person__incidents__created_at"),
            last=Max("person__incidents__created_at"),
            year=Count(
                "person__incidents", filter=Q(person__incidents__created_at__gte=timezone.now() - timedelta(days=365))
            ),
        )
        .filter(n__gte=2)
        .select_related("person", "key_worker", "key_worker_agency")
    )
    most = list(found.order_by("-year", "-n", "id")[:limit])
    few = list(found.filter(year__gte=3, year__lte=5).order_by("year", "id")[:limit])
    out = []
    unique: list[Any] = list({c.pk: c for c in [*most, *few]}.values())  # annotated with first, last
    for case in unique:
        criteria, _ = assessed_detail(case.person)
        out.append(
            Candidate(
                case=case,
                criteria=[c for c in criteria if c in RULE_CRITERIA],
                recent=case.last is not None and case.last >= recent and case.first is not None and case.first < older,
            )
        )
    return out


def _only(pool: list[Candidate], criteria: list[str]) -> Candidate | None:
    """A candidate whose risk identification meets exactly these criteria."""
    for c in pool:
        if c.criteria == criteria:
            pool.remove(c)
            return c
    return None


def _pick(pool: list[Candidate], *, want: str | None = None, recent: bool | None = None) -> Candidate | None:
    for c in pool:
        if (want is None or want in c.criteria) and (recent is None or c.recent == recent) and c.criteria:
            pool.remove(c)
            return c
    return None


def _owner(agency: Agency) -> User:
    owner = (
        User.objects.filter(
            is_active=True, memberships__agency=agency, memberships__role__in=["practitioner", "key_worker"]
        )
        .order_by("id")
        .first()
    )
    if owner is None:
        raise LookupError(f"The demo has no practitioner at {agency.name}")
    return owner


@dataclass
class World:
    panel: Panel
    coordinator: User
    advocate: User
    today: date
    police: Agency
    housing: Agency
    victim_support: Agency
    fire: Agency


def load_panel() -> dict[str, int]:
    """Needs the partnership and a population with open cases. Returns what it made."""
    admin, chair, coordinator, advocate = (User.objects.get(email=e) for e in (ADMIN, CHAIR, COORDINATOR, ADVOCATE))
    reps = {u.email: u for u in User.objects.filter(email__in=REPRESENTATIVES.values())}
    panel = panel_create(
        actor=admin,
        name="Eastmere community risk panel",
        area="Eastmere",
        chair=chair,
        coordinator=coordinator,
        members=[(a, reps.get(REPRESENTATIVES.get(a.slug, ""))) for a in Agency.objects.order_by("name")],
    )
    pool = _candidates()
    first = _pick(pool, want=Criterion.VISIBLE_HIGH_RISK.value, recent=True) or _pick(pool, recent=True)
    # On potential escalation (3 or more incidents this year) without a high level, if the population has one.
    second = _only(pool, [Criterion.POTENTIAL_ESCALATION.value]) or _pick(pool)
    settled = _pick(pool, want=Criterion.VISIBLE_HIGH_RISK.value) or _pick(pool)
    # Referred on a practitioner's judgement alone, if the population has someone the rules do not put at the panel.
    judged = _only(pool, []) or (pool[0] if pool else None)
    if first is None or second is None:
        return {"panels": 1, "panel_referrals": 0}
    w = World(
        panel=panel,
        coordinator=coordinator,
        advocate=advocate,
        today=timezone.localdate(),
        police=Agency.objects.get(kind="police"),
        housing=Agency.objects.get(kind="housing"),
        victim_support=Agency.objects.get(kind="victim_support"),
        fire=Agency.objects.get(kind="fire_rescue"),
    )
    start = timezone.now()
    referral, heard_too = _first_meeting(w, first, settled)
    second_referral = _second_meeting(w, first, referral, second, heard_too)
    # What the past meetings told people was read weeks ago.
    Notification.objects.filter(at__gte=start).update(read_at=timezone.now())
    since = _since_then(w, first, judged)
    made = [referral, *([heard_too] if heard_too else []), second_referral, *since]
    return {
        "panels": 1,
        "panel_referrals": len(made),
        "repeats": sum(1 for r in made if r.repeat),
        "meetings": 2,
    }


def _first_meeting(w: World, first: Candidate, settled: Candidate | None) -> tuple[PanelReferral, PanelReferral | None]:
    """Six weeks ago: the first person (and the one whose risk later came down) heard, actions agreed."""
    day_one = w.today - timedelta(days=42)
    referral = _refer(
        first,
        w.panel,
        "Neighbours' abuse has moved from the street to their front door; they have stopped going out after dark.",
        ["personal", "situational"],
        on=day_one - timedelta(days=8),
    )
    heard_too = (
        _refer(
            settled,
            w.panel,
            "Targeted on the estate since a family member's arrest; windows broken twice.",
            ["situational", "incidental"],
            on=day_one - timedelta(days=5),
        )
        if settled
        else None
    )
    since = timezone.now()
    one = meeting_schedule(actor=w.coordinator, panel=w.panel, day=w.today)
    for r in [referral, *([heard_too] if heard_too else [])]:
        panel_referral_list(actor=w.coordinator, meeting=one, panel_referral=r)
    research_record(
        actor=_owner(w.police),
        agency=w.police,
        meeting=one,
        panel_referral=referral,
        summary="Four calls from the address in three months; the neighbours are known for earlier harassment. "
        "We can visit them and give a warning.",
    )
    research_record(
        actor=_owner(w.housing),
        agency=w.housing,
        meeting=one,
        panel_referral=referral,
        summary="Our tenant since 2019, no arrears. A management move is possible within about six weeks.",
    )
    voice_record(
        actor=w.advocate,
        panel_referral=referral,
        words="I just want to be able to open my door without being shouted at. I don't want to lose my flat "
        "because of them. Please don't send the police round in a marked car.",
    )
    minutes_record(
        actor=w.coordinator,
        meeting=one,
        panel_referral=referral,
        persons_voice="",
        discussion="Police to visit the neighbours in plain clothes; housing to offer a management move; the key "
        "worker to agree a safety plan with them.",
        present_agencies=[first.case.key_worker_agency, w.housing, w.police, advocate_agency(w.advocate)],
    )
    police_visit = action_agree(
        actor=w.coordinator,
        panel_referral=referral,
        what="Visit the neighbours, in plain clothes, and give a warning",
        agency=w.police,
        owner=_owner(w.police),
        due_on=w.today,
    )
    move = action_agree(
        actor=w.coordinator,
        panel_referral=referral,
        what="Offer a management move",
        agency=w.housing,
        owner=_owner(w.housing),
        due_on=w.today,
    )
    action_complete(
        actor=police_visit.owner, action=police_visit, evidence="Visited with the neighbourhood team; warning given"
    )
    if heard_too is not None:
        minutes_record(
            actor=w.coordinator,
            meeting=one,
            panel_referral=heard_too,
            persons_voice="I want my windows fixed and to know someone is watching out for us.",
            discussion="Fire to fit a letterbox guard and check alarms; police to add the address to patrols.",
            present_agencies=[settled.case.key_worker_agency, w.police, w.fire],  # type: ignore[union-attr]
        )
        guard = action_agree(
            actor=w.coordinator,
            panel_referral=heard_too,
            what="Fit a letterbox guard and check the smoke alarms",
            agency=w.fire,
            owner=_owner(w.fire),
            due_on=w.today,
        )
        action_complete(actor=guard.owner, action=guard, evidence="Guard fitted and alarms tested on the Tuesday")
    Meeting.objects.filter(pk=one.pk).update(date=day_one)
    for action in (police_visit, move):
        _due(action, day_one + timedelta(days=14))
    Action.objects.filter(pk__in=[police_visit.pk, move.pk]).update(created_at=_at(day_one))
    Action.objects.filter(pk=police_visit.pk).update(done_at=_at(day_one + timedelta(days=9)))
    for r in [referral, *([heard_too] if heard_too else [])]:
        _backdate(r, since, _at(day_one))
        PanelReferral.objects.filter(pk=r.pk).update(heard_at=_at(day_one))
    if heard_too is not None:
        for action in Action.objects.filter(panel_referral=heard_too):
            _due(action, day_one + timedelta(days=7))
        Action.objects.filter(panel_referral=heard_too).update(
            created_at=_at(day_one), done_at=_at(day_one + timedelta(days=5))
        )
    return referral, heard_too


def _second_meeting(
    w: World, first: Candidate, referral: PanelReferral, second: Candidate, heard_too: PanelReferral | None
) -> PanelReferral:
    """Two weeks ago: the second person heard; the first back with the move not yet offered (carried); the one
    whose risk came down closed."""
    day_two = w.today - timedelta(days=14)
    second_referral = _refer(
        second,
        w.panel,
        "Targeted at the bus stop every week; now followed home. Reported to three agencies this year.",
        ["personal", "incidental"],
        on=day_two - timedelta(days=6),
    )
    since = timezone.now()
    two = meeting_schedule(actor=w.coordinator, panel=w.panel, day=w.today)
    panel_referral_list(actor=w.coordinator, meeting=two, panel_referral=second_referral)
    voice_record(
        actor=second.case.key_worker,
        panel_referral=second_referral,
        words="I'm scared to go out. I want them to know it is not just name-calling. I don't want to move.",
    )
    minutes_record(
        actor=w.coordinator,
        meeting=two,
        panel_referral=second_referral,
        persons_voice="",
        discussion="Victim support to offer an advocate; police to review the CCTV at the bus stop.",
        present_agencies=[second.case.key_worker_agency, w.police, w.victim_support],
    )
    cctv = action_agree(
        actor=w.coordinator,
        panel_referral=second_referral,
        what="Review the CCTV at the bus stop and identify the men",
        agency=w.police,
        owner=_owner(w.police),
        due_on=w.today,
    )
    advocacy_offer = action_agree(
        actor=w.coordinator,
        panel_referral=second_referral,
        what="Offer an independent advocate and a first visit at home",
        agency=w.victim_support,
        owner=_owner(w.victim_support),
        due_on=w.today + timedelta(days=7),
    )
    action_complete(actor=cctv.owner, action=cctv, evidence="Footage reviewed; two men identified and interviewed")
    minutes_record(
        actor=w.coordinator,
        meeting=two,
        panel_referral=referral,
        persons_voice="",
        discussion="Reviewed: the police visit is done and the abuse at the door has eased. Housing has no "
        "property yet: the move stays open.",
        present_agencies=[first.case.key_worker_agency, w.housing, w.police],
    )
    if heard_too is not None:
        panel_referral_close(
            actor=w.coordinator,
            panel_referral=heard_too,
            outcome="risk_reduced",
            reason="No incident since the guard was fitted and the patrols began; the family feel safer.",
        )
    Meeting.objects.filter(pk=two.pk).update(date=day_two)
    PanelReferral.objects.filter(pk=second_referral.pk).update(heard_at=_at(day_two))
    _due(cctv, day_two + timedelta(days=10))
    Action.objects.filter(pk=cctv.pk).update(created_at=_at(day_two), done_at=_at(day_two + timedelta(days=6)))
    Action.objects.filter(pk=advocacy_offer.pk).update(created_at=_at(day_two))
    for r in [second_referral, referral, *([heard_too] if heard_too else [])]:
        _backdate(r, since, _at(day_two))
    if heard_too is not None:
        PanelReferral.objects.filter(pk=heard_too.pk).update(closed_at=_at(day_two))

    return second_referral


def _since_then(w: World, first: Candidate, judged: Candidate | None) -> list[PanelReferral]:
    """Since then: a new incident for the first person (within 12 months of their referral) prompted their key
    worker, who referred back: a repeat, listed for the next meeting. An urgent referral waits to be listed."""
    made: list[PanelReferral] = []
    day_three = w.today + timedelta(days=14)
    three = meeting_schedule(actor=w.coordinator, panel=w.panel, day=day_three)
    repeat_prompt(first.case.person, None, "demo")
    repeat = panel_refer(
        actor=first.case.key_worker,
        agency=first.case.key_worker_agency,
        case=first.case,
        panel=w.panel,
        criteria=first.criteria,
        summary="A new incident at their door since the panel heard them: referred back as a repeat.",
        vulnerability=["personal", "situational"],
    )
    panel_referral_list(actor=w.coordinator, meeting=three, panel_referral=repeat)
    voice_record(
        actor=w.advocate,
        panel_referral=repeat,
        words="It started again last week. I thought it had stopped. I still want to move, but not far from my sister.",
    )
    made.append(repeat)
    if judged is not None:
        made.append(
            _refer(
                judged,
                w.panel,
                "Threats on social media have named their street; they have stopped taking their medication "
                "because they are afraid to go to the pharmacy.",
                ["personal", "incidental"],
                on=w.today - timedelta(days=2),
                reasons="The threats name their street and they are isolating; their mental health is getting "
                "worse fast.",
                urgent=True,
            )
        )
    return made


def advocate_agency(advocate: User) -> Agency:
    return Agency.objects.get(memberships__user=advocate, kind="advocacy")
