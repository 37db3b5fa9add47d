"""Re-assessing risk (on every incident, from any agency), professional judgement, and the rule-set versions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.models import TimelineKind
from joinedup.cases.selectors import open_case
from joinedup.cases.services import case_risk_level_set, case_risk_levels_set, timeline_add
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.incidents.selectors import people_incident_rows, people_with_incidents, perpetrator_relationships
from joinedup.people import linked
from joinedup.people.models import Person
from joinedup.people.selectors import people_where
from joinedup.risk.domain.rules import (
    DEFAULT_RULE_SET,
    Assessment,
    IncidentFacts,
    Judgement,
    Level,
    LinkedFacts,
    RuleSet,
    Thresholds,
    assess,
)
from joinedup.risk.models import RiskAssessment, RiskJudgement, RiskRuleSetVersion

LEVELS = {level.label: level for level in Level}


def rule_set_in_force(on: date | None = None) -> RuleSet:
    on = on or timezone.localdate()
    row = RiskRuleSetVersion.objects.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()
    if row is None:
        return DEFAULT_RULE_SET
    known = {f.name for f in fields(Thresholds)}
    thresholds = Thresholds(**{k: int(v) for k, v in row.thresholds.items() if k in known})
    return RuleSet(name=row.name, version=row.version, effective_from=row.effective_from, thresholds=thresholds)


INCIDENT_FACT_COLUMNS = (
    "id",
    "created_at",
    "occurred_on",
    "occurred_to",
    "kinds",
    "severity",
    "location_kind",
    "impacts",
    "dismissed_as_symptom",
    "classification",
    "hate_incident",
    "recording_agency_id",
    "same_event_as_id",
    "person_id",
)


def _horizon(rule_set: RuleSet, now: datetime, since: datetime | None = None) -> datetime:
    t = rule_set.thresholds
    horizon = max(t.potential_escalation_days, t.case_review_days, 2 * t.escalation_window_days, t.repeat_days)
    cutoff = now - timedelta(days=horizon)
    return min(cutoff, since) if since is not None else cutoff


def _facts_of(rows: list[tuple[Any, ...]], relationships: dict[int, set[str]], person_id: int) -> list[IncidentFacts]:
    """Rows of INCIDENT_FACT_COLUMNS as the rules read them; one recorded for another (linked) person record of
    the same person is marked `linked`."""
    facts = []
    tz = timezone.get_current_timezone()
    for row in rows:
        pk, created, on, to, kinds, severity, location, impacts, dismissed, classification, hate, agency = row[:12]
        event, recorded_for = row[12], row[13]
        happened = on or to
        at = datetime.combine(happened, datetime.min.time(), tzinfo=tz) if happened else created
        facts.append(
            IncidentFacts(
                at=at,
                kinds=frozenset(kinds),
                severity=severity,
                relationships=frozenset(relationships.get(pk, ())),
                location_kind=location,
                impacts=frozenset(impacts),
                dismissed_as_symptom=bool(dismissed),
                care_setting_offence=bool(classification.get("care_setting_offence")),
                mate_crime=bool(classification.get("mate_crime")),
                hate_incident=hate,
                agency_id=agency,
                event=event or pk,
                linked=recorded_for != person_id,
            )
        )
    return facts


def _relationships_of(incident_ids: list[int]) -> dict[int, set[str]]:
    relationships: dict[int, set[str]] = {}
    for incident_id, relationship in perpetrator_relationships(incident_ids=incident_ids):
        relationships.setdefault(incident_id, set()).add(relationship)
    return relationships


def history_facts(
    person: Person,
    *,
    rule_set: RuleSet,
    now: datetime,
    since: datetime | None = None,
    linked_person_ids: tuple[int, ...] = (),
) -> list[IncidentFacts]:
    """The person's incidents across every agency — and those recorded under other JoinedUp records of the same
    person (`linked_person_ids`, from linkage), marked `linked` — in two queries whatever the history's length."""
    # Recorded after the cutoff is a superset of "happened after the cutoff" (nothing is recorded before it happens).
    rows = people_incident_rows(
        person_ids=[person.pk, *linked_person_ids],
        fields=INCIDENT_FACT_COLUMNS,
        since=_horizon(rule_set, now, since),
    )
    return _facts_of(rows, _relationships_of([r[0] for r in rows]), person.pk)


def histories_facts(person_ids: list[int], *, rule_set: RuleSet, now: datetime) -> dict[int, list[IncidentFacts]]:
    """Many people's histories in two queries: for assessing a bulk load once (`risk_assess_unassessed`). Linked
    records are not read here: a linkage run assesses again everyone whose links it changes."""
    rows_of: dict[int, list[tuple[Any, ...]]] = {pid: [] for pid in person_ids}
    rows = people_incident_rows(person_ids=person_ids, fields=INCIDENT_FACT_COLUMNS, since=_horizon(rule_set, now))
    for row in rows:
        rows_of[row[13]].append(row)
    relationships = _relationships_of([r[0] for r in rows])
    return {pid: _facts_of(person_rows, relationships, pid) for pid, person_rows in rows_of.items()}


