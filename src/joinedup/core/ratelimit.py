"""A fixed-window rate limit in the shared cache (so it holds across every worker process)."""

from __future__ import annotations

import time

from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    seconds = {"sec": 1, "s": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}[period]
    return int(count), seconds


def _key(scope: str, who: str, window: int, now: float | None = None) -> str:
    return f"ratelimit:{scope}:{who}:{int((time.time() if now is None else now) // window)}"


def hit(scope: str, who: str, window: int) -> int:
    """Count one hit for `who` in `scope` in the current window of `window` seconds; the count so far."""
    key = _key(scope, who, window)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def count(scope: str, who: str, window: int) -> int:
    """Hits so far in the current window, without counting one."""
    return int(cache.get(_key(scope, who, window)) or 0)


def allow(scope: str, who: str, rate: str) -> bool:
    """Count one hit for `who` in `scope`; False once the rate is used up for this window."""
    limit, window = parse_rate(rate)
    return hit(scope, who, window) <= limit
