"""Helpers the test suites share. Imported only by tests."""

from __future__ import annotations

from typing import Any

from joinedup.audit.models import AuditEntry


def assert_audited(action: str, **filters: Any) -> AuditEntry:
    """Assert that an audit entry with this action (and these field values) exists; return the newest."""
    entries = AuditEntry.objects.filter(action=action, **filters)
    entry = entries.order_by("-id").first()
    if entry is None:
        recent = list(AuditEntry.objects.order_by("-id").values("action", "object_type", "summary")[:10])
        raise AssertionError(f"No audit entry {action} {filters}. Most recent: {recent}")
    return entry
