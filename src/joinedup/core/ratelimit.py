"""A fixed-window rate limit in the shared cache (so it holds across every worker process)."""

from __future__ import annotations

import time

from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    seconds = {"sec": 1, "s": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}[period]
    return int(count), seconds


def allow(scope: str, who: str, rate: str) -> bool:
    """Count one hit for `who` in `scope`; False once the rate is used up for this window."""
    limit, window = parse_rate(rate)
    key = f"ratelimit:{scope}:{who}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
