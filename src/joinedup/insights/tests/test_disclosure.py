"""Disclosure control: table-tested rules and property tests that no published table lets a hidden value be
worked out. The attacker's view is a linear programme: every published value is a constraint (exact, or within
the rounding interval), every line adds up, every count is zero or more; a hidden cell is safe when its smallest
and largest feasible values differ."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from joinedup.insights.domain.disclosure import Line, Method, Published, one_way, protect, round_to, two_way

EXACT = Method(threshold=5, rounding=1)  # the hardest case for the defender: published values are exact


def feasible_range(
    cells: Mapping[Hashable, int], lines: list[Line], published: Mapping[Hashable, Published], key: Hashable, base: int
) -> tuple[float, float]:
    keys = list(cells)
    index = {k: i for i, k in enumerate(keys)}
    equalities, rhs = [], []
    for line in lines:
        row = np.zeros(len(keys))
        for member in line.members:
            row[index[member]] = 1
        row[index[line.total]] = -1
        equalities.append(row)
        rhs.append(0)
    bounds = []
    for k in keys:
        shown = published[k]
        if shown.suppressed:
            bounds.append((0, None))  # the attacker knows only that it is a count
        elif base <= 1 or shown.value == 0:
            bounds.append((shown.value, shown.value))
        else:
            bounds.append((max(0, shown.value - base / 2), shown.value + base / 2))
    objective = np.zeros(len(keys))
    objective[index[key]] = 1
    low = linprog(objective, A_eq=np.array(equalities), b_eq=rhs, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=np.array(equalities), b_eq=rhs, bounds=bounds, method="highs")
    assert low.status == 0
    assert high.status in {0, 3}  # 3: unbounded above — nothing caps the hidden value at all
    return low.fun, (float("inf") if high.status == 3 else -high.fun)


def assert_nothing_recoverable(
    cells: Mapping[Hashable, int], lines: list[Line], published: Mapping[Hashable, Published], base: int
) -> None:
    for key, shown in published.items():
        if shown.suppressed:
            low, high = feasible_range(cells, lines, published, key, base)
            assert high - low > 0.5, f"{key!r} (true {cells[key]}) is pinned to [{low}, {high}]"
        else:
            assert shown.value == round_to(cells[key], base)
            assert not 0 < cells[key] < 5


small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(small_counts, min_size=1, max_size=12))
def test_a_one_way_table_never_gives_away_a_hidden_count(counts: list[int]) -> None:
    cells, lines = one_way({f"g{i}": v for i, v in enumerate(counts)}, total=sum(counts))
    published = protect(cells, lines, EXACT)
    assert_nothing_recoverable(cells, lines, published, 1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 6).flatmap(
            lambda columns: st.tuples(
                st.just(rows),
                st.just(columns),
                st.lists(small_counts, min_size=rows * columns, max_size=rows * columns),
            )
        )
    )
)
def test_a_two_way_table_with_all_its_totals_never_gives_away_a_hidden_count(shape: tuple[int, int, list[int]]) -> None:
    rows, columns, flat = shape
    row_names = [f"r{i}" for i in range(rows)]
    column_names = [f"c{j}" for j in range(columns)]
    counts = {(r, c): flat[i * columns + j] for i, r in enumerate(row_names) for j, c in enumerate(column_names)}
    cells, lines = two_way(counts, rows=row_names, columns=column_names)
    published = protect(cells, lines, EXACT)
    assert_nothing_recoverable(cells, lines, published, 1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(small_counts, min_size=3, max_size=3), min_size=2, max_size=5))
def test_rounded_tables_are_safe_too(grid: list[list[int]]) -> None:
    row_names = [f"r{i}" for i in range(len(grid))]
    counts = {(r, f"c{j}"): v for r, row in zip(row_names, grid, strict=True) for j, v in enumerate(row)}
    cells, lines = two_way(counts, rows=row_names, columns=["c0", "c1", "c2"])
    published = protect(cells, lines, Method())
    assert_nothing_recoverable(cells, lines, published, 5)


@pytest.mark.parametrize(
    ("case", "counts", "hidden"),
    [
        ("primary-1-to-4-hidden", {"a": 3, "b": 50, "c": 60}, {"a", "b"}),
        ("zero-is-shown", {"a": 0, "b": 50, "c": 60}, set()),
        ("five-is-shown", {"a": 5, "b": 50, "c": 60}, set()),
        ("two-small-hide-each-other", {"a": 1, "b": 2, "c": 60}, {"a", "b"}),
        ("secondary-is-the-smallest-non-zero", {"a": 4, "b": 0, "c": 9, "d": 60}, {"a", "c"}),
        ("alone-with-zeros-hides-the-total", {"a": 3, "b": 0}, {"a", "total"}),
    ],
)
def test_one_way_rules(case: str, counts: dict[str, int], hidden: set[str]) -> None:
    cells, lines = one_way(counts, total=sum(counts.values()))
    published = protect(cells, lines, EXACT)
    assert {k for k, p in published.items() if p.suppressed} == hidden, case


def test_a_bridge_between_two_hidden_blocks_is_closed() -> None:
    """Two 2×2 blocks of hidden cells joined through one hidden cell: every line holds two hidden cells, yet the
    joining cell follows from the totals. The cycle check hides one more cell."""
    grid = {
        ("r0", "c0"): 1, ("r0", "c1"): 1, ("r0", "c2"): 90, ("r0", "c3"): 90,
        ("r1", "c0"): 1, ("r1", "c1"): 1, ("r1", "c2"): 2, ("r1", "c3"): 90,
        ("r2", "c0"): 90, ("r2", "c1"): 90, ("r2", "c2"): 1, ("r2", "c3"): 1,
        ("r3", "c0"): 90, ("r3", "c1"): 90, ("r3", "c2"): 1, ("r3", "c3"): 1,
    }  # fmt: skip
    rows, columns = ["r0", "r1", "r2", "r3"], ["c0", "c1", "c2", "c3"]
    cells, lines = two_way(grid, rows=rows, columns=columns)
    published = protect(cells, lines, EXACT)
    assert published[("r1", "c2")].suppressed
    assert_nothing_recoverable(cells, lines, published, 1)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        protect(*one_way({"a": -1}, total=-1))


@pytest.mark.parametrize(("value", "rounded"), [(0, 0), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (102, 100)])
def test_rounding_to_the_nearest_five(value: int, rounded: int) -> None:
    assert round_to(value, 5) == rounded
