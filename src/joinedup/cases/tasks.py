"""The deadline check as a background task, for deployments that trigger it from a worker rather than cron."""

from __future__ import annotations

from django_tasks import task

from joinedup.cases.work import deadlines_check


@task()
def check_deadlines_task() -> dict[str, int]:
    return deadlines_check()
