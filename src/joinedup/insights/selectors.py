"""Reads for the dashboards, the API, downloads and the needs assessment. They read only insights' own aggregate
tables (never a personal record), ask the access policy first, and return published figures: suppressed and
rounded by `domain/disclosure.py` before anything leaves this module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum

from joinedup.access.decision import require
from joinedup.insights import providers
from joinedup.insights.aggregation import TOTAL
from joinedup.insights.domain import disclosure
from joinedup.insights.domain.dashboards import DASHBOARDS, Dashboard, Period, Table, financial_year
from joinedup.insights.models import AssessmentSection, DailyCount, MonthlyCount, RefreshRun
from joinedup.insights.services import insights_subject

if TYPE_CHECKING:
    from joinedup.accounts.models import User

METHOD = disclosure.Method()


@dataclass(frozen=True)
class Row:
    group: str
    label: str
    value: int | None
    suppressed: bool
    previous: int | None
    previous_suppressed: bool
    is_total: bool = False


@dataclass(frozen=True)
class PublishedTable:
    table: Table
    rows: tuple[Row, ...]
    # Whether the source of these figures records anything yet (a provider may not exist).
    available: bool = True
    # For two-way tables: the column codes and labels, and each row's cells in column order.
    grid: tuple[tuple[str, str, tuple[Row, ...]], ...] = ()
    column_labels: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return all((row.value or 0) == 0 and not row.suppressed for row in self.rows)


@dataclass(frozen=True)
class Freshness:
    finished_at: datetime | None
    running: bool
    failed: bool


@dataclass(frozen=True)
class DashboardFigures:
    dashboard: Dashboard
    period: Period
    previous_period: Period
    area: str
    tables: tuple[PublishedTable, ...]
    freshness: Freshness
    method: dict[str, object]

    def figures(self, *, previous: bool = False) -> list[dict[str, Any]]:
        """The API's flat list: {"measure","group","value","suppressed"} for every published cell and total."""
        out = []
        for published in self.tables:
            for row in published.rows:
                out.append(
                    {
                        "measure": published.table.measure,
                        "group": row.group,
                        "value": row.previous if previous else row.value,
                        "suppressed": row.previous_suppressed if previous else row.suppressed,
                    }
                )
        return out


def freshness() -> Freshness:
    done = RefreshRun.objects.filter(status=RefreshRun.Status.DONE).order_by("-finished_at").first()
    latest = RefreshRun.objects.order_by("-started_at", "-id").first()
    return Freshness(
        finished_at=done.finished_at if done else None,
        running=bool(latest and latest.status == RefreshRun.Status.RUNNING),
        failed=bool(latest and latest.status == RefreshRun.Status.FAILED),
    )


def areas() -> list[str]:
    done = RefreshRun.objects.filter(status=RefreshRun.Status.DONE).order_by("-finished_at").first()
    return list(done.areas) if done else []


