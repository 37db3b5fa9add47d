"""A synthetic population for the demo partnership, calibrated on domain.md §9.

- Repeat victimisation: incidents are shared out by a heavy-tailed (Pareto) weight, so a minority of people
  account for many incidents.
- Escalation: for people with several incidents, later ones tend to be more serious (verbal abuse → threats →
  assault) and a perpetrator may gain access to the home.
- Mate crime and cuckooing, care-setting ill-treatment by staff and carers.
- Hostility strands weighted for people with lived experience of mental distress (disability first), with the
  national offence mix for disability hate crime (harassment, public order, violence) [S5][S13].
- People known to several agencies under slightly different names, dates of birth and postcodes.
- Missing and approximate dates.
- Consents, each naming who it is for: referral to one directory service, reporting to the police, contact by any
  partner agency (the person's own choice) — and a few recorded before a recipient was required, which cover
  nobody and ask the key worker to ask again (docs/adr/0007-consent-recipients.md).

Everything is written with bulk inserts in chunks of people, with a progress bar, so 100,000 people and
1,000,000 incidents load in minutes. Audit: one entry records the load itself (it is not anyone's casework).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, reset_queries, transaction
from django.utils import timezone
from faker import Faker
from tqdm import tqdm

from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.models import Case, CaseTransition, KeyWorkerAssignment, TimelineEntry, TimelineKind
from joinedup.consent.domain.rules import PURPOSE_LABELS, Purpose, RecipientKind, recipient_words
from joinedup.consent.models import Consent
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.models import Incident, Perpetrator
from joinedup.incidents.services import build_incident
from joinedup.people.domain import matching
from joinedup.people.domain.validation import normalise_postcode
from joinedup.people.models import Person, PersonAgencyLink
from joinedup.referrals.models import Service
from joinedup.risk.services import risk_assess_unassessed

CHUNK_PEOPLE = 2_000
POSTCODE_DISTRICTS = ["EM1", "EM2", "EM3", "EM4", "EM5", "EM6", "EM7", "EM8", "EM9", "EM10", "EM11", "EM12"]

KIND_WEIGHTS = {
    "verbal_abuse": 25,
    "harassment": 20,
    "threats": 10,
    "threats_to_home": 2,
    "physical_assault": 10,
    "criminal_damage": 6,
    "theft": 5,
    "financial_exploitation": 6,
    "online_abuse": 6,
    "discrimination": 4,
    "sexual": 2,
    "cuckooing": 2,
    "ill_treatment_or_neglect": 2,
}
STRAND_WEIGHTS = {"disability": 45, "race": 30, "sexual_orientation": 10, "religion": 7, "transgender": 5, "other": 3}
LOCATION_WEIGHTS = {
    "home": 30,
    "near_home": 20,
    "street": 15,
    "public_transport": 6,
    "shop_or_public_place": 10,
    "online": 8,
    "supported_housing": 4,
    "care_home": 2,
    "inpatient_ward": 2,
    "day_service": 2,
    "workplace": 1,
}
RELATION_WEIGHTS = {
    "stranger": 30,
    "neighbour": 25,
    "friend": 10,
    "family": 8,
    "partner": 4,
    "other_resident": 5,
    "unknown": 15,
    "carer": 1,
    "paid_care_worker": 1,
    "staff": 1,
}
IMPACTS = [
    "stress",
    "fear",
    "psychological_distress",
    "mental_health_deterioration",
    "loss_of_trust",
    "trauma",
    "reduced_quality_of_life",
    "financial_hardship",
    "disengaging_from_services",
    "suicidality",
]
WANTS = [
    "make_it_stop",
    "feel_safe_at_home",
    "talk_to_someone",
    "tell_police",
    "advocate",
    "peer_support",
    "nothing_now",
]
SAYINGS = {
    "verbal_abuse": [
        "They shouted that I'm a psycho and should be locked up.",
        "He calls me names every time I go out.",
        "They said people like me shouldn't be allowed out.",
    ],
    "harassment": [
        "They keep knocking on my door late at night and running off.",
        "The same group follows me from the bus stop most days.",
    ],
    "threats": ["He said he would hurt me if I told anyone.", "They said they know where I live."],
    "threats_to_home": [
        "He said he would burn my flat down if I told anyone.",
        "They said they would put a brick through my window.",
    ],
    "physical_assault": ["He pushed me down the stairs outside the flats.", "They hit me and took my phone."],
    "criminal_damage": ["They smashed my window again and wrote on my door.", "My car tyres were slashed."],
    "theft": ["My bag was taken while I was in the day centre.", "Someone took my medication and my money."],
    "financial_exploitation": [
        "My 'friend' takes my bank card every time my money comes in.",
        "He borrowed money and now says I owe him more every week.",
    ],
    "online_abuse": ["They post about me online and send horrible messages.", "I get messages calling me a freak."],
    "discrimination": ["The shop staff wouldn't serve me and laughed.", "They told me to leave because of how I act."],
    "sexual": ["He touched me when I said no.", "He made me do things I didn't want to."],
    "cuckooing": [
        "Some lads have moved into my flat and I can't get them out.",
        "My friend's mates use my place to sell drugs and I'm scared.",
    ],
    "ill_treatment_or_neglect": [
        "Staff leave me in my room all day and shout at me.",
        "My carer doesn't give me my tablets and takes my food.",
    ],
}
NICKNAME_OF = {full: nick for nick, full in matching.NICKNAMES.items()}


@dataclass
class Plan:
    """What one synthetic person's story will hold."""

    count: int
    home: Agency
    known_by: set[int]
    first_seen: datetime
    escalating: bool = False
    mate: bool = False
    care: bool = False
    duplicate: bool = False


