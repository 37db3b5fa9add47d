"""Reading what a practitioner typed into "Find a case" on My work. Pure.

A case can be found by the person's name, their date of birth (12/03/1980 or 1980-03-12), the reference given to
someone who reported to the partnership (four letters or digits, a dash, four more: "K7QP-2XMA"), or the start of
the case's id (8 or more of its characters, as shown on the case)."""

from __future__ import annotations

import re
from dataclasses import dataclass

CASE_ID_RE = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{1,4}){0,3}(-[0-9a-f]{1,12})?$")
REPORT_REFERENCE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


@dataclass(frozen=True)
class CaseQuery:
    text: str  # what to match on name and date of birth ("" when the query is a reference)
    case_id_prefix: str = ""
    report_reference: str = ""


def read_query(q: str) -> CaseQuery:
    q = " ".join(q.split())
    lowered, upper = q.lower(), q.upper()
    # A case id has digits (a name never does): "3f2a9c41" or the whole id.
    if CASE_ID_RE.match(lowered) and any(c.isdigit() for c in lowered):
        return CaseQuery("", case_id_prefix=lowered)
    if REPORT_REFERENCE_RE.match(upper):
        return CaseQuery("", report_reference=upper)
    return CaseQuery(q)
