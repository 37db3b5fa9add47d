"""Pure rules for imported records: flags (kept, never corrected), blocking problems, comparison keys."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from joinedup.linkage import engine
from joinedup.linkage.domain.records import (
    address_key,
    first_word,
    flags_for,
    formal_name,
    last_word,
    read_date,
    row_problem,
)

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "key", "flag"),
    [
        pytest.param("1990-02-13", "1990-02-13", "", id="iso"),
        pytest.param("13/02/1990", "1990-02-13", "", id="uk-day-first"),
        pytest.param("31/02/1990", "1990-02-31", "date_of_birth_impossible", id="impossible-kept-as-key"),
        pytest.param("1990-13-02", "1990-13-02", "date_of_birth_impossible", id="month-13-probably-swapped"),
        pytest.param("13th Feb 1990", "", "date_of_birth_unreadable", id="unreadable"),
        pytest.param("01/01/2031", "2031-01-01", "date_of_birth_future", id="future"),
        pytest.param("01/01/1850", "1850-01-01", "date_of_birth_too_old", id="before-1900"),
        pytest.param("", "", "", id="missing-is-not-a-flag"),
    ],
)
def test_dates_are_read_and_flagged_never_corrected(text: str, key: str, flag: str) -> None:
    reading = read_date(text, today=TODAY)
    assert (reading.key, reading.flag) == (key, flag)


def test_flags_cover_postcode_email_and_phone() -> None:
    row = {"postcode": "EM1 2AB", "email": "a@b.example", "phone": "07700 900982", "date_of_birth": "1980-01-01"}
    assert flags_for(row, today=TODAY) == []
    bad = {"postcode": "NOT A POSTCODE", "email": "nobody-at-example", "phone": "call reception", "date_of_birth": ""}
    assert flags_for(bad, today=TODAY) == ["postcode_malformed", "email_malformed", "phone_malformed"]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        pytest.param({"source_id": "", "given_name": "Ann"}, "source_id", id="no-source-id"),
        pytest.param({"source_id": "1"}, "given_name", id="no-name-at-all"),
        pytest.param({"source_id": "1", "other_names": "Nan"}, None, id="other-name-is-enough"),
        pytest.param({"source_id": "1", "given_name": "A" * 201}, "given_name", id="too-long"),
        pytest.param({"source_id": "1", "family_name": "Smith\x00"}, "family_name", id="null-character"),
    ],
)
def test_row_problems_name_the_field(row: dict[str, str], field: str | None) -> None:
    problem = row_problem(row)
    assert (problem[0] if problem else None) == field


def test_name_and_address_keys() -> None:
    assert first_word("Mrs  Zoë-Ann Smith") == "zoeann"
    assert last_word("Mary O'Brien") == "obrien"
    assert formal_name("bob") == "robert" and formal_name("sally") == "sarah" and formal_name("ngozi") == "ngozi"
    assert address_key("Flat 2, 14 Station Road, Eastmere") == "2 14 station rd eastmere"


def test_the_vectorised_keys_agree_with_the_rules() -> None:
    raw = pd.DataFrame(
        {
            "unique_id": [0, 1, 2],
            "agency": ["a", "a", "b"],
            "given_name": ["Mr Bob", "", "Zoë"],
            "family_name": ["Smith-Jones", "O'Brien", ""],
            "other_names": ["", "Sally Brown", "Zoe Green"],
            "date_of_birth": ["31/02/1990", "1985-7-4", "not known"],
            "postcode": ["em1 2ab", "", "EM12AB"],
            "address": ["14 Station Road", "", "Flat 2, 9 Mill Lane"],
            "phone": ["+44 7700 900982", "123", ""],
            "email": ["A@B.example ", "", "no"],
        }
    )
    keys = engine.prepare(raw)
    assert keys["given"].tolist() == ["bob", "sally", "zoe"]
    assert keys["given_formal"].tolist() == ["robert", "sarah", "zoe"]
    assert keys["family"].tolist() == ["smithjones", "obrien", None]
    assert keys["other_family"].tolist() == [None, "brown", "green"]
    assert keys["dob"].tolist() == [read_date(v, today=TODAY).key or None for v in raw["date_of_birth"]]
    assert keys["postcode"].tolist() == ["EM12AB", None, "EM12AB"]
    assert keys["district"].tolist() == ["EM1", None, "EM1"]
    assert keys["address"].tolist() == [address_key(v) or None for v in raw["address"]]
    assert keys["phone"].tolist() == ["07700900982", None, None]
    assert keys["email"].tolist() == ["a@b.example", None, None]


def test_clusters_are_connected_components_named_by_their_smallest_member() -> None:
    labels = engine.cluster(6, [(4, 1), (1, 3), (5, 2)])
    assert labels.tolist() == [0, 1, 2, 1, 1, 2]
    assert engine.cluster(3, []).tolist() == [0, 1, 2]


def test_the_strongest_links_that_hold_a_cluster_together_are_kept() -> None:
    import numpy as np

    lefts, rights = np.array([0, 1, 0, 3]), np.array([1, 2, 2, 4])
    kept = engine.strongest_forest(5, lefts, rights, np.array([9.0, 8.0, 7.0, 6.5]))
    # 0-2 is redundant (0-1-2 is stronger); 3-4 is a cluster of its own.
    assert kept.tolist() == [0, 1, 3]
