"""Other apps' deadline checks (referrals register theirs), run by check_deadlines after the task checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

EXTRA_CHECKS: list[Callable[[date], dict[str, int]]] = []
