"""The refresh as background work (django-tasks): enqueue it after a bulk load or from an operator's tooling;
`manage.py db_worker` runs it. The periodic schedule is `refresh_insights --every` (see docs/insights.md)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from joinedup.insights.presenters import warm_charts
from joinedup.insights.services import insights_refresh


@task()
def refresh_insights(*, since: str | None = None) -> int:
    """Returns the number of daily counts written. `since` is an ISO date; absent: recompute everything."""
    run = insights_refresh(since=date.fromisoformat(since) if since else None)
    warm_charts()
    return run.rows_written
