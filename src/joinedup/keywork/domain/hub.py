"""Who at the hub receives a case handed over by a provisional key worker. Pure.

The hub's duty key worker is, by default, the hub key worker holding the fewest open cases (ties to the longest
standing account), so handovers spread across the hub rather than landing on one person. Never the person
handing over."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubWorker:
    user_id: int
    open_cases: int


def duty_key_worker(workers: list[HubWorker], *, handing_over: int) -> int | None:
    candidates = [w for w in workers if w.user_id != handing_over]
    if not candidates:
        return None
    return min(candidates, key=lambda w: (w.open_cases, w.user_id)).user_id
