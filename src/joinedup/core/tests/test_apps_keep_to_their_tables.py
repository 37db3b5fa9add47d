"""Apps keep to their own tables (house plan, issue 11): no app runs a query on another app's model
(`OtherModel.objects…`); it asks the owning app's selectors or services. A new cross-app query fails here.

Named exceptions, each for a reason: insights aggregates every app's records into counts by design (its pages read
only the aggregates: an import-linter contract keeps them apart); data protection exports and deletes everything
held about a person; linkage reads every record to link them; the demo builds a partnership; management commands
are operators' tools. accounts, audit and core models are the partnership's own infrastructure, used by all."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
EXEMPT_APPS = {"insights", "dataprotection", "linkage", "demo", "config"}
SHARED_APPS = {"accounts", "audit", "core"}


def _owners() -> dict[str, str]:
    owners: dict[str, str] = {}
    for models in SRC.glob("*/models.py"):
        for node in ast.parse(models.read_text()).body:
            if isinstance(node, ast.ClassDef):
                owners[node.name] = models.parent.name
    return owners


def test_no_app_queries_another_apps_models() -> None:
    owners = _owners()
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        app = parts[0]
        if app in EXEMPT_APPS or {"tests", "migrations", "management"} & set(parts) or len(parts) == 1:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
                owner = owners.get(node.value.id)
                if owner and owner != app and owner not in SHARED_APPS:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} queries {owner}.{node.value.id}")
    assert found == [], "ask the owning app's selectors or services instead:\n" + "\n".join(found)
