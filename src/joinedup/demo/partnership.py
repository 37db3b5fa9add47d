"""The demo partnership: a fictional county, Eastmere, with the agencies a real hate crime care pathway spans
(domain.md §2) and practitioners in every role. All names and addresses are invented."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import agency_create, user_create

DEMO_PASSWORD = "eastmere-demo-2026"  # noqa: S105 — printed for the demo; demo_data refuses to run in production
AREA = "Eastmere"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    kind: str
    lead: bool = False


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    agency: str
    roles: tuple[str, ...]
    what: str


AGENCIES = [
    DemoAgency("eastmere-council-asc", "Eastmere County Council Adult Social Care", "adult_social_care", lead=True),
    DemoAgency("eastmere-police", "Eastmere Police", "police"),
    DemoAgency("eastmere-hospitals", "Eastmere Hospitals NHS Trust (A&E)", "nhs_acute"),
    DemoAgency("castle-street-surgery", "Castle Street Surgery", "gp"),
    DemoAgency("millbrook-health-centre", "Millbrook Health Centre", "gp"),
    DemoAgency("eastmere-mental-health", "Eastmere Mental Health NHS Foundation Trust", "mental_health"),
    DemoAgency("riverside-homes", "Riverside Homes Housing Association", "housing"),
    DemoAgency("eastmere-fire", "Eastmere Fire and Rescue Service", "fire_rescue"),
    DemoAgency("eastmere-victim-support", "Eastmere Victim Support", "victim_support"),
    DemoAgency("voiceability-eastmere", "Eastmere Independent Advocacy", "advocacy"),
    DemoAgency("open-minds-peer-group", "Open Minds Peer Support (user-led)", "peer_support"),
]

USERS = [
    DemoUser(
        "amara.osei@asc.eastmere.example",
        "Amara Osei",
        "eastmere-council-asc",
        ("key_worker", "practitioner"),
        "social worker, key worker",
    ),
    DemoUser(
        "david.hughes@asc.eastmere.example",
        "David Hughes",
        "eastmere-council-asc",
        ("safeguarding_lead",),
        "adult safeguarding lead",
    ),
    DemoUser(
        "grace.whitfield@asc.eastmere.example",
        "Grace Whitfield",
        "eastmere-council-asc",
        ("panel_chair",),
        "chairs the community risk panel",
    ),
    DemoUser(
        "imran.qureshi@asc.eastmere.example",
        "Imran Qureshi",
        "eastmere-council-asc",
        ("agency_admin",),
        "partnership administrator",
    ),
    DemoUser(
        "helen.marsh@asc.eastmere.example",
        "Helen Marsh",
        "eastmere-council-asc",
        ("commissioner",),
        "commissioner (de-identified figures only)",
    ),
    DemoUser(
        "owen.price@asc.eastmere.example",
        "Owen Price",
        "eastmere-council-asc",
        ("data_protection_lead",),
        "data protection lead",
    ),
    DemoUser(
        "sgt.lena.kowalski@police.eastmere.example",
        "Sgt Lena Kowalski",
        "eastmere-police",
        ("police_liaison",),
        "hate crime police liaison",
    ),
    DemoUser(
        "pc.tom.reid@police.eastmere.example",
        "PC Tom Reid",
        "eastmere-police",
        ("practitioner",),
        "neighbourhood officer",
    ),
    DemoUser(
        "nia.evans@hospitals.eastmere.example",
        "Nia Evans",
        "eastmere-hospitals",
        ("practitioner",),
        "A&E nurse",
    ),
    DemoUser(
        "raj.patel@hospitals.eastmere.example",
        "Raj Patel",
        "eastmere-hospitals",
        ("safeguarding_lead",),
        "hospital safeguarding lead",
    ),
    DemoUser(
        "dr.ruth.adeyemi@castlestreet.example",
        "Dr Ruth Adeyemi",
        "castle-street-surgery",
        ("practitioner",),
        "GP",
    ),
    DemoUser(
        "jo.lindqvist@millbrook.example",
        "Jo Lindqvist",
        "millbrook-health-centre",
        ("practitioner",),
        "practice nurse",
    ),
    DemoUser(
        "marcus.bell@mh.eastmere.example",
        "Marcus Bell",
        "eastmere-mental-health",
        ("key_worker", "practitioner"),
        "community mental health care coordinator",
    ),
    DemoUser(
        "fatima.rahman@mh.eastmere.example",
        "Fatima Rahman",
        "eastmere-mental-health",
        ("safeguarding_lead",),
        "mental health safeguarding lead",
    ),
    DemoUser(
        "chris.doyle@riversidehomes.example",
        "Chris Doyle",
        "riverside-homes",
        ("practitioner",),
        "housing officer",
    ),
    DemoUser(
        "kate.morgan@fire.eastmere.example",
        "Kate Morgan",
        "eastmere-fire",
        ("practitioner",),
        "home fire safety advisor",
    ),
    DemoUser(
        "ben.achebe@victimsupport.eastmere.example",
        "Ben Achebe",
        "eastmere-victim-support",
        ("key_worker", "practitioner"),
        "victim caseworker",
    ),
    DemoUser(
        "sian.roberts@advocacy.eastmere.example",
        "Sian Roberts",
        "voiceability-eastmere",
        ("practitioner",),
        "independent advocate",
    ),
    DemoUser(
        "alex.finch@openminds.example",
        "Alex Finch",
        "open-minds-peer-group",
        ("practitioner",),
        "peer supporter",
    ),
]


def partnership_loaded() -> bool:
    return Agency.objects.filter(slug=AGENCIES[0].slug).exists()


@transaction.atomic
def load_partnership() -> dict[str, Agency]:
    agencies = {
        spec.slug: agency_create(
            actor=None, slug=spec.slug, name=spec.name, kind=spec.kind, area=AREA, is_lead_partner=spec.lead
        )
        for spec in AGENCIES
    }
    # One hash for every demo account: hashing is deliberately slow, and they share the printed password.
    password_hash = make_password(DEMO_PASSWORD)
    for spec in USERS:
        user_create(
            actor=None,
            email=spec.email,
            name=spec.name,
            agency=agencies[spec.agency],
            roles=list(spec.roles),
            password_hash=password_hash,
        )
    return agencies


def sign_in_table() -> list[tuple[str, str, str, str]]:
    """(roles, who, agency, email) for each demo account that exists."""
    existing = set(User.objects.filter(email__in=[u.email for u in USERS]).values_list("email", flat=True))
    names = dict(Agency.objects.values_list("slug", "name"))
    return [(", ".join(u.roles), u.what, names.get(u.agency, u.agency), u.email) for u in USERS if u.email in existing]
