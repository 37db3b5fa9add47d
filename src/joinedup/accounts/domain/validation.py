"""Pure validation of partnership data, shared by the operator commands, the forms and the API."""

from __future__ import annotations

import re

from joinedup.core.domain import limits
from joinedup.core.domain.partnership import AgencyKind, Role

NAME_MAX = 200  # the agency and user name columns
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def agency_problems(*, slug: str, name: str, kind: str, area: str = "") -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not SLUG_RE.match(slug) or len(slug) > 80:
        problems["slug"] = ["Enter a short name of lower-case letters, numbers and single hyphens, like 'city-police'"]
    if not name.strip():
        problems["name"] = ["Enter the agency's name"]
    elif len(name) > NAME_MAX:
        problems["name"] = [f"The agency's name must be {NAME_MAX} characters or fewer"]
    if len(area) > NAME_MAX:
        problems["area"] = [f"The area must be {NAME_MAX} characters or fewer"]
    if kind not in {k.value for k in AgencyKind}:
        allowed = ", ".join(k.value for k in AgencyKind)
        problems["kind"] = [f"Kind must be one of: {allowed}"]
    return problems


def user_problems(*, email: str, name: str, roles: list[str]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not limits.email_is_valid(email):
        problems["email"] = ["Enter an email address in the correct format, like name@example.org"]
    if not name.strip():
        problems["name"] = ["Enter the person's full name"]
    elif len(name) > NAME_MAX:
        problems["name"] = [f"The name must be {NAME_MAX} characters or fewer"]
    unknown = [role for role in roles if role not in {r.value for r in Role}]
    if not roles:
        problems["roles"] = ["Give the user at least one role"]
    elif unknown:
        allowed = ", ".join(r.value for r in Role)
        problems["roles"] = [f"Unknown role {', '.join(unknown)}: roles are {allowed}"]
    return problems
