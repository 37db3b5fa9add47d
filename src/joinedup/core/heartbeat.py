"""The background worker's heartbeat, and how /readyz judges it.

The worker (`manage.py worker`) runs django-tasks-db's loop in its main thread and, beside it, a thread that
upserts one WorkerHeartbeat row every HEARTBEAT_SECONDS for as long as the main thread lives. /readyz is ready
only when some worker wrote within WORKER_HEARTBEAT_MAX_AGE seconds, so a deployment without a running worker
(notifications and escalations would queue unsent) is visibly not ready."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from joinedup.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def start_heartbeat(worker_id: str, *, every: float = HEARTBEAT_SECONDS) -> threading.Event:
    """Beat now and then every `every` seconds while the main thread runs. Set the returned event to stop."""
    started_at = timezone.now()
    stop = threading.Event()
    # Rows of workers long gone (each start has a new id) are only history: keep a day of them.
    WorkerHeartbeat.objects.filter(last_seen__lt=started_at - timedelta(days=1)).delete()
    beat(worker_id, started_at)
    main = threading.main_thread()

    def run() -> None:
        while not stop.wait(every) and main.is_alive():
            try:
                beat(worker_id, started_at)
            except DatabaseError:
                # The database is away; the next beat retries with a fresh connection.
                logger.warning("Worker heartbeat could not be written", exc_info=True)
                close_old_connections()
        connection.close()

    threading.Thread(target=run, name="worker-heartbeat", daemon=True).start()
    return stop


def freshest_heartbeat() -> datetime | None:
    return WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()


def heartbeat_is_fresh(now: datetime | None = None) -> tuple[bool, datetime | None]:
    last = freshest_heartbeat()
    now = now or timezone.now()
    limit = timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    return (last is not None and now - last <= limit), last