def _latest_judgement(person: Person) -> RiskJudgement | None:
    return RiskJudgement.objects.filter(person=person).order_by("-at", "-id").first()


def _evaluate(person: Person, *, judgement: RiskJudgement | None) -> Assessment:
    now = timezone.now()
    rule_set = rule_set_in_force()
    # The person's records elsewhere, as linkage found them (people.linked, filled by the linkage app): incidents
    # under linked JoinedUp records are their history too; agency records tell only that others know them.
    elsewhere = linked.linked_history(person)
    facts = history_facts(person, rule_set=rule_set, now=now, linked_person_ids=elsewhere.person_ids)
    as_judgement = (
        Judgement(level=LEVELS[judgement.level], reasons=judgement.reasons, by=judgement.by_agency_name)
        if judgement
        else None
    )
    return assess(
        facts,
        now=now,
        rule_set=rule_set,
        judgement=as_judgement,
        linked=LinkedFacts(
            records=len(elsewhere.person_ids), basis=elsewhere.basis, other_agencies=elsewhere.other_agencies
        ),
    )


def risk_unsaved(*, person: Person) -> RiskAssessment:
    """The rules run over the person's history now, not stored: what a reader sees of a record with incidents
    loaded in bulk before `manage.py assess_risk` (risk_assess_unassessed) stored its first assessment, or of a
    person with no incidents. Writes nothing, so a read stays a read."""
    result = _evaluate(person, judgement=_latest_judgement(person))
    return RiskAssessment(
        person=person,
        level=result.level.label,
        actuarial_level=result.actuarial_level.label,
        score=result.score,
        reasons=result.as_dict()["reasons"],
        panel_criteria=list(result.panel_criteria),
        case_review_eligible=result.case_review_eligible,
        rule_set_name=result.rule_set.name,
        rule_set_version=result.rule_set.version,
        trigger="assessed on reading; not stored yet",
        assessed_at=timezone.now(),
    )


UNASSESSED_TRIGGER = "first assessment of records loaded in bulk"


def risk_assess_unassessed(*, person_ids: list[int] | None = None, batch: int = 1000) -> int:
    """Store an assessment for everyone with incidents but none stored (of `person_ids`, or of everyone), and
    give their open case its level and rank: once, in bulk, so pages read a stored row instead of running the
    rules on every view. Bulk loads (the demo population, a migration of older records) write incidents without
    the recording services, which assess on every incident; nothing else leaves a person unassessed. Not a
    change of level anyone must act on, so no timeline entry or notification: one audit entry says what ran.
    Returns how many people were assessed."""
    assessed = RiskAssessment.objects.filter(person_id=OuterRef("pk"))
    pending = people_where(Exists(people_with_incidents())).exclude(Exists(assessed))
    if person_ids is not None:
        pending = pending.filter(pk__in=person_ids)
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    rule_set, now = rule_set_in_force(), timezone.now()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        judgements: dict[int, RiskJudgement] = {}
        for made in RiskJudgement.objects.filter(person_id__in=chunk).order_by("person_id", "-at", "-id"):
            judgements.setdefault(made.person_id, made)
        rows, levels = [], {}
        for person_id, facts in histories_facts(chunk, rule_set=rule_set, now=now).items():
            judgement = judgements.get(person_id)
            as_judgement = (
                Judgement(level=LEVELS[judgement.level], reasons=judgement.reasons, by=judgement.by_agency_name)
                if judgement
                else None
            )
            result = assess(facts, now=now, rule_set=rule_set, judgement=as_judgement)
            rows.append(_stored(person_id, result, trigger=UNASSESSED_TRIGGER, judgement=judgement))
            levels[person_id] = result.level.label
        with transaction.atomic():
            RiskAssessment.objects.bulk_create(rows, batch_size=1000)
            case_risk_levels_set(levels=levels)
    if ids:
        record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="risk.riskassessment",
            summary=f"Risk assessed for {len(ids):,} people with incidents and no stored assessment",
            details={"rule_set": rule_set.version, "people": len(ids)},
        )
    return len(ids)


def _stored(person_id: int, result: Assessment, *, trigger: str, judgement: RiskJudgement | None) -> RiskAssessment:
    return RiskAssessment(
        person_id=person_id,
        level=result.level.label,
        actuarial_level=result.actuarial_level.label,
        score=result.score,
        reasons=result.as_dict()["reasons"],
        panel_criteria=list(result.panel_criteria),
        case_review_eligible=result.case_review_eligible,
        rule_set_name=result.rule_set.name,
        rule_set_version=result.rule_set.version,
        trigger=trigger[:200],
        judgement=judgement,
    )


