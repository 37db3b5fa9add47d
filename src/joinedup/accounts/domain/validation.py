"""Pure validation of partnership data, shared by the operator commands, the forms and the API."""

from __future__ import annotations

import re

from joinedup.core.domain.partnership import AgencyKind, Role

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def agency_problems(*, slug: str, name: str, kind: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not SLUG_RE.match(slug) or len(slug) > 80:
        problems["slug"] = ["Enter a short name of lower-case letters, numbers and single hyphens, like 'city-police'"]
    if not name.strip():
        problems["name"] = ["Enter the agency's name"]
    if kind not in {k.value for k in AgencyKind}:
        allowed = ", ".join(k.value for k in AgencyKind)
        problems["kind"] = [f"Kind must be one of: {allowed}"]
    return problems


def user_problems(*, email: str, name: str, roles: list[str]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not EMAIL_RE.match(email.strip()):
        problems["email"] = ["Enter an email address in the correct format, like name@example.org"]
    if not name.strip():
        problems["name"] = ["Enter the person's full name"]
    unknown = [role for role in roles if role not in {r.value for r in Role}]
    if not roles:
        problems["roles"] = ["Give the user at least one role"]
    elif unknown:
        allowed = ", ".join(r.value for r in Role)
        problems["roles"] = [f"Unknown role {', '.join(unknown)}: roles are {allowed}"]
    return problems
