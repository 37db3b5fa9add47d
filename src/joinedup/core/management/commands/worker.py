"""`manage.py worker`: django-tasks-db's worker (`db_worker`, same options) plus the heartbeat /readyz reads."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from joinedup.core.heartbeat import start_heartbeat


class Command(DbWorkerCommand):
    help = (
        "Run a background worker (notifications, e-mail): django-tasks-db's db_worker with the same options, and "
        "a heartbeat every 10 seconds so /readyz can tell a deployment whose worker is down. Stop with SIGTERM."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("reload") and not options.get("batch") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # With --reload (DEBUG's default) this process only watches files; the child it starts runs the
            # tasks and beats. A beat here would say a worker lives while the child is down.
            super().handle(*args, **options)
            return
        worker_id = str(options.get("worker_id") or f"{socket.gethostname()}-{os.getpid()}")[:100]
        stop = start_heartbeat(worker_id)
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
