"""Statistical disclosure control for every published figure. Pure: no Django.

The method, in the order it is applied (shown to readers by `method_note`):

1. **Primary suppression**: any count from 1 to 4 (below the threshold, default 5) is hidden. Zero is shown:
   "nobody" discloses nothing about a person, and hiding zeros would hide where services reach no one.
2. **Secondary suppression**: a table publishes its totals, so one hidden cell in a row or column could be worked
   out by subtraction. Every line (a row or column with its total) that hides one value hides at least one more —
   the smallest non-zero value in that line. That is not always enough in a two-way table (a hidden cell can be a
   "bridge" whose value follows from the totals of one side of the table), so the hidden cells are also checked as
   a graph — lines are nodes, hidden cells are edges — and every hidden cell must lie on a cycle: then its value can
   move up or down with the others on the cycle while every published total stays true, so no published figure
   pins it down. A bridge is closed by hiding the smallest non-zero cell that completes a cycle.
3. **Rounding**: every published value (not the hidden ones) is rounded to the nearest 5, totals included, so
   published tables cannot be subtracted from one another to the exact person.

Hidden cells are only ever non-zero (primary: 1–4; secondary: chosen among non-zero values), which is what makes a
cycle enough: a value on a cycle can be nudged by one in either direction. The property tests in
`insights/tests/test_disclosure.py` check this with a linear programme over every generated table.

A table is described by its cells (keys → counts) and its *lines*: each line lists the member keys and names the
key of its total. A one-way table has one line; a two-way table has one line per row and per column, with the row
totals, column totals and grand total as keys of their own (each cell belongs to at most two lines).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

THRESHOLD = 5
ROUNDING_BASE = 5
METHOD_VERSION = "2026.1"

K = TypeVar("K", bound=Hashable)
_FREE = ("__free__",)  # the other end of a cell that belongs to only one line: no constraint there


@dataclass(frozen=True)
class Line:
    members: tuple[Hashable, ...]  # the cells that add up to `total` (the total is not among them)
    total: Hashable
    additive: bool = True  # False when one record can fall in several groups (strands, kinds): sums do not hold


@dataclass(frozen=True)
class Published:
    value: int | None
    suppressed: bool
    reason: str = ""  # "primary" | "secondary" | ""


@dataclass(frozen=True)
class Method:
    threshold: int = THRESHOLD
    rounding: int = ROUNDING_BASE

    def note(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "rounding": self.rounding,
            "zeros_shown": True,
            "secondary_suppression": True,
            "version": METHOD_VERSION,
            "text": method_text(self),
        }


def method_text(method: Method) -> str:
    return (
        f"To protect the people behind these figures, counts from 1 to {method.threshold - 1} are hidden and "
        f"shown as 'hidden'. Where one hidden count could be worked out from a total, at least one other count "
        f"is hidden too. Every other figure, totals included, is rounded to the nearest {method.rounding}, so "
        "rows may not add up exactly to their totals. Zero means no records."
    )


def round_to(value: int, base: int) -> int:
    if base <= 1:
        return value
    return int((value + base / 2) // base * base)


def one_way(counts: Mapping[str, int], *, total: int, additive: bool = True) -> tuple[dict[str, int], list[Line]]:
    """Cells and the single line of a one-way table with its total (key "total")."""
    cells = dict(counts)
    cells["total"] = total
    return cells, [Line(tuple(counts), "total", additive)]


def two_way(
    counts: Mapping[tuple[str, str], int], *, rows: Sequence[str], columns: Sequence[str]
) -> tuple[dict[tuple[str, str], int], list[Line]]:
    """Cells, margins ("total" row and column) and lines of a two-way table; every count is in one cell."""
    cells: dict[tuple[str, str], int] = {}
    for row in rows:
        for column in columns:
            cells[(row, column)] = int(counts.get((row, column), 0))
    for row in rows:
        cells[(row, "total")] = sum(cells[(row, c)] for c in columns)
    for column in columns:
        cells[("total", column)] = sum(cells[(r, column)] for r in rows)
    cells[("total", "total")] = sum(cells[(r, "total")] for r in rows)
    lines = [Line(tuple((row, c) for c in columns), (row, "total")) for row in rows]
    lines += [Line(tuple((r, column) for r in rows), ("total", column)) for column in columns]
    lines.append(Line(tuple((r, "total") for r in rows), ("total", "total")))
    lines.append(Line(tuple(("total", c) for c in columns), ("total", "total")))
    return cells, lines


def protect(cells: Mapping[K, int], lines: Iterable[Line], method: Method | None = None) -> dict[K, Published]:
    """Suppress and round one table. Returns every key (cells and totals) with its published value."""
    method = method or Method()
    lines = list(lines)
    values: dict[Hashable, int] = {key: int(value) for key, value in cells.items()}
    if any(value < 0 for value in values.values()):
        raise ValueError("Counts cannot be negative")
    reason: dict[Hashable, str] = {key: "primary" for key, value in values.items() if 0 < value < method.threshold}
    membership = _membership(values, lines)
    changed = True
    while changed:
        changed = _close_lines(values, lines, reason) | _close_bridges(values, membership, reason)
    return {
        key: Published(None, True, reason[key]) if key in reason else Published(round_to(value, method.rounding), False)
        for key, value in cells.items()
    }


def _membership(values: Mapping[Hashable, int], lines: list[Line]) -> dict[Hashable, tuple[object, object]]:
    """Each key's two ends in the line graph: the lines it belongs to (or the free end)."""
    ends: dict[Hashable, list[object]] = {key: [] for key in values}
    for index, line in enumerate(lines):
        for key in (*line.members, line.total):
            if key not in ends:
                raise KeyError(f"Line {index} names {key!r}, which is not a cell of the table")
            ends[key].append(index)
    out: dict[Hashable, tuple[object, object]] = {}
    for key, found in ends.items():
        if len(found) > 2:
            raise ValueError(f"{key!r} is in more than two lines; only one- and two-way tables are supported")
        padded = [*found, _FREE, _FREE][:2]
        out[key] = (padded[0], padded[1])
    return out


