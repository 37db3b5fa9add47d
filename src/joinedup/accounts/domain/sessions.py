"""When a signed-in browser session must end. Pure: times are seconds since the epoch.

Sources: NCSC "Cloud security guidance: identity and authentication" (re-authenticate after inactivity and at
least daily for privileged access); OWASP Session Management Cheat Sheet, "Session Expiration" (both an idle
timeout and an absolute timeout, enforced on the server).
"""

from __future__ import annotations

from enum import StrEnum


class SessionEnd(StrEnum):
    IDLE = "idle"
    ABSOLUTE = "absolute"

    @property
    def reason(self) -> str:
        return {
            SessionEnd.IDLE: "no activity for too long",
            SessionEnd.ABSOLUTE: "signed in for the longest time allowed",
        }[self]


def session_end(
    *, signed_in_at: float | None, last_seen_at: float | None, now: float, idle_seconds: int, absolute_seconds: int
) -> SessionEnd | None:
    """Why this session must end now, or None. The absolute limit wins when both apply: it is the stronger
    statement. A limit of 0 or less is switched off. A session with no record of its start is not ended here
    (the caller starts the clock), so an unknown start never locks anyone out for ever nor keeps them in."""
    if absolute_seconds > 0 and signed_in_at is not None and now - signed_in_at >= absolute_seconds:
        return SessionEnd.ABSOLUTE
    if idle_seconds > 0 and last_seen_at is not None and now - last_seen_at >= idle_seconds:
        return SessionEnd.IDLE
    return None
