"""Where one page's cost goes: its query count, and the audit's share (statements and Python), measured in-process
over a number of requests (benchmarks/README.md). Used by run.py for the case page and My work."""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection

AUDIT_SOURCE = "/joinedup/audit/"


@dataclass
class Breakdown:
    queries: int
    audit_statements: int
    request_ms: float
    audit_sql_ms: float
    audit_total_ms: float
    cpu_ms: float = 0.0  # this process's CPU per request, without the profiler

    @property
    def audit_share(self) -> float:
        return self.audit_total_ms / self.request_ms if self.request_ms else 0.0


@contextmanager
def _timed_statements(into: list[tuple[str, float]]) -> Iterator[None]:
    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            into.append((sql, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(wrapper):
        yield


def _audit_cumulative_ms(profile: cProfile.Profile) -> float:
    """Time inside the audit app's functions, counted once at the edge where other code calls into it."""
    stats = pstats.Stats(profile)
    total = 0.0
    for func, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if AUDIT_SOURCE not in func[0]:
            continue
        for caller, edge in callers.items():
            if AUDIT_SOURCE not in caller[0]:
                total += edge[3]
    return total * 1000


def measure(call: Callable[[], None], rounds: int = 50) -> Breakdown:
    call()  # warm
    started_cpu = time.process_time()
    for _ in range(rounds):
        call()
    cpu_ms = (time.process_time() - started_cpu) * 1000 / rounds
    statements: list[tuple[str, float]] = []
    with _timed_statements(statements):
        call()
    queries = len(statements)
    audit_statements = sum(1 for sql, _ in statements if "audit_" in sql)
    statements.clear()
    profile = cProfile.Profile()
    started = time.perf_counter()
    with _timed_statements(statements):
        profile.enable()
        for _ in range(rounds):
            call()
        profile.disable()
    elapsed = (time.perf_counter() - started) * 1000 / rounds
    audit_sql = sum(ms for sql, ms in statements if "audit_" in sql) / rounds
    return Breakdown(
        queries=queries,
        audit_statements=audit_statements,
        request_ms=elapsed,
        audit_sql_ms=audit_sql,
        audit_total_ms=_audit_cumulative_ms(profile) / rounds,
        cpu_ms=cpu_ms,
    )
