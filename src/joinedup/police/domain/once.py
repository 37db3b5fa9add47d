"""Once only: the normalised key of a set of events (each incident's event: its first account's id), so the database
can hold one pending report per case and set of incidents, whatever order they were chosen in and whichever
account of an event was chosen. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def incident_key(event_ids: Iterable[str]) -> str:
    return hashlib.sha256(",".join(sorted(str(i) for i in set(event_ids))).encode()).hexdigest()