def split_by_month(period: Period) -> tuple[list[Period], Period | None]:
    """The whole calendar months inside a period (read from monthly totals) and the days either side of them."""
    first = period.start if period.start.day == 1 else (period.start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = period.end + timedelta(days=1)
    last = period.end if after_end.day == 1 else period.end.replace(day=1) - timedelta(days=1)
    if first > last:
        return [period], None
    days = []
    if period.start < first:
        days.append(Period(period.start, first - timedelta(days=1)))
    if last < period.end:
        days.append(Period(last + timedelta(days=1), period.end))
    return days, Period(first, last.replace(day=1))


def _sums(measures: list[str], period: Period, area: str) -> dict[str, dict[str, int]]:
    days, months = split_by_month(period)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    queries: list[QuerySet[Any]] = [DailyCount.objects.filter(day__gte=d.start, day__lte=d.end) for d in days]
    if months is not None:
        queries.append(MonthlyCount.objects.filter(month__gte=months.start, month__lte=months.end))
    for base in queries:
        query = base.filter(measure__in=measures, **({"area": area} if area else {}))
        for measure, group, total in query.values_list("measure", "group").annotate(total=Sum("value")).order_by():
            out[measure][group] = out[measure].get(group, 0) + int(total or 0)
    return out


def _publish_one_way(table: Table, sums: dict[str, int]) -> dict[str, tuple[str, disclosure.Published]]:
    groups = dict(table.groups)
    for group in sorted(sums):
        if group != TOTAL and group not in groups:
            groups[group] = "Not known" if group == "unknown" else group  # areas and agencies: their own names
    counts = {group: sums.get(group, 0) for group in groups}
    total = sums.get(TOTAL, sum(counts.values()))
    cells, lines = disclosure.one_way(counts, total=total, additive=table.additive)
    published = disclosure.protect(cells, lines, METHOD)
    labelled = {group: (label, published[group]) for group, label in groups.items()}
    labelled["total"] = (table.total_label, published["total"])
    return labelled


def _publish_two_way(table: Table, sums: dict[str, int]) -> dict[tuple[str, str], disclosure.Published]:
    counts: dict[tuple[str, str], int] = {}
    for group, value in sums.items():
        if group == TOTAL:
            continue
        row, _, column = group.partition(":")
        counts[(row, column)] = value
    cells, lines = disclosure.two_way(counts, rows=list(table.groups), columns=list(table.columns))
    return disclosure.protect(cells, lines, METHOD)


def _code(row: str, column: str) -> str:
    if row == "total" and column == "total":
        return "total"
    return f"{row}:{column}"


def _table(table: Table, now: dict[str, int], before: dict[str, int]) -> PublishedTable:
    available = not table.source or table.source in providers.registered()
    if table.columns:
        current, previous = _publish_two_way(table, now), _publish_two_way(table, before)
        row_labels = {**table.groups, "total": table.total_label}
        column_labels = {**table.columns, "total": table.total_label}
        grid = []
        flat = []
        for row_code, row_label in row_labels.items():
            cells = []
            for column_code, column_label in column_labels.items():
                key = (row_code, column_code)
                cell = Row(
                    _code(row_code, column_code),
                    f"{row_label}, {column_label}",
                    current[key].value,
                    current[key].suppressed,
                    previous[key].value,
                    previous[key].suppressed,
                    is_total="total" in key,
                )
                cells.append(cell)
                flat.append(cell)
            grid.append((row_code, row_label, tuple(cells)))
        return PublishedTable(table, tuple(flat), available, tuple(grid), tuple(column_labels.values()))
    current_one, previous_one = _publish_one_way(table, now), _publish_one_way(table, before)
    rows = []
    for group, (label, shown) in current_one.items():
        earlier = previous_one.get(group, (label, disclosure.Published(0, False)))[1]
        rows.append(
            Row(group, label, shown.value, shown.suppressed, earlier.value, earlier.suppressed, group == "total")
        )
    return PublishedTable(table, tuple(rows), available)


def dashboard_figures(*, actor: User, slug: str, period: Period, area: str = "") -> DashboardFigures:
    """One dashboard's published tables for a period and area, with the previous period alongside."""
    require(actor, "insights.view", insights_subject())
    return _figures(DASHBOARDS[slug], period, area)


def published(dashboard: Dashboard, period: Period, area: str) -> DashboardFigures:
    """Published figures without an actor: for drawing charts ahead of time. Callers showing them to someone go
    through dashboard_figures, which asks the access policy."""
    return _figures(dashboard, period, area)


def _figures(dashboard: Dashboard, period: Period, area: str) -> DashboardFigures:
    measures = sorted({table.measure for table in dashboard.tables})
    previous_period = period.previous()
    now, before = _sums(measures, period, area), _sums(measures, previous_period, area)
    tables = tuple(
        _table(table, now.get(table.measure, {}), before.get(table.measure, {})) for table in dashboard.tables
    )
    return DashboardFigures(dashboard, period, previous_period, area, tables, freshness(), METHOD.note())


@dataclass(frozen=True)
class Assessment:
    year: int
    period: Period
    sections: dict[str, AssessmentSection | None]
    history: dict[str, list[AssessmentSection]]
    dashboards: tuple[DashboardFigures, ...]
    method: dict[str, object]


def assessment(*, actor: User, year: int) -> Assessment:
    """The strategic needs assessment for a financial year: the staff's narrative (latest version of each section,
    with the history) and every dashboard's figures for the year, published as on the dashboards."""

    require(actor, "insights.view", insights_subject())
    period = financial_year(year)
    history: dict[str, list[AssessmentSection]] = {kind: [] for kind in AssessmentSection.Kind.values}
    for section in AssessmentSection.objects.filter(year=year).order_by("section", "-version"):
        history[section.section].append(section)
    latest = {kind: (versions[0] if versions else None) for kind, versions in history.items()}
    dashboards = tuple(_figures(dashboard, period, "") for dashboard in DASHBOARDS.values())
    return Assessment(year, period, latest, history, dashboards, METHOD.note())
