"""Matching rules as a table (people known to several agencies under slightly different details, domain.md §9)."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.people.domain.matching import STRONG_THRESHOLD, Identity, outward_code, score

ROBERT = Identity("Robert", "Smith", (), date(1980, 3, 12), "EM1 2AB")

CASES = [
    ("same-everything", Identity("Robert", "Smith", (), date(1980, 3, 12), "EM12AB"), "strong"),
    ("nickname-bob-is-robert", Identity("Bob", "Smith", (), date(1980, 3, 12), "EM1 2AB"), "strong"),
    ("typo-in-family-name", Identity("Robert", "Smyth", (), date(1980, 3, 12), ""), "strong"),
    ("day-and-month-swapped", Identity("Robert", "Smith", (), date(1980, 12, 3), "EM1 2AB"), "strong"),
    ("swapped-date-and-a-family-name", Identity("", "Smith", (), date(1980, 12, 3)), "strong"),
    ("a-longer-family-name-is-another-family", Identity("Robert", "Smithson", (), None, "EM1 2AB"), "shown"),
    ("neighbour-in-same-district-only", Identity("Rachel", "Stone", (), None, "EM1 4XY"), "hidden"),
    ("no-date-of-birth-from-a-charity", Identity("Rob", "Smith", (), None, "EM1 2AB"), "strong"),
    ("different-date-of-birth-caps-the-score", Identity("Robert", "Smith", (), date(1991, 7, 1), "EM1 2AB"), "hidden"),
    ("name-alone-is-not-a-match", Identity("", "Smith"), "hidden"),
    ("different-person", Identity("Aisha", "Khan", (), date(1975, 1, 2), "EM9 9ZZ"), "hidden"),
]


@pytest.mark.parametrize(("query", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_match_scores(query: Identity, expected: str) -> None:
    result = score(query, ROBERT)
    if expected == "strong":
        assert result.score >= STRONG_THRESHOLD, result
    elif expected == "shown":
        assert 0.6 <= result.score < STRONG_THRESHOLD, result
    else:
        assert result.score < 0.6, result
    if result.score >= 0.6:
        assert result.reasons


def test_other_names_count() -> None:
    known_as = Identity("Robert", "Smith", ("Robbie Jones",), date(1980, 3, 12))
    assert score(Identity("Robert", "Jones", (), date(1980, 3, 12)), known_as).score >= STRONG_THRESHOLD


@pytest.mark.parametrize(("postcode", "district"), [("EM1 2AB", "EM1"), ("sw1a1aa", "SW1A"), ("X", "")])
def test_outward_code(postcode: str, district: str) -> None:
    assert outward_code(postcode) == district