def risk_reassess(*, person: Person, actor: User | None, trigger: str) -> RiskAssessment:
    """Assess again from the whole history and keep the result. A change of level goes on the case timeline and
    to the key worker (in the app, and by e-mail after commit). Runs inside the caller's transaction."""
    judgement = _latest_judgement(person)
    result = _evaluate(person, judgement=judgement)
    previous = RiskAssessment.objects.filter(person=person).order_by("-assessed_at", "-id").first()
    assessment = _stored(person.pk, result, trigger=trigger, judgement=judgement)
    assessment.person = person
    assessment.save()
    case = open_case(person=person)
    before = previous.level if previous else "standard"
    if case is not None:
        case_risk_level_set(actor=actor, case=case, level=result.level.label)
        if before != result.level.label:
            summary = f"Risk changed from {before} to {result.level.label} ({trigger})"
            timeline_add(
                person=person,
                case=case,
                kind=TimelineKind.RISK_CHANGED,
                summary=summary,
                actor=actor,
                agency=None,
                obj=assessment,
                details={"from": before, "to": result.level.label},
            )
            if actor is None or case.key_worker_id != actor.pk:
                notify_staff(
                    user=case.key_worker, text=f"{person.display_name}: {summary}.", url=f"/people/{person.uuid}"
                )
    return assessment


def reassess_after_recording(person: Person, actor: User | None, trigger: str) -> RiskAssessment:
    """Registered with incidents.services.JOINED_TO_STORY: every incident, from any agency, re-assesses — the
    person, and every other JoinedUp record of the same person, whose history it now is too."""
    assessment = risk_reassess(person=person, actor=actor, trigger=trigger)
    others = linked.linked_history(person).person_ids
    if others:
        # No actor: the other record's timeline says what happened, not who recorded it at which agency.
        risk_reassess_people(person_ids=others, trigger=LINKED_INCIDENT_TRIGGER)
    return assessment


LINKED_INCIDENT_TRIGGER = "an incident recorded under a linked record"


def risk_reassess_people(*, person_ids: Iterable[int], trigger: str, actor: User | None = None) -> int:
    """Assess each of these people again (linked records changed: a linkage run or a reviewer's decision, or an
    incident under a linked record). Each in its own transaction; how many were assessed."""
    done = 0
    for person in people_where(pk__in=list(person_ids)).order_by("pk"):
        with transaction.atomic():
            risk_reassess(person=person, actor=actor, trigger=trigger)
        done += 1
    return done


def risk_judgement_record(*, actor: User, agency: Agency, person: Person, level: str, reasons: str) -> RiskAssessment:
    """Professional judgement may raise the level, with reasons; it never lowers what the rules give (409)."""
    if level not in LEVELS:
        raise InvalidInput("Choose standard, medium or high.", fields={"level": ["Choose standard, medium or high"]})
    if not reasons.strip():
        raise InvalidInput("Say why.", fields={"reasons": ["Give the reasons for your judgement"]})
    require(actor, "person.view", person, purpose="Risk judgement")
    require(actor, "risk.judge", person, purpose="Risk judgement")
    with transaction.atomic():
        current = _evaluate(person, judgement=None)
        wanted = LEVELS[level]
        if wanted < current.actuarial_level:
            rules_level = current.actuarial_level.label
            raise Conflict(
                f"The rules give {rules_level} risk. Professional judgement can raise a level but never lower "
                f"{'an actuarial high' if rules_level == 'high' else 'the rules’ level'}; record your view as a note.",
                code="judgement_cannot_lower",
            )
        judgement = RiskJudgement.objects.create(
            person=person, level=level, reasons=reasons.strip(), by=actor, by_agency_name=agency.name
        )
        record(
            actor=actor,
            action=AuditAction.OVERRIDE,
            obj=judgement,
            person_uuid=person.uuid,
            summary=f"Professional judgement: {level}",
            details={"reasons": reasons.strip()[:300]},
        )
        return risk_reassess(person=person, actor=actor, trigger=f"professional judgement by {actor.name}")


def risk_rule_set_publish(
    *, actor: User, version: str, effective_from: date, thresholds: dict[str, int], note: str = ""
) -> RiskRuleSetVersion:
    """A new version of the local thresholds, from an administrator of the lead partner agency."""
    lead = Agency.objects.filter(is_lead_partner=True).first()
    require(actor, "agency.manage", lead, purpose="Publishing risk thresholds")
    known = {f.name for f in fields(Thresholds)}
    problems: dict[str, list[str]] = {}
    for name, value in thresholds.items():
        if name not in known:
            problems[name] = ["Unknown threshold"]
        elif not isinstance(value, int) or value < 1 or value > 3650:
            problems[name] = ["Enter a whole number from 1 to 3650"]
    merged = {**asdict(Thresholds()), **{k: v for k, v in thresholds.items() if k in known}}
    if merged["medium_score"] >= merged["high_score"]:
        problems["medium_score"] = ["The medium score must be lower than the high score"]
    if not version.strip():
        problems["version"] = ["Enter a version, like 2026.2"]
    elif RiskRuleSetVersion.objects.filter(version=version.strip()).exists():
        problems["version"] = ["That version already exists: versions are never changed, publish a new one"]
    if problems:
        raise InvalidInput("The thresholds are not valid. Nothing was published.", fields=problems)
    with transaction.atomic():
        row = RiskRuleSetVersion.objects.create(
            version=version.strip(),
            effective_from=effective_from,
            thresholds=merged,
            note=note.strip()[:500],
            published_by=actor,
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=row,
            summary=f"Risk thresholds {row.version} published",
            details={"thresholds": merged, "effective_from": effective_from.isoformat()},
        )
    return row
