"""Cross-cutting writes: notifying a practitioner (in the app, and by e-mail once the change is committed)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

from joinedup.core.models import Notification
from joinedup.core.tasks import send_staff_email

if TYPE_CHECKING:  # the user model lives above core; core only needs its type
    from joinedup.accounts.models import User


def notify_staff(*, user: User, text: str, url: str = "", subject: str = "JoinedUp: an update on your work") -> None:
    Notification.objects.create(user=user, text=text[:500], url=url)
    if user.email:
        body = f"{text}\n\nSign in to JoinedUp to see it{': ' + url if url else ''}.\n"
        # Queued only once the change commits: no e-mail about something that was rolled back.
        transaction.on_commit(partial(send_staff_email.enqueue, to=user.email, subject=subject, body=body))