@dataclass
class Demo:
    agencies: list[Agency]
    recorders: dict[int, list[User]]  # agency id → users who record there
    keepers: dict[int, list[User]]  # agency id → key workers
    by_id: dict[int, Agency]
    services: list[Service] = field(default_factory=list)  # directory services that receive referrals
    police: Agency | None = None


def _partnership() -> Demo:
    agencies = list(Agency.objects.exclude(kind="police").order_by("id"))
    recorders: dict[int, list[User]] = {}
    keepers: dict[int, list[User]] = {}
    for agency in agencies:
        members = list(
            User.objects.filter(
                memberships__agency=agency, memberships__role__in=["practitioner", "key_worker", "safeguarding_lead"]
            ).distinct()
        )
        recorders[agency.pk] = members
        keepers[agency.pk] = [u for u in members if u.memberships.filter(agency=agency, role="key_worker").exists()]
    usable = [a for a in agencies if recorders[a.pk]]
    return Demo(
        agencies=usable,
        recorders=recorders,
        keepers=keepers,
        by_id={a.pk: a for a in usable},
        services=list(Service.objects.filter(status="active", agency__isnull=False).select_related("agency")),
        police=Agency.objects.filter(kind="police").order_by("id").first(),
    )


def _choice(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters UK postcodes use in their last part


def _postcode(rng: random.Random) -> str:
    inward = f"{rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    return f"{rng.choice(POSTCODE_DISTRICTS)} {inward}"


def _variant(
    rng: random.Random, given: str, family: str, dob: date | None, postcode: str
) -> tuple[str, str, date | None, str]:
    """The same person as another agency knows them: a nickname, a typo, no date of birth, an old address."""
    change = rng.choice(["nickname", "typo", "no_dob", "moved", "swapped_dob"])
    if change == "nickname" and given.lower() in NICKNAME_OF:
        given = NICKNAME_OF[given.lower()].title()
    elif change == "typo" and len(family) > 3:
        i = rng.randrange(1, len(family) - 1)
        family = family[:i] + family[i + 1] + family[i] + family[i + 2 :]
    elif change == "no_dob":
        dob = None
    elif change == "moved":
        postcode = _postcode(rng)
    elif change == "swapped_dob" and dob and dob.day <= 12:
        dob = date(dob.year, dob.day, dob.month)
    return given, family, dob, postcode


def _when(rng: random.Random, at: datetime) -> tuple[date | None, date | None, date | None]:
    roll = rng.random()
    day = at.date()
    if roll < 0.6:
        return day, None, None
    if roll < 0.9:
        return None, day - timedelta(days=rng.randint(3, 30)), day
    return None, None, None


def _incident_kinds(rng: random.Random, step: int, steps: int, escalating: bool) -> tuple[str, ...]:
    if escalating:
        ladder = ["verbal_abuse", "harassment", "threats", "criminal_damage", "physical_assault"]
        rung = min(len(ladder) - 1, int(step / max(1, steps - 1) * (len(ladder) - 1) + rng.random() * 0.8))
        kinds = {ladder[rung]}
    else:
        kinds = {_choice(rng, KIND_WEIGHTS)}
    if rng.random() < 0.3:
        kinds.add(_choice(rng, KIND_WEIGHTS))
    return tuple(sorted(kinds))


def load(*, people: int, incidents: int, seed: int, progress: bool = True) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 — synthetic data, repeatable from its seed; not security
    # Consents draw from their own stream, so adding them left the people and incidents of a seed as they were.
    consent_rng = random.Random(seed + 1)  # noqa: S311
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    demo = _partnership()
    if not demo.agencies:
        raise RuntimeError("Load the demo partnership first")
    now = timezone.now()
    # Heavy-tailed weights: most people have one or two incidents; a few have dozens.
    # Capped, so the most targeted people have dozens of incidents, not hundreds.
    weights = [min(rng.paretovariate(1.5), 25.0) for _ in range(people)]
    counts = [0] * people
    for index in rng.choices(range(people), weights=weights, k=incidents):
        counts[index] += 1
    totals = {"people": 0, "incidents": 0, "duplicates": 0, "consents": 0}
    bar = tqdm(total=people, desc="people", unit="person", disable=not progress)
    for start in range(0, people, CHUNK_PEOPLE):
        chunk = range(start, min(start + CHUNK_PEOPLE, people))
        with transaction.atomic():
            made, cases = _load_chunk(rng, fake, demo, [counts[i] for i in chunk], now)
            made["consents"] = _consents(consent_rng, demo, cases)
        for key, value in made.items():
            totals[key] += value
        reset_queries()  # under DEBUG Django keeps every query; a million rows would fill memory
        bar.update(len(chunk))
    bar.close()
    # The recording services assess risk on every incident; this bulk load bypasses them, so it assesses
    # everyone once here (and their cases take the level), as a live partnership's records would be.
    risk_assess_unassessed()
    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk load: without them the planner guesses huge row counts, and on small
        # lookups PostgreSQL then spends tens of milliseconds JIT-compiling queries that take a fraction of one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    record(
        actor=None,
        action=AuditAction.CREATE,
        object_type="demo.population",
        summary=f"Synthetic demo population loaded: {totals}",
    )
    return totals


