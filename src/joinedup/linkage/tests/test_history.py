"""Which linked records count as the same person (domain/history.py): the rule risk and "known to N other
agencies" share. Table-tested: confirmed counts, rejected never does, below the auto-link weight does not, at or
above it does, and links carry through other records."""

from __future__ import annotations

import pytest

from joinedup.linkage.domain.history import Link, basis_of, same_person

AUTO = 6.0
P = "p:person"


def link(left: str, right: str, status: str, weight: float = 8.0) -> Link:
    return Link(left, right, status, weight)


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        pytest.param([], {}, id="no-links"),
        pytest.param([link(P, "p:b", "confirmed", 2.0)], {"p:b": "confirmed"}, id="confirmed-counts-at-any-weight"),
        pytest.param([link(P, "p:b", "rejected", 12.0)], {}, id="rejected-never-counts"),
        pytest.param([link(P, "p:b", "review", 4.0)], {}, id="review-band-below-threshold-does-not-count"),
        pytest.param([link(P, "p:b", "auto", 6.0)], {"p:b": "auto"}, id="auto-at-the-threshold-counts"),
        pytest.param([link(P, "p:b", "auto", 11.3)], {"p:b": "auto"}, id="auto-above-the-threshold-counts"),
        pytest.param([link(P, "p:b", "auto", 5.99)], {}, id="auto-below-the-threshold-does-not-count"),
        pytest.param([link("p:b", P, "confirmed")], {"p:b": "confirmed"}, id="either-side-of-the-pair"),
        pytest.param(
            [link(P, "a:1", "auto"), link("a:1", "p:c", "confirmed")],
            {"a:1": "auto", "p:c": "through"},
            id="through-another-record",
        ),
        pytest.param(
            [link(P, "a:1", "review", 3.0), link("a:1", "p:c", "confirmed")],
            {},
            id="nothing-through-a-review-pair",
        ),
        pytest.param(
            [link(P, "a:1", "auto"), link("a:1", "p:b", "auto"), link(P, "p:b", "rejected")],
            {"a:1": "auto"},
            id="a-rejected-record-stays-out-even-when-others-join-it",
        ),
        pytest.param(
            [link(P, "a:1", "auto"), link(P, "a:2", "review", 1.0), link(P, "a:3", "rejected")],
            {"a:1": "auto"},
            id="only-links-count",
        ),
        pytest.param(
            [link("a:1", "a:2", "confirmed")],
            {},
            id="links-between-other-records-only",
        ),
    ],
)
def test_which_linked_records_count_as_the_same_person(links: list[Link], expected: dict[str, str]) -> None:
    assert same_person(P, links, auto_link_weight=AUTO) == expected


@pytest.mark.parametrize(
    ("bases", "expected"),
    [
        ([], ""),
        (["confirmed"], "confirmed"),
        (["confirmed", "confirmed"], "confirmed"),
        (["auto"], "auto"),
        (["auto", "through"], "auto"),
        (["confirmed", "through"], "mixed"),
        (["confirmed", "auto"], "mixed"),
    ],
)
def test_one_word_for_how_records_were_linked(bases: list[str], expected: str) -> None:
    assert basis_of(bases) == expected
