"""The Eastmere service directory, written as Open Referral UK records and loaded through the real import (so the
demo exercises it)."""

from __future__ import annotations

import uuid
from typing import Any

from joinedup.accounts.models import Agency
from joinedup.referrals.services import services_import

NS = uuid.UUID("0c1f6b4e-7d2a-4c55-8f36-3e9a1b2c4d5e")

# (agency slug, service name, needs, description, phone, waiting days, self-referral, languages)
SERVICES: list[tuple[str, str, list[str], str, str, int | None, bool, list[str]]] = [
    (
        "eastmere-police",
        "Hate Crime Reporting and Liaison",
        ["police"],
        "Report hate crime and incidents; a hate crime liaison officer keeps you informed.",
        "101",
        0,
        True,
        ["English", "Polish", "Urdu"],
    ),
    (
        "eastmere-council-asc",
        "Adult Safeguarding Hub",
        ["adult_safeguarding"],
        "Safeguarding concerns about adults with care and support needs.",
        "01632 960 100",
        1,
        True,
        ["English"],
    ),
    (
        "eastmere-council-asc",
        "Eastmere Community Risk Panel",
        ["panel"],
        "The community multi-agency risk panel for hate crime and targeted hostility: hears high-risk and "
        "repeat cases; the person's voice is brought by their advocate or key worker.",
        "01632 960 101",
        None,
        False,
        ["English"],
    ),
    (
        "eastmere-victim-support",
        "Victim Support Eastmere",
        ["victim_support"],
        "Free, confidential support whether or not you have reported to the police.",
        "0808 168 9111",
        5,
        True,
        ["English", "Gujarati"],
    ),
    (
        "voiceability-eastmere",
        "Independent Advocacy",
        ["advocacy"],
        "Independent advocates, including Care Act advocacy, to help you be heard.",
        "01632 960 200",
        10,
        True,
        ["English"],
    ),
    (
        "open-minds-peer-group",
        "Open Minds Peer Support",
        ["peer_support"],
        "User-led groups and one-to-one peer support for people with lived experience of mental distress.",
        "01632 960 300",
        7,
        True,
        ["English"],
    ),
    (
        "eastmere-mental-health",
        "Community Mental Health and Crisis Team",
        ["mental_health"],
        "Community mental health care and a 24-hour crisis line.",
        "0800 012 3456",
        0,
        True,
        ["English"],
    ),
    (
        "riverside-homes",
        "Tenancy Sustainment and Neighbour Nuisance",
        ["housing"],
        "Help with neighbour harassment, cuckooing and staying safe at home, or a move.",
        "01632 960 400",
        3,
        True,
        ["English"],
    ),
    (
        "eastmere-fire",
        "Home Fire Safety Visit",
        ["fire_safety"],
        "A free home visit: smoke alarms, letterbox protection and safety advice.",
        "01632 960 500",
        10,
        True,
        ["English"],
    ),
    ("castle-street-surgery", "Castle Street Surgery", ["gp"], "GP practice.", "01632 960 600", 2, False, ["English"]),
]


def openreferral_records(agency_slug: str | None = None) -> list[dict[str, Any]]:
    records = []
    for slug, name, needs, description, phone, waiting, self_referral, languages in SERVICES:
        if agency_slug and slug != agency_slug:
            continue
        records.append(
            {
                "id": str(uuid.uuid5(NS, name)),
                "name": name,
                "description": description,
                "status": "active",
                "organization": {
                    "id": str(uuid.uuid5(NS, slug)),
                    "name": slug.replace("-", " ").title(),
                    "description": f"Partner agency: {slug}",
                },
                "service_areas": [{"id": str(uuid.uuid5(NS, f"{name}/area")), "name": "Eastmere"}],
                "languages": [{"id": str(uuid.uuid5(NS, f"{name}/{lang}")), "name": lang} for lang in languages],
                "schedules": [
                    {"id": str(uuid.uuid5(NS, f"{name}/hours")), "description": "Monday to Friday, 9am to 5pm"}
                ],
                "assured_date": "2026-10-01",
                "x_joinedup": {
                    "needs": needs,
                    "phone": phone,
                    "waiting_days": waiting,
                    "accepts_self_referral": self_referral,
                    "referral_route": "Refer through JoinedUp",
                    "eligibility": "People living in Eastmere aged 18 and over",
                    "accessibility": "Step-free access; BSL interpreters on request",
                },
            }
        )
    return records


def load_services() -> int:
    loaded = 0
    for slug, *_ in SERVICES:
        agency = Agency.objects.filter(slug=slug).first()
        counts = services_import(records=openreferral_records(slug), agency=agency, actor=None)
        loaded += counts["created"] + counts["updated"]
    return loaded
