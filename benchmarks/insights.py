"""Insights at scale: every dashboard over an aggregate volume equal to 10 million incidents, as ratios to a trivial
view timed in the same run; and the refresh job's cost per 100,000 records on the real demo data.

Honest about what is synthetic: the 10 million incidents are not loaded (that takes hours here). Dashboards read
only the daily counts table, so the script fills that table with the rows 10 million incidents would produce —
5 years × every area × every measure and group, with counts adding up to 10 million incidents — generated inside
PostgreSQL. The refresh job, which does read the records, is timed on the demo's real incidents, referrals, police
reports and closures, and reported per 100,000 records read. Afterwards the real aggregates are restored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/joinedup_bench .venv/bin/python benchmarks/insights.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings.development")
os.environ["DEBUG"] = "0"
os.environ.setdefault("API_RATE_USER", "1000000/min")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.run import p95, time_calls  # noqa: E402
from joinedup.accounts.models import User  # noqa: E402
from joinedup.accounts.services import token_issue  # noqa: E402
from joinedup.insights.aggregation import TOTAL  # noqa: E402
from joinedup.insights.domain.dashboards import DASHBOARDS, default_period  # noqa: E402
from joinedup.insights.models import DailyCount, MonthlyCount  # noqa: E402
from joinedup.insights.presenters import warm_charts  # noqa: E402
from joinedup.insights.services import insights_refresh  # noqa: E402

COMMISSIONER = "helen.marsh@asc.eastmere.example"
INCIDENTS = 10_000_000
YEARS = 5
AREAS = [f"EM{n}" for n in range(1, 13)] + ["unknown"]


def _groups() -> list[tuple[str, str]]:
    """Every (measure, group) a dashboard reads, with "_total", as the refresh job writes them."""
    out: set[tuple[str, str]] = set()
    for dashboard in DASHBOARDS.values():
        for table in dashboard.tables:
            if table.columns:
                out |= {(table.measure, f"{row}:{column}") for row in table.groups for column in table.columns}
            elif table.groups:
                out |= {(table.measure, group) for group in table.groups}
            else:  # areas or agencies: one group per area / a dozen agencies
                names = AREAS if table.measure == "incidents_by_area" else [f"Agency {n}" for n in range(12)]
                out |= {(table.measure, name) for name in names}
            out.add((table.measure, TOTAL))
    return sorted(out)


def synthesise(today: date) -> int:
    """Fill the daily counts with the volume 10 million incidents over 5 years would give, inside PostgreSQL."""
    if connection.vendor != "postgresql":
        raise SystemExit(
            "The 10-million-incident volume is generated with PostgreSQL's generate_series: set DATABASE_URL."
        )
    groups = _groups()
    per_day_area = INCIDENTS / (YEARS * 365 * len(AREAS))
    start = today - timedelta(days=YEARS * 365)
    measures = {}
    for measure, _ in groups:
        measures[measure] = measures.get(measure, 0) + 1
    with transaction.atomic(), connection.cursor() as cursor:  # the temporary tables live for this transaction
        cursor.execute("DELETE FROM insights_dailycount")
        cursor.execute("CREATE TEMP TABLE bench_groups (measure text, grp text, share float) ON COMMIT DROP")
        cursor.executemany(
            "INSERT INTO bench_groups VALUES (%s, %s, %s)",
            [(m, g, 1.0 if g == TOTAL else 2.0 / measures[m]) for m, g in groups],
        )
        cursor.execute("CREATE TEMP TABLE bench_areas (area text) ON COMMIT DROP")
        cursor.executemany("INSERT INTO bench_areas VALUES (%s)", [(a,) for a in AREAS])
        cursor.execute(
            """
            INSERT INTO insights_dailycount (day, area, measure, "group", value)
            SELECT d::date, a.area, g.measure, g.grp, greatest(1, round(%s * g.share * (0.5 + random())))::int
            FROM generate_series(%s::date, %s::date, interval '1 day') AS d
            CROSS JOIN bench_areas a CROSS JOIN bench_groups g
            """,
            [per_day_area, start, today],
        )
        cursor.execute("DELETE FROM insights_monthlycount")
        cursor.execute(
            """
            INSERT INTO insights_monthlycount (month, area, measure, "group", value)
            SELECT date_trunc('month', day)::date, area, measure, "group", sum(value)
            FROM insights_dailycount GROUP BY 1, 2, 3, 4
            """
        )
        cursor.execute("ANALYZE insights_dailycount")
        cursor.execute("ANALYZE insights_monthlycount")
        cursor.execute(
            "SELECT count(*), coalesce(sum(value), 0) FROM insights_dailycount "
            "WHERE measure = 'incidents_by_area' AND \"group\" = %s",
            [TOTAL],
        )
        rows_total, incidents = cursor.fetchone()  # type: ignore[misc]
        cursor.execute("SELECT count(*) FROM insights_dailycount")
        (rows,) = cursor.fetchone()  # type: ignore[misc]
    print(f"Synthetic aggregates: {rows:,} daily counts for {incidents:,} incidents ({rows_total:,} day×area cells).")
    return int(rows)


def main() -> None:  # noqa: PLR0915 — one script, one run, in order
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--people", type=int, default=None, help="demo size, for the refresh timing")
    parser.add_argument("--incidents", type=int, default=None, help="demo size, for the refresh timing")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    demo = ["demo_data", "--if-empty"]
    for name in ("people", "incidents"):
        if getattr(args, name) is not None:
            demo += [f"--{name}", str(getattr(args, name))]
    call_command(*demo, verbosity=0)
    if connection.vendor != "postgresql":
        raise SystemExit("Run this against PostgreSQL (DATABASE_URL=postgres://...): it generates the volume there.")

    started = time.perf_counter()
    run = insights_refresh()
    refresh_s = time.perf_counter() - started
    per_100k = refresh_s / max(1, run.records_read) * 100_000
    print(f"Refresh on the demo data: {run.records_read:,} records, {refresh_s:.1f} s: {per_100k:.1f} s per 100,000")

    client = Client(SERVER_NAME="127.0.0.1")
    user = User.objects.get(email=COMMISSIONER)
    client.force_login(user)
    _, token = token_issue(actor=None, user=user, name="insights benchmark")
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(path: str, *, cold: bool = False, **headers: str) -> None:
        if cold:
            cache.clear()  # draw every chart on this request: the cost of a period nobody has opened yet
        response = client.get(path, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    today = timezone.localdate()
    rows = synthesise(today)
    try:
        started = time.perf_counter()
        drawn = warm_charts()  # what the refresh command and task do after each refresh
        warm_s = time.perf_counter() - started
        print(f"Charts drawn ahead by the job: {drawn} in {warm_s:.1f} s")
        period = default_period(today)
        query = f"start={period.start}&end={period.end}"
        baseline = time_calls(lambda: get("/healthz"), args.rounds * 5)
        base50, base95 = statistics.median(baseline), p95(baseline)
        results = [("baseline", "/healthz", base50, base95)]
        for slug in DASHBOARDS:
            for label, path, headers, cold in (
                (f"page {slug}", f"/insights/{slug}?{query}", {}, False),
                (f"page {slug} (EM4)", f"/insights/{slug}?{query}&area=EM4", {}, False),
                (f"page {slug}, charts drawn now", f"/insights/{slug}?{query}", {}, True),
                (f"api {slug}", f"/api/v1/insights/{slug}?from={period.start}&to={period.end}", api, False),
            ):
                samples = time_calls(lambda p=path, h=headers, c=cold: get(p, cold=c, **h), args.rounds)
                results.append((label, path, statistics.median(samples), p95(samples)))
        five = f"start={today - timedelta(days=YEARS * 365 - 1)}&end={today}"  # partial months at both ends
        samples = time_calls(
            lambda: get(f"/api/v1/insights/overview?{five.replace('start', 'from').replace('end', 'to')}", **api),
            args.rounds,
        )
        results.append(
            ("api overview, 5 years", f"/api/v1/insights/overview?{five}", statistics.median(samples), p95(samples))
        )
    finally:
        DailyCount.objects.all().delete()
        MonthlyCount.objects.all().delete()
        insights_refresh()  # the real aggregates back
        warm_charts()
    print(f"\nDatabase: {connection.vendor}; daily counts: {rows:,} (≈ {INCIDENTS:,} incidents); rounds: {args.rounds}")
    print(f"{'scenario':34} {'p50 ms':>8} {'p95 ms':>8} {'x base p50':>11} {'x base p95':>11}")
    for name, _path, s50, s95 in results:
        print(f"{name:34} {s50:8.1f} {s95:8.1f} {s50 / base50:11.1f} {s95 / base95:11.1f}")
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {
        "database": connection.vendor,
        "daily_counts": rows,
        "incidents_represented": INCIDENTS,
        "refresh": {"records": run.records_read, "seconds": refresh_s, "seconds_per_100k": per_100k},
        "charts_drawn_ahead": {"charts": drawn, "seconds": warm_s},
        "results": [
            {"name": n, "path": p, "p50_ms": a, "p95_ms": b, "ratio_p50": a / base50, "ratio_p95": b / base95}
            for n, p, a, b in results
        ],
    }
    (out_dir / f"insights-{stamp}.json").write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
