"""The linkage model's comparisons on crafted pairs: nicknames, swapped dates, one-digit typos, households.

The model is trained (without labels) once for the module on a small synthetic partnership with the crafted
records added, exactly as link_people trains it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from joinedup.linkage import engine
from joinedup.linkage.domain.records import COLUMNS
from joinedup.linkage.synthetic import generate

CRAFTED = {
    "bob": ("Bob", "Hargreaves", "", "1971-04-09", "EM1 4QT", "12 Mill Lane, Eastmere", "", ""),
    "robert": ("Robert", "Hargreaves", "", "09/04/1971", "EM14QT", "12 Mill Lane, Eastmere", "", ""),
    "swapped": ("Robert", "Hargreaves", "", "1971-09-04", "EM1 4QT", "", "", ""),
    "typo": ("Robert", "Hargreaves", "", "1971-04-08", "", "", "", ""),
    "married": ("Priya", "Okonkwo", "Priya Venkataraman", "1988-12-01", "RV3 2LD", "", "", ""),
    "maiden": ("Priya", "Venkataraman", "", "1988-12-01", "WB9 7XY", "", "", ""),
    "mother": ("Sandra", "Quilliam", "", "1962-05-17", "NF2 8PL", "4 Oak Close, Northfield", "01632 960111", ""),
    "son": ("Kyle", "Quilliam", "", "1990-10-30", "NF2 8PL", "4 Oak Close, Northfield", "01632 960111", ""),
    "misspelt": ("Robrt", "Hargreaves", "", "1971-04-09", "EM1 4QT", "", "", ""),
    "reversed": ("Hargreaves", "Robert", "", "1971-04-09", "EM1 4QT", "12 Mill Lane, Eastmere", "", ""),
    "transposed": ("Robert", "Hargreaves", "", "1971-04-90", "", "", "", ""),
    "flat": ("Priya", "Okonkwo", "", "1988-12-01", "RV3 2DL", "Flat 3, 27 Willow Road, Riverside", "", ""),
    "flat_again": ("Priya", "Okonkwo", "", "1988-12-01", "RV3 2LD", "27 Willow Rd Riverside Flat 3", "", ""),
}


@pytest.fixture(scope="module")
def scored() -> Iterator[tuple[engine.Scored, dict[str, int]]]:
    records = generate(1500, seed=7)
    rows = [dict(r.values) for r in records]
    ids = {}
    for name, values in CRAFTED.items():
        ids[name] = len(rows)
        rows.append(dict(zip(COLUMNS, (f"crafted-{name}", *values), strict=True)))
    raw = pd.DataFrame(rows)
    raw["unique_id"] = range(len(rows))
    raw["agency"] = "test"
    with engine.score(engine.prepare(raw), review_weight=-1000.0) as result:
        yield result, ids


def pair(scored: tuple[engine.Scored, dict[str, int]], a: str, b: str) -> tuple[float, dict[str, str]]:
    result, ids = scored
    left, right = sorted((ids[a], ids[b]))
    found = np.flatnonzero((result.left == left) & (result.right == right))
    assert len(found) == 1, f"{a} and {b} were not compared: the blocking rules missed them"
    row: dict[str, Any] = result.rows(found).iloc[0].to_dict()
    levels = {step["comparison"]: step["level"] for step in engine.explain(row, result)}
    return float(row["match_weight"]), levels


def test_a_nickname_is_the_same_first_name(scored: Any) -> None:
    weight, levels = pair(scored, "bob", "robert")
    assert levels["First name"] == "A known short form of the same first name"
    assert levels["Date of birth"] == "Same date of birth"  # ISO and UK formats read alike
    assert weight >= engine.AUTO_LINK_WEIGHT


def test_day_and_month_swapped_still_counts(scored: Any) -> None:
    weight, levels = pair(scored, "robert", "swapped")
    assert levels["Date of birth"] == "Same date of birth with day and month swapped"
    assert weight >= engine.AUTO_LINK_WEIGHT


def test_one_digit_wrong_in_the_date_of_birth(scored: Any) -> None:
    _weight, levels = pair(scored, "robert", "typo")
    assert levels["Date of birth"] == "Date of birth one digit different"


def test_a_former_family_name_matches(scored: Any) -> None:
    weight, levels = pair(scored, "married", "maiden")
    assert levels["Family name"] == "A former or other family name matches"
    assert weight > engine.REVIEW_WEIGHT


def test_relatives_at_one_address_are_not_one_person(scored: Any) -> None:
    weight, levels = pair(scored, "mother", "son")
    assert levels["Address and postcode"].startswith("Same home but a different first name")
    assert levels["Phone and email"].startswith("Same phone but a different first name")
    assert weight < engine.REVIEW_WEIGHT


def test_every_step_of_the_explanation_adds_up_to_the_weight(scored: Any) -> None:
    result, _ids = scored
    row = result.rows([0]).iloc[0].to_dict()
    steps = engine.explain(row, result)
    assert steps[0]["comparison"] == "Starting point"
    assert sum(step["weight"] for step in steps) == pytest.approx(row["match_weight"], abs=0.1)


def test_one_letter_different_in_a_name(scored: Any) -> None:
    weight, levels = pair(scored, "robert", "misspelt")
    assert levels["First name"] == "First name one letter different"
    assert weight >= engine.AUTO_LINK_WEIGHT


def test_names_written_the_other_way_round_are_not_a_relative(scored: Any) -> None:
    """Given and family names swapped count in both name comparisons, and the shared home still counts: it is
    the same person written the other way round, not someone else living there."""
    weight, levels = pair(scored, "robert", "reversed")
    assert levels["First name"] == "First and family names written the other way round"
    assert levels["Family name"] == "First and family names written the other way round"
    assert not levels["Address and postcode"].startswith("Same home but a different first name")
    assert weight >= engine.AUTO_LINK_WEIGHT


def test_two_digits_of_the_date_of_birth_swapped(scored: Any) -> None:
    _weight, levels = pair(scored, "robert", "transposed")
    assert levels["Date of birth"] == "Date of birth with two digits swapped"


def test_the_same_address_written_differently_with_a_mistyped_postcode(scored: Any) -> None:
    weight, levels = pair(scored, "flat", "flat_again")
    assert levels["Address and postcode"] == "Address written nearly the same, postcode different or missing"
    assert weight >= engine.AUTO_LINK_WEIGHT


def test_explanations_fetched_in_bulk_match_one_by_one(scored: Any) -> None:
    result, _ids = scored
    positions = np.arange(0, len(result), max(1, len(result) // 200))
    bulk = dict(result.explanations(positions))
    rows = result.rows(positions)
    assert sorted(bulk) == positions.tolist()
    for position, row in zip(positions.tolist(), rows.to_dict("records"), strict=True):
        assert bulk[position] == engine.explain(row, result)
