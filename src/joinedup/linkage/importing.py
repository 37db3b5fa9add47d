"""Reading an agency's CSV file of people for import: every row checked before anything is written.

A file with one bad row imports nothing and the error names the line and the field. Imperfect values that can be
kept (an impossible date, a malformed postcode) are not errors: they are kept as given and flagged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from joinedup.linkage.domain.records import COLUMNS, NAME_COLUMNS, flags_for, row_problem

# Field sizes beyond the csv module's default: an address column can legitimately be long.
csv.field_size_limit(1 << 20)


class ImportProblem(Exception):
    """Why a file cannot be imported, with the line and field when one row is at fault."""

    def __init__(self, message: str, *, line: int | None = None, field: str = "") -> None:
        self.line, self.field = line, field
        where = f"Line {line}, {field}: " if line is not None and field else (f"Line {line}: " if line else "")
        super().__init__(f"{where}{message}")


@dataclass(frozen=True)
class ParsedFile:
    rows: list[tuple[str, ...]]  # in COLUMNS order
    flags: list[list[str]]
    flagged: int


def read_people_csv(path: Path, *, today: date, on_row: Callable[[int], object] | None = None) -> ParsedFile:
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except FileNotFoundError as missing:
        raise ImportProblem(f"There is no file at {path}.") from missing
    except IsADirectoryError as folder:
        raise ImportProblem(f"{path} is a folder, not a CSV file.") from folder
    with handle:
        try:
            return _read(handle, today=today, on_row=on_row)
        except UnicodeDecodeError as bad:
            raise ImportProblem("The file is not UTF-8 text: save it as CSV UTF-8 and try again.") from bad
        except csv.Error as bad:
            raise ImportProblem(f"The file is not a readable CSV file ({bad}).") from bad


def _read(handle: io.TextIOBase, *, today: date, on_row: Callable[[int], object] | None) -> ParsedFile:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise ImportProblem("The file is empty: the first line must name the columns.")
    names = [name.strip().lower() for name in header]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise ImportProblem(
            f"Unknown column '{unknown[0]}'. The columns are: {', '.join(COLUMNS)}.", line=1, field=unknown[0]
        )
    if len(set(names)) != len(names):
        repeated = next(name for name in names if names.count(name) > 1)
        raise ImportProblem(f"The column '{repeated}' appears twice.", line=1, field=repeated)
    if "source_id" not in names:
        raise ImportProblem("The file has no source_id column.", line=1, field="source_id")
    if not any(name in names for name in NAME_COLUMNS):
        raise ImportProblem("The file needs a given_name, family_name or other_names column.", line=1)
    positions = [names.index(column) if column in names else -1 for column in COLUMNS]
    rows: list[tuple[str, ...]] = []
    flags: list[list[str]] = []
    seen: dict[str, int] = {}
    flagged = 0
    width = len(names)
    for values in reader:
        line = reader.line_num
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # a blank line
        if len(values) != width:
            raise ImportProblem(
                f"has {len(values)} values but the header names {width} columns.", line=line, field="row"
            )
        row = {column: (values[i] if i >= 0 else "") for column, i in zip(COLUMNS, positions, strict=True)}
        problem = row_problem(row)
        if problem:
            raise ImportProblem(problem[1], line=line, field=problem[0])
        source_id = row["source_id"].strip()
        if source_id in seen:
            raise ImportProblem(
                f"'{source_id}' was already used on line {seen[source_id]}.", line=line, field="source_id"
            )
        seen[source_id] = line
        row["source_id"] = source_id
        row_flags = flags_for(row, today=today)
        flagged += bool(row_flags)
        rows.append(tuple(row[column] for column in COLUMNS))
        flags.append(row_flags)
        if on_row is not None and len(rows) % 10_000 == 0:
            on_row(10_000)
    if on_row is not None:
        on_row(len(rows) % 10_000)
    if not rows:
        raise ImportProblem("The file has a header but no records.")
    return ParsedFile(rows=rows, flags=flags, flagged=flagged)
