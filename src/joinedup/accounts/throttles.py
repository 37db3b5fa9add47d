"""Sign-in throttles beyond django-axes' lock on one email address from one IP address.

Counts come from the database (axes' own failure records, and the shared database cache), never from a
per-process cache, so every gunicorn worker sees the same numbers.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone


def _failures_since(window: timedelta, **match: str) -> int:
    since = timezone.now() - window
    total = AccessAttempt.objects.filter(attempt_time__gte=since, **match).aggregate(n=Sum("failures_since_start"))
    return int(total["n"] or 0)


def sign_in_refused_because(*, ip: str | None, email: str) -> str | None:
    """'address' when this IP address has failed too often across accounts (password spraying), 'account' when
    this account has failed too often across addresses (a distributed guess), else None. Checked before the
    password is, so a correct guess during the pause is not confirmed either."""
    window = settings.AXES_COOLOFF_TIME
    ip_limit, account_limit = settings.SIGN_IN_IP_FAILURE_LIMIT, settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT
    if ip and ip_limit > 0 and _failures_since(window, ip_address=ip) >= ip_limit:
        return "address"
    if email and account_limit > 0 and _failures_since(window, username=email) >= account_limit:
        return "account"
    return None


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """A fixed-window counter in the shared cache: True while `key` has been hit fewer than `limit` times in the
    window. (The database cache's increment is read-then-write, so simultaneous hits may count once: the limit
    holds to within the number of workers, which is enough to stop mail-bombing.)"""
    cache_key = f"joinedup:throttle:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