def _load_chunk(  # noqa: PLR0915 — one pass builds every table for a chunk of people
    rng: random.Random, fake: Faker, demo: Demo, counts: list[int], now: datetime
) -> tuple[dict[str, int], list[Case]]:
    persons: list[Person] = []
    plans: list[Plan] = []
    for count in counts:
        sex = rng.choice("fm")
        given = fake.first_name_female() if sex == "f" else fake.first_name_male()
        family = fake.last_name()
        dob = fake.date_of_birth(minimum_age=18, maximum_age=85) if rng.random() < 0.85 else None
        postcode = _postcode(rng)
        home = rng.choice(demo.agencies)
        known_by = {home.pk} | {a.pk for a in rng.sample(demo.agencies, k=min(len(demo.agencies), rng.randint(0, 2)))}
        first_seen = now - timedelta(days=rng.randint(1, 3 * 365))
        person = Person(
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            postcode=postcode,
            phone=f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.7 else "",
            safe_contact={
                "allowed": rng.sample(["phone", "text", "letter", "visit"], k=rng.randint(0, 2)),
                "notes": rng.choice(["", "", "Do not leave voicemails", "Only after 6pm", "No letters to home"]),
            },
            communication_needs=rng.choice(["", "", "", "Easy read", "Needs an advocate present", "BSL interpreter"]),
            created_at=first_seen,
            family_key=matching.name_key(family),
            given_key=matching.given_key(given),
            postcode_key=matching.postcode_key(postcode),
        )
        persons.append(person)
        plans.append(
            Plan(
                count=count,
                home=home,
                known_by=known_by,
                first_seen=first_seen,
                escalating=count >= 4 and rng.random() < 0.5,
                mate=rng.random() < 0.06,
                care=rng.random() < 0.04,
            )
        )
        if rng.random() < 0.15:  # also known, under slightly different details, to another agency
            g, f, d, p = _variant(rng, given, family, dob, postcode)
            other = rng.choice(demo.agencies)
            duplicate = Person(
                given_name=g,
                family_name=f,
                date_of_birth=d,
                postcode=normalise_postcode(p),
                created_at=first_seen,
                family_key=matching.name_key(f),
                given_key=matching.given_key(g),
                postcode_key=matching.postcode_key(p),
                safe_contact={"allowed": [], "notes": ""},
            )
            persons.append(duplicate)
            plans.append(Plan(count=0, home=other, known_by={other.pk}, first_seen=first_seen, duplicate=True))
    Person.objects.bulk_create(persons, batch_size=1000)
    links = [
        PersonAgencyLink(person=p, agency_id=a, basis="recorded")
        for p, plan in zip(persons, plans, strict=True)
        for a in plan.known_by
    ]
    PersonAgencyLink.objects.bulk_create(links, batch_size=2000)

    cases: list[Case] = []
    case_plans: list[tuple[Person, Plan, User]] = []
    for person, plan in zip(persons, plans, strict=True):
        if not plan.count:
            continue
        home = plan.home
        keeper_pool = demo.keepers.get(home.pk) or demo.recorders[home.pk]
        keeper = rng.choice(keeper_pool)
        cases.append(
            Case(
                person=person,
                key_worker=keeper,
                key_worker_agency=home,
                opened_at=plan.first_seen,
                key_worker_provisional=not demo.keepers.get(home.pk),
            )
        )
        case_plans.append((person, plan, keeper))
    Case.objects.bulk_create(cases, batch_size=1000)
    PersonAgencyLink.objects.bulk_create(
        [PersonAgencyLink(person=c.person, agency=c.key_worker_agency, basis="key_worker") for c in cases],
        batch_size=2000,
        ignore_conflicts=True,
    )
    CaseTransition.objects.bulk_create(
        [CaseTransition(case=c, actor=c.key_worker, to_status="open", reason="New incident") for c in cases],
        batch_size=2000,
    )
    KeyWorkerAssignment.objects.bulk_create(
        [
            KeyWorkerAssignment(case=c, user=c.key_worker, agency=c.key_worker_agency, reason="Opened the case")
            for c in cases
        ],
        batch_size=2000,
    )

    incident_rows: list[Incident] = []
    perpetrator_rows: list[tuple[int, list[PerpetratorInput]]] = []
    timeline: list[TimelineEntry] = []
    for case, (person, plan, _keeper) in zip(cases, case_plans, strict=True):
        count, first_seen = plan.count, plan.first_seen
        span = max(1, (now - first_seen).days)
        days = sorted(rng.randint(0, span) for _ in range(count))
        recording_agencies = sorted(plan.known_by)
        perpetrator_relation = _choice(rng, RELATION_WEIGHTS)
        for step, offset in enumerate(days):
            at = first_seen + timedelta(days=offset, minutes=rng.randint(0, 600))
            kinds = _incident_kinds(rng, step, count, plan.escalating)
            relation = perpetrator_relation if rng.random() < 0.7 else _choice(rng, RELATION_WEIGHTS)
            location = _choice(rng, LOCATION_WEIGHTS)
            if plan.mate:
                relation, kinds = (
                    "friend",
                    tuple(sorted(set(kinds) | {rng.choice(["financial_exploitation", "cuckooing", "theft"])})),
                )
                location = "home"
            if plan.care:
                relation = rng.choice(["staff", "paid_care_worker", "carer"])
                kinds = tuple(sorted(set(kinds) | {"ill_treatment_or_neglect"}))
                location = rng.choice(["care_home", "supported_housing", "home"])
            strands = (
                tuple(sorted({_choice(rng, STRAND_WEIGHTS) for _ in range(1 + (rng.random() < 0.15))}))
                if rng.random() < 0.7
                else ()
            )
            on, start, end = _when(rng, at)
            agency_id = rng.choice(recording_agencies)
            recorder = rng.choice(demo.recorders[agency_id])
            data = IncidentInput(
                description=rng.choice(SAYINGS[kinds[0]]),
                reported_by=rng.choices(["practitioner", "self", "third_party"], weights=[80, 12, 8])[0],
                occurred_on=on,
                occurred_from=start,
                occurred_to=end,
                location_kind=location,
                kinds=kinds,
                strands=strands,
                perceived_by=("victim",) if strands else (),
                perpetrators=(PerpetratorInput(relation, ""),),
                injuries="Bruising" if "physical_assault" in kinds and rng.random() < 0.5 else "",
                impacts=tuple(sorted(set(rng.sample(IMPACTS, k=rng.randint(0, 3))))),
                happened_before="yes" if step else rng.choice(["no", "unknown"]),
                police_aware=rng.choice([True, False, None]),
                dismissed_as_symptom=rng.random() < 0.12,
                care_has_needs=rng.choice(["yes", "yes", "no", "unknown"]),
                care_unable_to_protect_self=rng.choice(["yes", "no", "unknown"]),
                wanted_actions=(rng.choice(WANTS),),
                entry_setting=demo.by_id[agency_id].default_setting,
                entry_need=demo.by_id[agency_id].default_need,
            )
            incident_rows.append(
                build_incident(
                    data=data, person=person, actor=recorder, agency=demo.by_id[agency_id], case=case, created_at=at
                )
            )
            perpetrator_rows.append((len(incident_rows) - 1, list(data.perpetrators)))
    Incident.objects.bulk_create(incident_rows, batch_size=2000)
    Perpetrator.objects.bulk_create(
        [Perpetrator(incident=incident_rows[i], relationship=p.relationship) for i, ps in perpetrator_rows for p in ps],
        batch_size=5000,
    )
    for incident in incident_rows:
        timeline.append(
            TimelineEntry(
                person=incident.person,
                case=incident.case,
                at=incident.created_at,
                kind=TimelineKind.INCIDENT_RECORDED,
                summary="Incident recorded: " + ", ".join(k.replace("_", " ") for k in incident.kinds),
                actor=incident.recorded_by,
                agency_id=incident.recording_agency_id,
                object_type="incidents.incident",
                object_id=str(incident.uuid),
                details={"account": incident.description, "reported_by": incident.reported_by},
                field_groups=["harm"],
            )
        )
    TimelineEntry.objects.bulk_create(timeline, batch_size=5000)
    return {
        "people": len(persons),
        "incidents": len(incident_rows),
        "duplicates": sum(1 for p in plans if p.duplicate),
    }, cases


