"""Load: gunicorn with production settings on loopback, driven by locust (headless, bounded), reported as ratios
to the bare view measured in the same run, with CPU per request (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

# One set of production settings for this process (which prepares the sign-ins) and for gunicorn (which must
# accept them: sessions are signed with the secret key).
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",  # production's, static files aside (see that module)
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "TRUST_X_FORWARDED_PROTO": "1",  # as behind the TLS proxy production has; locust sends X-Forwarded-Proto
    "JOINEDUP_BENCH_ENDPOINT": "1",
    "JOINEDUP_ALLOW_DEMO_DATA": "1",  # only to create the benchmark's sign-ins on the demo database
    "API_RATE_USER": "100000000/min",  # the throttle stays in the path but must not refuse a load test
    "LOG_LEVEL": "WARNING",
    "DEBUG": "0",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

DEMO_USER = "amara.osei@asc.eastmere.example"
SATURATION = ["Bare", "CasePage", "MyWork", "Search", "Intake"]
WORKING_NAMES = ["case_page", "my_work", "search", "intake"]


@dataclass
class Run:
    """One locust run: its figures per request name, the server's CPU and the machine's load meanwhile."""

    stats: dict[str, dict[str, float]]
    server_cpu_s: float
    database_cpu_s: float
    wall_s: float
    machine_busy_pct: float
    load_avg_1m: float


def prepare(out: Path) -> dict[str, object]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY

    from benchmarks.scenarios import second_factor_for_benchmark
    from joinedup.accounts.models import User
    from joinedup.accounts.services import token_issue
    from joinedup.cases.models import Case
    from joinedup.people.models import Person

    user = User.objects.filter(email=DEMO_USER).first()
    if user is None:
        raise SystemExit("The demo partnership is not loaded: run `make bench` (benchmarks/run.py loads it) first.")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # Past the second factor, which production requires (benchmarks/scenarios.py).
    session[DEVICE_ID_SESSION_KEY] = second_factor_for_benchmark(user).persistent_id
    session.create()
    _, token = token_issue(actor=None, user=user, name="load benchmark")
    case = Case.objects.filter(key_worker=user, status="open").annotate(n=Count("timeline")).order_by("-n").first()
    if case is None:
        raise SystemExit("The demo user holds no open case: load the demo population first.")
    people = list(Person.objects.visible_to(user).filter(family_key__gt="").order_by("?")[:200])
    searches = [
        "+".join(
            part
            for part in (p.given_name, p.family_name, p.date_of_birth.strftime("%d/%m/%Y") if p.date_of_birth else "")
            if part
        )
        for p in people
    ]
    config = {
        "session": session.session_key,
        "token": token,
        "case": str(case.uuid),
        "searches": searches,
        "people": [str(p.uuid) for p in people],
    }
    out.write_text(json.dumps(config))
    held = Case.objects.filter(key_worker=user, status="open")
    return {
        "case_timeline_entries": case.n,  # type: ignore[attr-defined]
        "my_work_open_cases": held.count(),
        # Each intake run opens cases the demo user holds until a key worker is chosen (My work lists up to 50,
        # each with a form): they accumulate over runs, so the count is printed beside the figures.
        "my_work_held_until_chosen": held.filter(key_worker_provisional=True).count(),
    }


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for proc in processes:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def database_backends() -> list[psutil.Process]:
    """PostgreSQL's server processes for this database on this machine (the workers' connections persist for
    CONN_MAX_AGE, so the same backends serve a whole run). Empty for SQLite, whose work is inside the workers."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    name = f" {connection.settings_dict['NAME']} "
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and name in f" {cmdline} ":
            found.append(proc)
    return found