def _order(values: Mapping[Hashable, int], line: Line | None = None) -> list[Hashable]:
    """Candidates for secondary suppression: smallest non-zero first; cells before totals; stable."""
    keys = [*line.members, line.total] if line else list(values)
    totals = {line.total} if line else set()
    return sorted(
        (key for key in keys if values[key] > 0), key=lambda key: (key in totals, values[key], keys.index(key))
    )


def _close_lines(values: Mapping[Hashable, int], lines: list[Line], reason: dict[Hashable, str]) -> bool:
    changed = False
    for line in lines:
        keys = (*line.members, line.total)
        hidden = [key for key in keys if key in reason]
        if len(hidden) != 1:
            continue
        candidates = [key for key in _order(values, line) if key not in reason]
        if candidates:
            reason[candidates[0]] = "secondary"
        else:  # only where sums do not hold (one record in several groups): hide the whole line, to be safe
            for key in keys:
                if key not in reason and values[key] > 0:
                    reason[key] = "secondary"
        changed = True
    return changed


def _close_bridges(
    values: Mapping[Hashable, int], membership: Mapping[Hashable, tuple[object, object]], reason: dict[Hashable, str]
) -> bool:
    hidden = [key for key in membership if key in reason]
    for bridge in _bridges(hidden, membership):
        rest = [key for key in hidden if key != bridge]
        component = _components(rest, membership)
        u, v = membership[bridge]
        side_u, side_v = component.get(u, u), component.get(v, v)
        candidates = [
            key
            for key in _order(values)
            if key not in reason
            and {
                component.get(membership[key][0], membership[key][0]),
                component.get(membership[key][1], membership[key][1]),
            }
            == {side_u, side_v}
        ]
        if candidates:
            reason[candidates[0]] = "secondary"
        else:  # nothing closes the cycle: hide every non-zero value in the bridge's lines
            for key, ends in membership.items():
                if key not in reason and values[key] > 0 and set(ends) & {u, v} - {_FREE}:
                    reason[key] = "secondary"
        return True  # one at a time: the graph has changed
    return False


def _components(edges: list[Hashable], membership: Mapping[Hashable, tuple[object, object]]) -> dict[object, object]:
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for key in edges:
        a, b = membership[key]
        parent[find(a)] = find(b)
    return {node: find(node) for node in list(parent)}


def _bridges(edges: list[Hashable], membership: Mapping[Hashable, tuple[object, object]]) -> list[Hashable]:
    """Edges on no cycle (Tarjan's bridge-finding on a multigraph: parallel edges are cycles)."""
    adjacency: dict[object, list[tuple[object, int]]] = {}
    for index, key in enumerate(edges):
        a, b = membership[key]
        adjacency.setdefault(a, []).append((b, index))
        adjacency.setdefault(b, []).append((a, index))
    order: dict[object, int] = {}
    low: dict[object, int] = {}
    found: list[Hashable] = []
    counter = 0
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[object, int, int]] = [(root, -1, 0)]  # node, edge used to reach it, next neighbour index
        while stack:
            node, via, position = stack[-1]
            neighbours = adjacency[node]
            if position < len(neighbours):
                stack[-1] = (node, via, position + 1)
                target, edge = neighbours[position]
                if edge == via:
                    continue
                if target in order:
                    low[node] = min(low[node], order[target])
                else:
                    order[target] = low[target] = counter
                    counter += 1
                    stack.append((target, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(edges[via])
    return found
