"""Crisis flags and pick-up days (incidents/domain/urgency.py), as a table. Ids name the guidance behind each
row: the issue's crisis list (999 and 55, NHS 111 option 2, Samaritans, Shout) and the hub's service levels."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.incidents.domain.urgency import crisis_flags, pick_up_by

CRISIS = [
    ("none", (), (), "unknown", ()),
    ("danger now is a crisis (999 / 55)", ("danger_now",), (), "unknown", ("danger_now",)),
    ("suicidal thoughts now (NHS 111 option 2)", ("suicidal_thoughts",), (), "unknown", ("suicidal_thoughts",)),
    ("self-harm (Samaritans, Shout)", ("self_harm",), (), "unknown", ("self_harm",)),
    ("the suicidality impact counts too", (), ("fear", "suicidality"), "unknown", ("suicidal_thoughts",)),
    ("unable to protect themselves (Care Act s42)", (), (), "yes", ("cannot_keep_safe",)),
    ("able to protect themselves is not a crisis", (), (), "no", ()),
    (
        "unknown values are ignored, order is fixed",
        ("self_harm", "bogus", "danger_now"),
        (),
        "unknown",
        ("danger_now", "self_harm"),
    ),
    ("no duplicates", ("suicidal_thoughts",), ("suicidality",), "unknown", ("suicidal_thoughts",)),
]


@pytest.mark.parametrize(("case", "safety", "impacts", "unable", "expected"), CRISIS, ids=[c[0] for c in CRISIS])
def test_crisis_flags(
    case: str, safety: tuple[str, ...], impacts: tuple[str, ...], unable: str, expected: tuple[str, ...]
) -> None:
    assert crisis_flags(safety_now=safety, impacts=impacts, unable_to_protect_self=unable) == expected


DUE = [
    ("urgent: the same day", date(2026, 10, 1), True, date(2026, 10, 1)),
    ("urgent on a Sunday: still the same day", date(2026, 10, 4), True, date(2026, 10, 4)),
    ("others: the next working day", date(2026, 10, 1), False, date(2026, 10, 2)),
    ("others on a Friday: Monday", date(2026, 10, 2), False, date(2026, 10, 5)),
    (
        "others before Christmas: past the bank holidays (gov.uk bank holidays)",
        date(2026, 12, 24),
        False,
        date(2026, 12, 29),
    ),
]


@pytest.mark.parametrize(("case", "received", "urgent", "expected"), DUE, ids=[d[0] for d in DUE])
def test_pick_up_by(case: str, received: date, urgent: bool, expected: date) -> None:
    assert pick_up_by(received, urgent=urgent) == expected
