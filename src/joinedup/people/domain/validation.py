"""Checks on a person's details, with GOV.UK-style messages. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from joinedup.core.domain import limits

CHANNELS = ("phone", "text", "email", "letter", "visit")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


@dataclass(frozen=True)
class PersonDetails:
    given_name: str = ""
    family_name: str = ""
    other_names: tuple[str, ...] = ()
    date_of_birth: date | None = None
    postcode: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    pronouns: str = ""
    communication_needs: str = ""
    contact_allowed: tuple[str, ...] = ()
    contact_notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def normalise_postcode(value: str) -> str:
    key = re.sub(r"[^A-Z0-9]", "", value.upper())
    return f"{key[:-3]} {key[-3:]}" if len(key) >= 5 else key


def person_problems(details: PersonDetails, *, today: date) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not details.given_name.strip() and not details.family_name.strip():
        problems["given_name"] = ["Enter a first name or a last name, or the name they like to be called"]
    if details.date_of_birth is not None:
        problem = limits.birth_date_problem(details.date_of_birth, today=today)
        if problem:
            problems["date_of_birth"] = [problem]
    if details.postcode.strip() and not POSTCODE_RE.match(normalise_postcode(details.postcode)):
        problems["postcode"] = ["Enter a real postcode, like SW1A 1AA"]
    if details.email.strip() and not limits.email_is_valid(details.email):
        problems["email"] = ["Enter an email address in the correct format, like name@example.com"]
    if details.phone.strip() and not limits.phone_is_valid(details.phone):
        problems["phone"] = ["Enter a phone number, like 01632 960 001 or 07700 900 982"]
    unknown = [c for c in details.contact_allowed if c not in CHANNELS]
    if unknown:
        problems["safe_contact"] = [f"Unknown contact method: {', '.join(unknown)}"]
    for channel, needed, message in (
        ("phone", details.phone, "Enter a phone number to call"),
        ("text", details.phone, "Enter a mobile number to text"),
        ("email", details.email, "Enter an email address to write to"),
        ("letter", details.address or details.postcode, "Enter an address to send letters to"),
    ):
        if channel in details.contact_allowed and not needed.strip():
            problems.setdefault("safe_contact", []).append(message)
    return problems
