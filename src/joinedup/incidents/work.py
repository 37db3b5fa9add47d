"""What "my work" shows of recording and triage: drafts to finish, and reports waiting for the hub."""

from __future__ import annotations

from typing import Any

from joinedup.accounts.models import User
from joinedup.core.models import Notification
from joinedup.incidents import selectors


def work_for(user: User) -> dict[str, Any]:
    hub_ids = selectors.hub_ids_for(user)
    waiting = selectors.triage_queue(actor=user, hub_ids=hub_ids).count() if hub_ids else None

    return {
        "drafts": list(selectors.drafts_for(user=user)[:10]),
        "triage_waiting": waiting,
        "notifications": list(Notification.objects.filter(user=user, read_at__isnull=True)[:10]),
    }
