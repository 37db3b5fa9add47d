"""Open Referral UK (HSDS profile) service records ⇄ directory entries. Pure.

Standard fields carry the standard things (organisation, description, status, contacts, areas, languages,
opening times as a schedule, assured date). What a care pathway needs and the standard lacks — which pathway needs
a service meets, eligibility, how to refer, self-referral, accessibility, waiting time, response times — travels in
an `x_joinedup` extension object, which Open Referral UK consumers ignore; the pathway needs are also published as
taxonomy-term attributes so other directories can read them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from joinedup.referrals.domain.suggestions import NEED_LABELS, Need

NEED_TAXONOMY = "JoinedUp pathway need"
NAMESPACE = uuid.UUID("5b0f7c1e-2a59-4d8e-9a39-6f6a1f9c2b11")  # stable ids for generated sub-records


@dataclass
class ServiceData:
    uuid: str
    name: str
    status: str = "active"
    organization_uuid: str | None = None
    organization_name: str = ""
    organization_description: str = ""
    description: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    area: str = ""
    needs: list[str] = field(default_factory=list)
    eligibility: str = ""
    referral_route: str = ""
    accepts_self_referral: bool = False
    opening_times: str = ""
    languages: list[str] = field(default_factory=list)
    accessibility: str = ""
    waiting_days: int | None = None
    routine_working_days: int = 2
    urgent_working_days: int = 1
    assured_date: date | None = None
    last_modified: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _sub_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def from_openreferral(record: dict[str, Any]) -> tuple[ServiceData | None, list[str]]:
    """A directory entry from one Open Referral service record, or the problems that stop it."""
    problems = []
    service_id = str(record.get("id") or "")
    try:
        uuid.UUID(service_id)
    except ValueError:
        problems.append(f"Service id must be a UUID, got {service_id!r}")
    name = str(record.get("name") or "").strip()
    if not name:
        problems.append(f"Service {service_id or '?'} has no name")
    extension = record.get("x_joinedup") or {}
    needs = list(extension.get("needs") or [])
    for attribute in record.get("attributes") or []:
        term = (attribute or {}).get("taxonomy_term") or {}
        if term.get("taxonomy") == NEED_TAXONOMY and term.get("term") and term["term"] not in needs:
            needs.append(term["term"])
    unknown = [n for n in needs if n not in {x.value for x in Need}]
    if unknown:
        problems.append(f"Service {name or service_id}: unknown pathway needs {', '.join(unknown)}")
    problems.extend(_shape_problems(record, extension, name or service_id or "?"))
    if problems:
        return None, problems
    organization = record.get("organization") or {}
    areas = [a.get("name") or a.get("service_area") or "" for a in record.get("service_areas") or []]
    schedules = [s.get("description") or "" for s in record.get("schedules") or []]
    phones = [p.get("number") for c in record.get("contacts") or [] for p in c.get("phones") or [] if p.get("number")]
    assured = record.get("assured_date")
    modified = record.get("last_modified")
    return ServiceData(
        uuid=service_id,
        name=name,
        status=str(record.get("status") or "active"),
        organization_uuid=organization.get("id"),
        organization_name=str(organization.get("name") or ""),
        organization_description=str(organization.get("description") or ""),
        description=str(record.get("description") or ""),
        url=str(record.get("url") or ""),
        email=str(record.get("email") or ""),
        phone=str(extension.get("phone") or (phones[0] if phones else "")),
        area="; ".join(a for a in areas if a),
        needs=needs,
        eligibility=str(extension.get("eligibility") or ""),
        referral_route=str(extension.get("referral_route") or ""),
        accepts_self_referral=bool(extension.get("accepts_self_referral")),
        opening_times="; ".join(s for s in schedules if s),
        languages=[str(lang.get("name")) for lang in record.get("languages") or [] if lang.get("name")],
        accessibility=str(extension.get("accessibility") or ""),
        waiting_days=extension.get("waiting_days"),
        routine_working_days=int(extension.get("routine_working_days") or 2),
        urgent_working_days=int(extension.get("urgent_working_days") or 1),
        assured_date=date.fromisoformat(assured) if assured else None,
        last_modified=datetime.fromisoformat(modified) if modified else None,
        raw=record,
    ), []


# The directory's column sizes: longer values are refused with a message rather than failing in the database.
TEXT_LIMITS = {"name": 300, "status": 30, "url": 500, "email": 254}
ORGANIZATION_NAME_MAX = 300
AREA_MAX = 300
PHONE_MAX = 40
SMALL_INT_MAX = 32767


def _shape_problems(record: dict[str, Any], extension: Any, label: str) -> list[str]:
    """What would not fit the directory: over-long text, numbers and dates that are not numbers and dates."""
    problems: list[str] = []
    for key, most in TEXT_LIMITS.items():
        if len(str(record.get(key) or "")) > most:
            problems.append(f"Service {label}: {key} must be {most} characters or fewer")
    organization = record.get("organization") or {}
    if not isinstance(organization, dict):
        problems.append(f"Service {label}: organization must be an object")
    elif len(str(organization.get("name") or "")) > ORGANIZATION_NAME_MAX:
        problems.append(f"Service {label}: organization name must be {ORGANIZATION_NAME_MAX} characters or fewer")
    if not isinstance(extension, dict):
        return [*problems, f"Service {label}: x_joinedup must be an object"]
    if len(str(extension.get("phone") or "")) > PHONE_MAX:
        problems.append(f"Service {label}: phone must be {PHONE_MAX} characters or fewer")
    areas = [
        a.get("name") or a.get("service_area") or "" for a in record.get("service_areas") or [] if isinstance(a, dict)
    ]
    if len("; ".join(a for a in areas if a)) > AREA_MAX:
        problems.append(f"Service {label}: service areas must be {AREA_MAX} characters or fewer in all")
    for key in ("waiting_days", "routine_working_days", "urgent_working_days"):
        value = extension.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SMALL_INT_MAX
        ):
            problems.append(f"Service {label}: {key} must be a whole number from 0 to {SMALL_INT_MAX}")
    for key, parse in (("assured_date", date.fromisoformat), ("last_modified", datetime.fromisoformat)):
        value = record.get(key)
        if value:
            try:
                parse(str(value))
            except ValueError:
                problems.append(f"Service {label}: {key} must be an ISO date")
    return problems


def to_openreferral(s: ServiceData) -> dict[str, Any]:
    """The Open Referral UK record for a directory entry; what an import brought is kept and updated."""
    record: dict[str, Any] = dict(s.raw)
    record.update(
        {
            "id": s.uuid,
            "name": s.name,
            "description": s.description,
            "status": s.status,
            "url": s.url or None,
            "email": s.email or None,
            "assured_date": s.assured_date.isoformat() if s.assured_date else None,
            "last_modified": s.last_modified.isoformat() if s.last_modified else None,
            "organization": {
                "id": s.organization_uuid or _sub_id(s.uuid, "organization"),
                "name": s.organization_name or s.name,
                "description": s.organization_description or s.organization_name or s.name,
            },
            "service_areas": [{"id": _sub_id(s.uuid, "area", a), "name": a} for a in s.area.split("; ") if a],
            "languages": [{"id": _sub_id(s.uuid, "language", lang), "name": lang} for lang in s.languages],
            "schedules": [{"id": _sub_id(s.uuid, "schedule"), "description": s.opening_times}]
            if s.opening_times
            else [],
            "attributes": [
                {
                    "id": _sub_id(s.uuid, "need", need),
                    "taxonomy_term": {
                        "id": _sub_id("need", need),
                        "name": NEED_LABELS.get(Need(need), need) if need in {n.value for n in Need} else need,
                        "description": f"Meets the '{need}' need of the hate crime care pathway",
                        "taxonomy": NEED_TAXONOMY,
                        "term": need,
                    },
                }
                for need in s.needs
            ],
            "x_joinedup": {
                "needs": list(s.needs),
                "eligibility": s.eligibility,
                "referral_route": s.referral_route,
                "accepts_self_referral": s.accepts_self_referral,
                "accessibility": s.accessibility,
                "waiting_days": s.waiting_days,
                "routine_working_days": s.routine_working_days,
                "urgent_working_days": s.urgent_working_days,
                "phone": s.phone,
            },
        }
    )
    return {k: v for k, v in record.items() if v is not None}
