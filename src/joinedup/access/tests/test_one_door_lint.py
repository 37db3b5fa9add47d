"""The scoped-query lint (after NHS Manage Breast Screening): pages, API modules and templates never query a
personal-data model themselves. They ask a selector, which reads through the one door (access/door.py), and show
what a presenter hands them. A new direct query fails here: move it into the owning app's selectors."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

SRC = Path(__file__).resolve().parents[2]
# Models that hold no personal data, which pages may list directly.
NOT_PERSONAL = {
    "Agency",
    "Membership",
    "User",  # colleagues: partnership information, read through accounts.selectors where it is listed
    "Service",  # the public directory
    "RiskRuleSetVersion",
    "Notification",
}
# Infrastructure that is not a read of a record: the idempotency store replays an answer to its own caller.
ALLOWED = {("core/api.py", "IdempotencyRecord")}
PAGE_MODULES = sorted(
    p
    for p in SRC.glob("*/*.py")
    if (p.name in {"views.py", "api.py"} or p.parent.name == "workspace") and p.parent.name not in {"demo", "config"}
)
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))
QUERY_IN_TEMPLATE = re.compile(r"\.objects\b|\.(filter|exclude|count|exists|all|first|last)\(")
# Prefetched relations of records that are not personal data (the agencies a sharing decision names).
ALLOWED_IN_TEMPLATES = re.compile(r"\brecipients\.all\(\)")


def _personal_models() -> set[str]:
    return {
        m.__name__ for m in apps.get_models() if m.__module__.startswith("joinedup.") and m.__name__ not in NOT_PERSONAL
    }


def _direct_queries(path: Path, personal: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in personal
            and (str(path.relative_to(SRC)), node.value.id) not in ALLOWED
        ):
            found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.value.id}.objects")
    return found


@pytest.mark.parametrize("path", PAGE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_pages_and_api_modules_read_personal_data_only_through_selectors(path: Path) -> None:
    assert _direct_queries(path, _personal_models()) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_never_query(path: Path) -> None:
    text = ALLOWED_IN_TEMPLATES.sub("", path.read_text())
    assert [m.group(0) for m in QUERY_IN_TEMPLATE.finditer(text)] == []


def test_the_lint_sees_the_pages() -> None:
    names = {str(p.relative_to(SRC)) for p in PAGE_MODULES}
    assert {"workspace/views.py", "cases/api.py", "referrals/views.py", "police/api.py"} <= names
    assert "Person" in _personal_models() and "Agency" not in _personal_models()
