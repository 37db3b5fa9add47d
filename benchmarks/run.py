"""Scenario timings as ratios to a trivial view measured in the same run (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings.development")
os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory and slows everything down
# The throttles stay in the path (their cost is real) but must not refuse a benchmark's thousands of calls.
os.environ.setdefault("API_RATE_USER", "1000000/min")
# The baseline: a bare view (one SELECT 1, anonymous, no session), served only where this is on.
os.environ["JOINEDUP_BENCH_ENDPOINT"] = "1"

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

# Connections persist between requests, as in production (CONN_MAX_AGE 60; development closes them after every
# request, which would put a new connection's cost into every figure).
connections["default"].settings_dict["CONN_MAX_AGE"] = None

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks.scenarios import SCENARIOS, Context, forget_benchmark_second_factor  # noqa: E402


@dataclass
class Result:
    name: str
    what: str
    p50_ms: float
    p95_ms: float
    ratio_p50: float
    ratio_p95: float


def time_calls(call: Callable[[], None], rounds: int) -> list[float]:
    for _ in range(min(10, rounds)):  # warm caches and connections
        call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--only", default=None)
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--incidents", type=int, default=None)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    demo = ["demo_data", "--if-empty"]
    if args.people is not None:
        demo += ["--people", str(args.people)]
    if args.incidents is not None:
        demo += ["--incidents", str(args.incidents)]
    call_command(*demo, verbosity=0)

    try:
        measure_all(args)
    finally:
        forget_benchmark_second_factor()


def measure_all(args: argparse.Namespace) -> None:
    context = Context.build(Client(SERVER_NAME="127.0.0.1"))
    anonymous = Client(SERVER_NAME="127.0.0.1")

    def bare() -> None:
        if anonymous.get("/bench/bare").status_code != 200:
            raise RuntimeError("/bench/bare did not answer 200")

    baseline = time_calls(bare, args.rounds)
    base50, base95 = statistics.median(baseline), p95(baseline)
    results = [Result("baseline", "GET /bench/bare (anonymous, one SELECT 1)", base50, base95, 1.0, 1.0)]
    for scenario in SCENARIOS:
        if args.only and scenario.name != args.only:
            continue
        samples = time_calls(scenario.prepare(context), args.rounds)
        s50, s95 = statistics.median(samples), p95(samples)
        results.append(Result(scenario.name, scenario.what, s50, s95, s50 / base50, s95 / base95))

    from django.db import connection

    from benchmarks.breakdown import measure
    from benchmarks.scenarios import case_page_path

    case_path = case_page_path(context)
    pages = {
        "case_page": measure(lambda: context.get_ok(case_path), rounds=min(args.rounds, 50)),
        "my_work": measure(lambda: context.get_ok("/my-work"), rounds=min(args.rounds, 50)),
    }
    bare_cpu = measure(bare, rounds=min(args.rounds, 50)).cpu_ms

    print(f"\nDatabase: {connection.vendor}; rounds per scenario: {args.rounds}")
    print(f"{'scenario':28} {'p50 ms':>8} {'p95 ms':>8} {'x base p50':>11} {'x base p95':>11}  what")
    for r in results:
        print(f"{r.name:28} {r.p50_ms:8.2f} {r.p95_ms:8.2f} {r.ratio_p50:11.1f} {r.ratio_p95:11.1f}  {r.what}")
    print(f"\nBare view: {bare_cpu:.2f} ms of this process's CPU a request")
    for name, breakdown in pages.items():
        print(
            f"{name}: {breakdown.queries} queries ({breakdown.audit_statements} of them audit); "
            f"{breakdown.cpu_ms:.1f} ms of CPU a request ({breakdown.cpu_ms / bare_cpu:.1f} x bare); "
            f"{breakdown.request_ms:.1f} ms a request under the profiler, of which the audit "
            f"{breakdown.audit_total_ms:.2f} ms ({breakdown.audit_share:.1%}; its statements "
            f"{breakdown.audit_sql_ms:.2f} ms)"
        )
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {
        "database": connection.vendor,
        "rounds": args.rounds,
        "results": [r.__dict__ for r in results],
        "bare_cpu_ms": bare_cpu,
        **{name: {**b.__dict__, "audit_share": b.audit_share} for name, b in pages.items()},
    }
    (out_dir / f"{stamp}.json").write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