def server_cpu(master: psutil.Process) -> tuple[float, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by the database's backends."""
    return _cpu_seconds([master, *master.children(recursive=True)]), _cpu_seconds(database_backends())


@dataclass(frozen=True)
class Target:
    host: str
    config: Path
    workdir: Path
    master: psutil.Process


def locust(target: Target, classes: list[str], users: int, seconds: int) -> Run:
    host, config, workdir, master = target.host, target.config, target.workdir, target.master
    prefix = workdir / f"run-{'-'.join(classes)}-{users}"
    cpu_before, started = server_cpu(master), time.perf_counter()
    psutil.cpu_percent()  # start the machine-wide measurement window
    finished = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env={**os.environ, "BENCH_LOAD_CONFIG": str(config)},
        check=False,  # locust exits 1 when any request failed: the failures are reported, not hidden
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if finished.returncode not in {0, 1}:
        raise SystemExit(f"locust failed ({finished.returncode}): {finished.stderr[-2000:]}")
    wall = time.perf_counter() - started
    busy, load_1m = psutil.cpu_percent(), os.getloadavg()[0]
    app_after, db_after = server_cpu(master)
    cpu, db_cpu = app_after - cpu_before[0], db_after - cpu_before[1]
    stats: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
            }
    return Run(stats, cpu, max(db_cpu, 0.0), wall, busy, load_1m)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 (loopback)
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (loopback, our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5: 2 × cores + 1)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--saturation-users", type=int, default=20, help="users with no think time")
    parser.add_argument("--saturation-seconds", type=int, default=20, help="length of each saturation run")
    parser.add_argument("--users", type=int, default=50, help="users working with 0.5–2 s think time")
    parser.add_argument("--working-seconds", type=int, default=60, help="length of each think-time run")
    args = parser.parse_args()
    if min(args.workers, args.saturation_users, args.saturation_seconds, args.users, args.working_seconds) < 1:
        raise SystemExit("Every count and length must be at least 1.")

    host = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="joinedup-load-") as tmp:
        workdir = Path(tmp)
        config = workdir / "config.json"
        sizes = prepare(config)
        from django.db import connections

        connections.close_all()
        server = subprocess.Popen(  # noqa: S603 (our own arguments, no shell)
            [
                str(BIN / "gunicorn"),
                "joinedup.config.wsgi",
                "--pythonpath",
                f"{ROOT / 'src'},{ROOT}",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                # gunicorn.conf.py restarts a worker every ~2,000 requests (a leak guard). In a run of seconds
                # the bare view alone reaches that: the restarted workers' CPU would vanish from the count and
                # the next scenario would meet cold workers. Each worker lives the whole run here.
                "--max-requests",
                "0",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        try:
            wait_until_up(f"{host}/bench/bare")
            target = Target(host, config, workdir, psutil.Process(server.pid))
            locust(target, SATURATION[1:], 10, 5)  # warm every worker on every page
            saturation = {
                name: locust(target, [name], args.saturation_users, args.saturation_seconds) for name in SATURATION
            }
            working_base = locust(target, ["ThinkBare"], args.users, args.working_seconds)
            working = locust(target, ["ThinkWorking"], args.users, args.working_seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
            from benchmarks.scenarios import forget_benchmark_second_factor

            forget_benchmark_second_factor()

    report(args, sizes, saturation, working_base, working)


def report(
    args: argparse.Namespace, sizes: dict[str, object], saturation: dict[str, Run], base: Run, working: Run
) -> None:
    from django.db import connection

    rows = []
    bare = saturation["Bare"].stats["Aggregated"]
    bare_cpu = saturation["Bare"].server_cpu_s * 1000 / max(bare["requests"], 1)
    bare_db_cpu = saturation["Bare"].database_cpu_s * 1000 / max(bare["requests"], 1)
    print(
        f"\nLoad: gunicorn ({args.workers} workers, production settings) on {connection.vendor}; "
        f"cache {'Redis' if os.environ.get('REDIS_URL') else 'database'}; {sizes}"
    )
    print(f"\nSaturation ({args.saturation_users} users, no think time, {args.saturation_seconds} s each)")
    print(
        f"{'scenario':12} {'req/s':>8} {'x bare':>7} {'p95 ms':>7} {'CPU ms/req':>11} {'x bare':>7} {'DB CPU ms':>10} "
        f"{'all x bare':>10} {'errors':>6} {'machine busy %':>15} {'load 1m':>8}"
    )
    for name, run in saturation.items():
        s = run.stats["Aggregated"]
        cpu = run.server_cpu_s * 1000 / max(s["requests"], 1)
        db_cpu = run.database_cpu_s * 1000 / max(s["requests"], 1)
        row = {
            "scenario": name,
            "rps": s["rps"],
            "rps_ratio": s["rps"] / bare["rps"],
            "p95_ms": s["p95_ms"],
            "cpu_ms_per_request": cpu,
            "cpu_ratio": cpu / bare_cpu,
            "database_cpu_ms_per_request": db_cpu,
            "total_cpu_ratio": (cpu + db_cpu) / (bare_cpu + bare_db_cpu),
            "failures": s["failures"],
            "requests": s["requests"],
            "machine_busy_pct": run.machine_busy_pct,
            "load_avg_1m": run.load_avg_1m,
        }
        rows.append(row)
        print(
            f"{name:12} {s['rps']:8.1f} {row['rps_ratio']:7.3f} {s['p95_ms']:7.0f} {cpu:11.1f} {row['cpu_ratio']:7.1f} "
            f"{db_cpu:10.1f} {row['total_cpu_ratio']:10.1f} {s['failures']:6.0f} {run.machine_busy_pct:15.0f} "
            f"{run.load_avg_1m:8.2f}"
        )
    base_p95 = base.stats["bare"]["p95_ms"]
    print(
        f"\n{args.users} users with 0.5–2 s think time, {args.working_seconds} s each "
        f"(machine busy {working.machine_busy_pct:.0f} %, load {working.load_avg_1m:.2f})"
    )
    print(f"{'request':12} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'x bare p95':>11} {'errors':>6}")
    print(
        f"{'bare':12} {base.stats['bare']['rps']:8.1f} {base.stats['bare']['p50_ms']:7.0f} {base_p95:7.0f} {1.0:11.1f} "
        f"{base.stats['bare']['failures']:6.0f}"
    )
    working_rows = []
    for name in [*WORKING_NAMES, "Aggregated"]:
        s = working.stats.get(name)
        if s is None:
            continue
        working_rows.append({"request": name, **s, "p95_ratio": s["p95_ms"] / max(base_p95, 1)})
        print(
            f"{name:12} {s['rps']:8.1f} {s['p50_ms']:7.0f} {s['p95_ms']:7.0f} {s['p95_ms'] / max(base_p95, 1):11.1f} "
            f"{s['failures']:6.0f}"
        )
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {
        "database": connection.vendor,
        "cache": "redis" if os.environ.get("REDIS_URL") else "database",
        "workers": args.workers,
        "sizes": sizes,
        "saturation": rows,
        "working": {
            "users": args.users,
            "bare": base.stats["bare"],
            "requests": working_rows,
            "machine_busy_pct": working.machine_busy_pct,
            "load_avg_1m": working.load_avg_1m,
        },
    }
    (out_dir / f"load-{stamp}.json").write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
