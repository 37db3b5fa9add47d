"""The retention job as a background task, for deployments that schedule through the worker queue."""

from __future__ import annotations

from django_tasks import task

from joinedup.dataprotection.services import retention_apply


@task()
def apply_retention() -> dict[str, int]:

    return retention_apply(actor=None)
