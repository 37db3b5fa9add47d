# ruff: noqa: S603, S310, S608, PLR0917
# A harness: it runs local tools it names itself, opens only loopback http URLs it built, and builds SQL only
# from values it generated (uuids, a random marker, table names read from pg_tables); it reports by printing.
"""`make reliability`: the reliability figures of issue 19, measured against a throwaway PostgreSQL cluster.

Everything runs on loopback against a PostgreSQL cluster this script creates in a temporary folder (its own
port; it is stopped with `-m immediate` mid-load, which must never happen to a shared server) and removes at
the end. The application runs as documented in docs/deploy.md: production settings, gunicorn, the worker.

Phases (each prints its figures; timed ones as ratios against a bare view measured in the same run):
  fuzz         schemathesis, one user per agency, demo records present: server errors, schema failures, cases
  load         locust, N users for M minutes: errors, p95 of the API mix / p95 of bare /healthz
  concurrency  8 writers on one record at once: lost updates (tasks added together; one referral answered
               by 8 at once: exactly one wins, the others 409)
  chaos        writes under load while gunicorn workers are killed (-9) and PostgreSQL is stopped immediately:
               confirmed writes lost, and records without audit entries (or audit without records)
  backup       pg_dump -Fc → pg_restore into a new database: tables whose row counts or checksums differ

Usage: .venv/bin/python benchmarks/reliability/run.py [--phases fuzz,load,...] [--fuzz-cases 10000]
       [--load-users 100] [--load-minutes 10] [--short]     (--short: 2,000 cases, 30 users for 1 minute)
Exit status is non-zero when any figure misses its target (0 errors, 0 failures, 0 lost).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PY = str(VENV / "python")
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), Path("/usr/bin"))
HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(args: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    """A throwaway PostgreSQL cluster: its own folder, port and socket; loopback only; trust auth."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ju-reliability-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            as_postgres([str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.dir / "data"),
                    "-o",
                    options,
                    "-l",
                    str(self.dir / "server.log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, name: str, sql: str) -> str:
        result = subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-X",
                "-q",
                "-tA",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                name,
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class App:
    """gunicorn (as docs/deploy.md) and the background worker, against one database."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.run_dir = Path(tempfile.mkdtemp(prefix="ju-reliability-app-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "joinedup.config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "off",
            "DATABASE_URL": database_url,
            # Far above what the harness sends: the figures are about correctness, not throttling.
            "API_RATE_USER": "1000000/min",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "LOG_LEVEL": "WARNING",
            "JOINEDUP_ALLOW_DEMO_DATA": "on",
        }
        self.gunicorn: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {result.stderr[-2000:]}")
        return result.stdout

    def start(self) -> None:
        log = open(self.run_dir / "gunicorn.log", "ab")  # noqa: SIM115 - kept open for the process's life
        self.gunicorn = subprocess.Popen(
            [
                str(VENV / "gunicorn"),
                "joinedup.config.wsgi",
                "--access-logfile",
                "/dev/null",
                "--pid",
                str(self.run_dir / "gunicorn.pid"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        worker_log = open(self.run_dir / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [PY, "manage.py", "worker", "--interval", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=worker_log,
            stderr=worker_log,
        )
        self.wait_until_live()

    def wait_until_live(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz; see " + str(self.run_dir / "gunicorn.log"))

    def worker_pids(self) -> list[int]:
        if self.gunicorn is None:
            return []
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        for process in (self.gunicorn, self.worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.gunicorn, self.worker):
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.gunicorn = self.worker = None

    def shell(self, code: str) -> Any:
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])


def request(
    method: str, url: str, token: str, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as refused:
        raw = refused.read()
        try:
            return refused.code, json.loads(raw)
        except ValueError:
            return refused.code, raw.decode(errors="replace")[:200]


# ---------------------------------------------------------------------------------------------------- set-up

SAMPLE = """
import json
from joinedup.core.domain.partnership import CASEWORK_ROLES
from joinedup.accounts.models import Agency, Membership
from joinedup.cases.models import Case
from joinedup.referrals.models import Service
from joinedup.people.models import PersonAgencyLink
from joinedup.incidents.models import Incident
users, records = {}, {}
for agency in Agency.objects.order_by("slug"):
    m = Membership.objects.filter(agency=agency, role__in=[r.value for r in CASEWORK_ROLES], user__is_active=True)
    m = m.select_related("user").order_by("user__email").first()
    if m:
        users[agency.slug] = m.user.email
        link = PersonAgencyLink.objects.filter(agency=agency, person__cases__status="open").first()
        if link:
            known = {"person_id": str(link.person.uuid)}
            case = Case.objects.filter(person=link.person, status="open").first()
            incident = Incident.objects.filter(person=link.person).first()
            known["case_id"] = str(case.uuid)
            if incident:
                known["incident_id"] = str(incident.uuid)
            records[agency.slug] = known
case = Case.objects.filter(status="open").select_related("key_worker", "person").order_by("opened_at").first()
service = Service.objects.filter(agency__isnull=False).exclude(agency__memberships__user=case.key_worker).first()
receiver = Membership.objects.filter(agency=service.agency, role__in=[r.value for r in CASEWORK_ROLES]).first()
print(json.dumps({"users": users, "records": records, "case": str(case.uuid), "person": str(case.person.uuid),
                  "key_worker": case.key_worker.email, "service": str(service.uuid), "receiver": receiver.user.email}))
"""


def set_up(app: App, people: int, incidents: int) -> dict[str, Any]:
    app.manage("migrate", "--no-input")
    app.manage("collectstatic", "--no-input")
    app.manage("demo_data", "--people", str(people), "--incidents", str(incidents))
    facts = app.shell(SAMPLE)
    facts["tokens"] = {slug: app.manage("issue_token", email).strip() for slug, email in facts["users"].items()}
    facts["key_worker_token"] = app.manage("issue_token", facts["key_worker"]).strip()
    facts["receiver_token"] = app.manage("issue_token", facts["receiver"]).strip()
    return facts


# ------------------------------------------------------------------------------------------------------ fuzz

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "unsupported_method",
    ]
)


def fuzz(app: App, facts: dict[str, Any], cases: int, per_operation: int = 3) -> dict[str, Any]:
    """schemathesis once per agency user (rounds repeat over the agencies until `cases` have been generated),
    from a temporary folder (it writes its own files there). Each run's output is kept in benchmarks/results/."""
    agencies = sorted(facts["tokens"])
    totals = {"cases": 0, "server_errors": 0, "schema_failures": 0, "other_failures": 0, "tool_errors": 0, "runs": 0}
    failures: list[dict[str, Any]] = []
    logs = ROOT / "benchmarks" / "results" / "schemathesis"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ju-schemathesis-") as folder:
        round_ = 0
        while round_ == 0 or totals["cases"] < cases:
            round_ += 1
            for slug in agencies:
                report = Path(folder) / f"{slug}-{round_}.json"
                # Path ids of real records this agency's user may see, so operations reach real data too.
                config = Path(folder) / f"{slug}.toml"
                known = facts["records"].get(slug, {})
                config.write_text("[parameters]\n" + "".join(f'{k} = "{v}"\n' for k, v in known.items()))
                output = subprocess.run(
                    [
                        str(VENV / "st"),
                        "--config-file",
                        str(config),
                        "run",
                        f"{app.base}/api/v1/schema",
                        "-H",
                        f"Authorization: Bearer {facts['tokens'][slug]}",
                        "--checks",
                        CHECKS,
                        "-n",
                        str(per_operation),
                        "--workers",
                        "4",
                        "--no-color",
                        "--report",
                        "json",
                        "--report-json-path",
                        str(report),
                        "--generation-database",
                        "none",
                        "--request-timeout",
                        "30",
                        "--seed",
                        str(1000 * round_ + agencies.index(slug)),
                    ],
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                (logs / f"{slug}-{round_}.txt").write_text(output.stdout + output.stderr)
                result = json.loads(report.read_text())
                totals["runs"] += 1
                totals["cases"] += int(result["test_cases"]["generated"])
                for failure in result["failures"]:
                    kind = (
                        "server_errors"
                        if failure["type"] == "ServerError"
                        else "schema_failures"
                        if failure["code"].startswith(("ST1", "ST2", "ST3"))
                        else "other_failures"
                    )
                    totals[kind] += int(failure["count"])
                    failures.append({"agency": slug, **failure})
                # Errors inside schemathesis itself (not answers from the API), reported apart.
                totals["tool_errors"] += len(result.get("errors") or [])
                print(
                    f"  fuzz {slug} round {round_}: {result['test_cases']['generated']} cases, "
                    f"{len(result['failures'])} failure kinds; {totals['cases']:,} so far",
                    flush=True,
                )
    return {**totals, "failures": failures}


# ------------------------------------------------------------------------------------------------------ load


def load(app: App, facts: dict[str, Any], users: int, minutes: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ju-locust-") as folder:
        env = {**os.environ, "JU_TOKENS": json.dumps(list(facts["tokens"].values()))}
        subprocess.run(
            [
                str(VENV / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(max(1, users // 10)),
                "-t",
                f"{int(minutes * 60)}s",
                "--host",
                app.base,
                "--csv",
                f"{folder}/load",
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        with open(f"{folder}/load_stats.csv") as stats:
            rows = list(csv.DictReader(stats))
    by_name = {row["Name"]: row for row in rows}
    bare = by_name["bare /healthz"]
    api = [row for row in rows if row["Name"] not in {"bare /healthz", "Aggregated"}]
    total_api = sum(int(r["Request Count"]) for r in api)
    # The API mix's p95, weighted by request count across its endpoints (locust gives per-endpoint p95).
    p95_api = sum(float(r["95%"]) * int(r["Request Count"]) for r in api) / max(1, total_api)
    return {
        "users": users,
        "minutes": minutes,
        "requests": int(by_name["Aggregated"]["Request Count"]),
        "errors": int(by_name["Aggregated"]["Failure Count"]),
        "p95_bare_ms": float(bare["95%"]),
        "p95_api_ms": round(p95_api, 1),
        "p95_ratio": round(p95_api / max(1.0, float(bare["95%"])), 2),
        "endpoints": {r["Name"]: {"p95_ms": float(r["95%"]), "requests": int(r["Request Count"])} for r in api},
    }


# ----------------------------------------------------------------------------------------------- concurrency


def at_once(count: int, action: Callable[[int], tuple[int, Any]]) -> list[tuple[int, Any]]:
    barrier = threading.Barrier(count)
    results: list[tuple[int, Any]] = [(0, None)] * count

    def run(index: int) -> None:
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def concurrency(app: App, facts: dict[str, Any], writers: int = 8) -> dict[str, Any]:
    case, token = facts["case"], facts["key_worker_token"]
    me = request("GET", f"{app.base}/api/v1/me", token)[1]
    before = request("GET", f"{app.base}/api/v1/cases/{case}/tasks?page_size=200", token)[1]["count"]
    due = time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
    added = at_once(
        writers,
        lambda i: request(
            "POST",
            f"{app.base}/api/v1/cases/{case}/tasks",
            token,
            {"title": f"Concurrent task {i} {uuid.uuid4().hex[:6]}", "owner_user_id": me["id"], "due_on": due},
        ),
    )
    after = request("GET", f"{app.base}/api/v1/cases/{case}/tasks?page_size=200", token)[1]["count"]
    confirmed = sum(1 for status, _ in added if status == 201)
    lost_tasks = confirmed - (after - before)

    # A fresh referral (with the person's consent to it) for the 8 receivers to answer at once.
    consent = {
        "person_id": facts["person"],
        "purpose": "refer",
        "service_id": facts["service"],
        "decision": "given",
        "capacity": {"has_capacity": True, "note": "Talked it through in person; they chose this service."},
    }
    status, body = request("POST", f"{app.base}/api/v1/consents", token, consent)
    if status != 201:
        raise RuntimeError(f"consent for the test referral refused: {status} {body}")
    status, body = request(
        "POST",
        f"{app.base}/api/v1/referrals",
        token,
        {"case_id": case, "service_id": facts["service"], "reason": "Reliability check", "urgency": "routine"},
    )
    if status != 201:
        raise RuntimeError(f"test referral refused: {status} {body}")
    referral, receiver = body["id"], facts["receiver_token"]
    history_before = len(request("GET", f"{app.base}/api/v1/referrals/{referral}", receiver)[1]["history"])

    def answer(i: int) -> tuple[int, Any]:
        if i % 2:
            return request(
                "POST", f"{app.base}/api/v1/referrals/{referral}/accept", receiver, {"named_contact": f"Contact {i}"}
            )
        return request(
            "POST",
            f"{app.base}/api/v1/referrals/{referral}/decline",
            receiver,
            {"reason": f"Reason {i}", "alternative": "A local advice service"},
        )

    answers = at_once(writers, answer)
    final = request("GET", f"{app.base}/api/v1/referrals/{referral}", receiver)[1]
    wins = [status for status, _ in answers if 200 <= status < 300]
    conflicts = [status for status, _ in answers if status == 409]
    return {
        "writers": writers,
        "tasks_confirmed": confirmed,
        "tasks_lost": lost_tasks,
        "referral_answers_won": len(wins),
        "referral_answers_409": len(conflicts),
        "referral_other_statuses": sorted({s for s, _ in answers if s not in (200, 201, 409)}),
        "referral_transitions_added": len(final["history"]) - history_before,
        "lost_updates": lost_tasks + (0 if len(wins) == 1 and len(final["history"]) - history_before == 1 else 1),
    }


# ----------------------------------------------------------------------------------------------------- chaos


def chaos(app: App, cluster: Cluster, facts: dict[str, Any], seconds: float, writers: int = 6) -> dict[str, Any]:
    """Writers create people while workers are killed and the database stops dead; then every person the API
    confirmed (201) must exist, and the people created and the audit entries for their creation must agree."""
    token = facts["tokens"][sorted(facts["tokens"])[0]]
    marker = f"Chaos{uuid.uuid4().hex[:8]}"
    confirmed: list[str] = []
    statuses: dict[int, int] = {}
    stop = threading.Event()
    lock = threading.Lock()

    def write(index: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                status, body = request(
                    "POST",
                    f"{app.base}/api/v1/people",
                    token,
                    {"given_name": marker, "family_name": f"W{index}N{n}"},
                    timeout=10,
                )
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                status, body = -1, None
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    confirmed.append(body["id"])

    began = cluster.psql("joinedup", "SELECT now()")
    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    third = seconds / 3
    time.sleep(third)
    killed = app.worker_pids()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)  # gunicorn's master starts new workers
    time.sleep(third)
    cluster.stop("immediate")  # no checkpoint, no goodbye: as a crash
    time.sleep(3)
    cluster.start()
    time.sleep(third)
    stop.set()
    for thread in threads:
        thread.join()
    app.wait_until_live()
    ids = ",".join(f"'{i}'" for i in confirmed) or "NULL"
    db = "joinedup"
    found = int(cluster.psql(db, f"SELECT count(*) FROM people_person WHERE uuid IN ({ids})"))
    created = cluster.psql(db, f"SELECT uuid FROM people_person WHERE given_name = '{marker}'").split()
    audited = cluster.psql(
        db,
        f"SELECT DISTINCT object_id FROM audit_auditentry WHERE action = 'create' AND object_type = 'people.person' "
        f"AND object_id IN (SELECT uuid::text FROM people_person WHERE given_name = '{marker}')",
    ).split()
    # Only the chaos writers create people in this window, so any creation audited without its record is theirs.
    audit_only = int(
        cluster.psql(
            db,
            "SELECT count(*) FROM audit_auditentry a WHERE a.action = 'create' AND a.object_type = 'people.person' "
            f"AND a.at >= '{began}' AND NOT EXISTS (SELECT 1 FROM people_person p WHERE p.uuid::text = a.object_id)",
        )
    )
    return {
        "seconds": seconds,
        "writers": writers,
        "workers_killed": len(killed),
        "database_stopped": "immediate",
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "confirmed_writes": len(confirmed),
        "confirmed_lost": len(confirmed) - found,
        "records_without_audit": len(set(created) - set(audited)),
        "audit_without_record": audit_only,
    }


# ---------------------------------------------------------------------------------------------------- backup

TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


def table_fingerprints(cluster: Cluster, db: str) -> dict[str, tuple[int, str]]:
    prints = {}
    for table in cluster.psql(db, TABLES_SQL).split():
        row = cluster.psql(
            db, f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t"
        )
        count, digest = row.split("|")
        prints[table] = (int(count), digest)
    return prints


def backup(cluster: Cluster) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ju-backup-") as folder:
        dump = Path(folder) / "joinedup.dump"
        connection = ["-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres"]
        started = time.monotonic()
        subprocess.run([str(PG_BIN / "pg_dump"), *connection, "-Fc", "-f", str(dump), "joinedup"], check=True)
        cluster.psql("postgres", "DROP DATABASE IF EXISTS joinedup_restored")
        cluster.psql("postgres", "CREATE DATABASE joinedup_restored")
        subprocess.run(
            [str(PG_BIN / "pg_restore"), *connection, "-d", "joinedup_restored", "--no-owner", str(dump)], check=True
        )
        seconds = time.monotonic() - started
        dump_bytes = dump.stat().st_size
        original, restored = table_fingerprints(cluster, "joinedup"), table_fingerprints(cluster, "joinedup_restored")
    differing = sorted(t for t in original.keys() | restored.keys() if original.get(t) != restored.get(t))
    return {
        "tables": len(original),
        "rows": sum(count for count, _ in original.values()),
        "differing_tables": differing,
        "dump_bytes": dump_bytes,
        "seconds": round(seconds, 1),
    }


# ------------------------------------------------------------------------------------------------------ main


def _stop(signum: int, _frame: Any) -> None:
    # Turn SIGTERM into an exception so the cluster and servers are removed by main's finally.
    raise SystemExit(f"stopped by signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phases", default="fuzz,load,concurrency,chaos,backup")
    parser.add_argument("--fuzz-cases", type=int, default=int(os.environ.get("RELIABILITY_FUZZ_CASES", "10000")))
    parser.add_argument("--load-users", type=int, default=int(os.environ.get("RELIABILITY_LOAD_USERS", "100")))
    parser.add_argument("--load-minutes", type=float, default=float(os.environ.get("RELIABILITY_LOAD_MINUTES", "10")))
    parser.add_argument("--chaos-seconds", type=float, default=30)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--incidents", type=int, default=500)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--short", action="store_true", help="a quick run: 2,000 cases, 30 users for 1 minute")
    options = parser.parse_args()
    if options.short:
        options.fuzz_cases, options.load_users, options.load_minutes = 2000, 30, 1.0
    phases = [p.strip() for p in options.phases.split(",") if p.strip()]
    figures: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    cluster = Cluster()
    app: App | None = None
    try:
        cluster.start()
        cluster.psql("postgres", "CREATE DATABASE joinedup")
        app = App(cluster.url("joinedup"), options.gunicorn_workers)
        print(f"set-up: throwaway PostgreSQL on 127.0.0.1:{cluster.port}, demo partnership loading…", flush=True)
        facts = set_up(app, options.people, options.incidents)
        app.start()
        print(f"set-up: gunicorn at {app.base}, {len(facts['tokens'])} agencies with a user each", flush=True)
        for phase in phases:
            started = time.monotonic()
            if phase == "fuzz":
                figures["fuzz"] = fuzz(app, facts, options.fuzz_cases)
            elif phase == "load":
                figures["load"] = load(app, facts, options.load_users, options.load_minutes)
            elif phase == "concurrency":
                figures["concurrency"] = concurrency(app, facts)
            elif phase == "chaos":
                figures["chaos"] = chaos(app, cluster, facts, options.chaos_seconds)
            elif phase == "backup":
                figures["backup"] = backup(cluster)
            else:
                raise SystemExit(f"unknown phase {phase}")
            shown = {k: v for k, v in figures[phase].items() if k not in {"failures", "endpoints"}}
            print(f"{phase} ({time.monotonic() - started:.0f} s): {json.dumps(shown)}", flush=True)
    finally:
        if app is not None:
            app.stop()
            shutil.rmtree(app.run_dir, ignore_errors=True)
        cluster.destroy()
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "reliability.json").write_text(json.dumps(figures, indent=2))
    return report(figures)


def report(figures: dict[str, Any]) -> int:
    misses = []
    print("\nReliability figures (targets in brackets)")
    if "fuzz" in figures:
        f = figures["fuzz"]
        print(
            f"  schemathesis: {f['cases']:,} cases over {f['runs']} agency users; server errors {f['server_errors']} "
            f"[0]; schema failures {f['schema_failures']} [0]; other check failures {f['other_failures']}; "
            f"errors inside schemathesis {f['tool_errors']}"
        )
        misses += ["fuzz"] if f["server_errors"] or f["schema_failures"] else []
        for failure in f["failures"][:20]:
            print(
                f"    {failure['agency']}: {failure['code']} {failure['title']} x{failure['count']}: "
                f"{', '.join(failure['operations'][:4])}"
            )
    if "load" in figures:
        f = figures["load"]
        print(
            f"  locust: {f['users']} users for {f['minutes']} min, {f['requests']:,} requests, errors {f['errors']} "
            f"[0]; p95 API mix / p95 bare /healthz = {f['p95_ratio']} ({f['p95_api_ms']} ms / {f['p95_bare_ms']} ms)"
        )
        misses += ["load"] if f["errors"] else []
    if "concurrency" in figures:
        f = figures["concurrency"]
        print(
            f"  concurrency: {f['writers']} writers on one record: lost updates {f['lost_updates']} [0] "
            f"(tasks {f['tasks_confirmed']} confirmed, {f['tasks_lost']} lost; referral answered by {f['writers']}: "
            f"{f['referral_answers_won']} won, {f['referral_answers_409']} got 409)"
        )
        misses += ["concurrency"] if f["lost_updates"] else []
    if "chaos" in figures:
        f = figures["chaos"]
        print(
            f"  chaos: {f['confirmed_writes']} confirmed writes while {f['workers_killed']} workers were killed -9 and "
            f"PostgreSQL stopped immediately: lost {f['confirmed_lost']} [0]; records without audit "
            f"{f['records_without_audit']} [0]; audit without record {f['audit_without_record']} [0]; "
            f"answers {f['statuses']}"
        )
        misses += ["chaos"] if f["confirmed_lost"] or f["records_without_audit"] or f["audit_without_record"] else []
    if "backup" in figures:
        f = figures["backup"]
        print(
            f"  backup: pg_dump -Fc → pg_restore of {f['tables']} tables, {f['rows']:,} rows in {f['seconds']} s: "
            f"tables differing in row count or checksum {len(f['differing_tables'])} [0] {f['differing_tables']}"
        )
        misses += ["backup"] if f["differing_tables"] else []
    print("all targets met" if not misses else f"targets missed: {', '.join(misses)}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
