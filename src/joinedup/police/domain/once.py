"""Once only: the normalised key of a set of incidents, so the database can hold one pending report per case and
set of incidents, whatever order the incidents were chosen in. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def incident_key(incident_ids: Iterable[str]) -> str:
    return hashlib.sha256(",".join(sorted(str(i) for i in set(incident_ids))).encode()).hexdigest()