CAPACITY_NOTES = [
    "Talked it through at their pace",
    "Easy read leaflet, and time to think it over",
    "Their advocate was with them",
    "Explained who would see what, and checked they understood",
]


def _consents(rng: random.Random, demo: Demo, cases: list[Case]) -> int:
    """What some people said, each naming who it is for (services write these through consent_record; a bulk
    load writes the same rows and timeline entries directly)."""
    rows: list[Consent] = []
    for case in cases:
        draw = rng.random()
        common = {
            "person_id": case.person_id,
            "recorded_by_id": case.key_worker_id,
            "recorded_by_agency": case.key_worker_agency,
            "capacity_note": rng.choice(CAPACITY_NOTES),
        }
        if draw < 0.35 and demo.services:
            service = rng.choice(demo.services)
            rows.append(
                Consent(
                    purpose=Purpose.REFER,
                    recipient_kind=RecipientKind.SERVICE,
                    recipient_agency=service.agency,
                    recipient_service_uuid=service.uuid,
                    recipient_service_name=service.name,
                    decision="given",
                    **common,
                )
            )
        elif draw < 0.45 and demo.police is not None:
            rows.append(
                Consent(
                    purpose=Purpose.REPORT_TO_POLICE,
                    recipient_kind=RecipientKind.AGENCY,
                    recipient_agency=demo.police,
                    decision=rng.choice(["given", "refused"]),
                    **common,
                )
            )
        elif draw < 0.50:
            rows.append(
                Consent(purpose=Purpose.CONTACT, recipient_kind=RecipientKind.ANY_PARTNER, decision="given", **common)
            )
        elif draw < 0.53:  # as a partnership upgraded from before recipients were required would hold
            rows.append(
                Consent(purpose=Purpose.REFER, recipient_kind=RecipientKind.UNSPECIFIED, decision="given", **common)
            )
    Consent.objects.bulk_create(rows, batch_size=2000)
    open_case = {c.person_id: c for c in cases}
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                person_id=c.person_id,
                case=open_case.get(c.person_id),
                at=c.recorded_at,
                kind=TimelineKind.CONSENT_CHANGED,
                summary=f"Consent {c.decision}: {PURPOSE_LABELS[Purpose(c.purpose)].lower()} — "
                + recipient_words(
                    c.recipient_kind,
                    agency_name=c.recipient_agency.name if c.recipient_agency else "",
                    service_name=c.recipient_service_name,
                ),
                actor_id=c.recorded_by_id,
                agency=c.recorded_by_agency,
                object_type="consent.consent",
                object_id=str(c.uuid),
            )
            for c in rows
        ],
        batch_size=5000,
    )
    return len(rows)
