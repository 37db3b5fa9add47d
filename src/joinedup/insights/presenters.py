"""What a dashboard page shows besides the tables: its charts, and drawing them ahead of time.

Drawing a chart costs tens of milliseconds of CPU; a dashboard has up to six. Charts are cached by their figures
(charts.py, in the shared cache), and after each refresh `warm_charts` draws those of the default period for every
dashboard and every area, so the pages people open first never draw on the request path.
"""

from __future__ import annotations

from django.utils import timezone
from markupsafe import Markup

from joinedup.insights import charts, selectors
from joinedup.insights.domain.dashboards import DASHBOARDS, default_period


def dashboard_charts(figures: selectors.DashboardFigures) -> dict[str, Markup]:
    out: dict[str, Markup] = {}
    for published in figures.tables:
        if not published.table.chart or not published.available or published.empty:
            continue
        rows = [row for row in published.rows if not row.is_total]
        out[published.table.measure] = charts.bar_chart(
            title=published.table.title,
            labels=[row.label for row in rows],
            values=[row.value for row in rows],
            previous=[row.previous for row in rows],
        )
    return out


def warm_charts() -> int:
    """Draw the default period's charts for every dashboard and area (run by the refresh command and task)."""
    period = default_period(timezone.localdate())
    drawn = 0
    for area in ["", *selectors.areas()]:
        for dashboard in DASHBOARDS.values():
            drawn += len(dashboard_charts(selectors.published(dashboard, period, area)))
    return drawn
