"""Every input limit in one place (docs/configuration.md, "Input limits", lists them). Pure.

Hostile or absurd input must answer 400 with a message saying what to do, never 500 and never a stored absurdity:
a JSON body nested a thousand deep, a null byte PostgreSQL cannot store, a date in the year 1 or 9999, ten
thousand perpetrators, an "email address" that is a script.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# Request bodies (JSON API): bigger than any honest record (a 20,000-character account plus the rest).
REQUEST_BODY_MAX_BYTES = 1_000_000
# Honest JSON here nests 3 deep (incident → perpetrators → one perpetrator); 32 leaves room and stops recursion.
JSON_MAX_DEPTH = 32

# Lists in one record.
PERPETRATORS_MAX = 20
CHOICES_MAX = 20  # kinds, impacts, strands, wanted actions, other names…
IDS_MAX = 100  # incident ids in one police report, agencies at a panel…

# Dates. Nothing the partnership records happened before 1900 (dates of birth included).
EARLIEST_DATE = date(1900, 1, 1)
# Dates in the future (review a sharing decision, a task's due date): within five years.
FUTURE_HORIZON = timedelta(days=5 * 366)
# Nobody recorded here is older than 125.
OLDEST_AGE_YEARS = 125

# An email address: RFC 5322 dot-atom on both sides, so no quotes, brackets, colons or spaces (which is what
# `javascript:alert()//@x.example` needs), a dotted domain, and an address at most 254 characters.
EMAIL_MAX = 254
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL_RE = re.compile(
    rf"^{_ATEXT}(?:\.{_ATEXT})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}$"
)
# A phone number: UK (0… or +44…, 10 or 11 digits in all) or international (+ and 7 to 15 digits). Spaces,
# hyphens and brackets are allowed between digits, as people write them.
PHONE_MAX = 40
_UK_PHONE_RE = re.compile(r"^(?:0|\+44|0044)\d{9,10}$")
_INTERNATIONAL_PHONE_RE = re.compile(r"^\+[1-9]\d{6,14}$")


def has_null_byte(value: str) -> bool:
    return "\x00" in value


def json_value_problem(data: object) -> str | None:
    """Walk parsed JSON without recursion: too deep, or a null byte in any key or text. None when fine."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > JSON_MAX_DEPTH:
                return f"The JSON is nested more than {JSON_MAX_DEPTH} levels deep."
            if isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(key, str) and has_null_byte(key):
                        return NULL_BYTE_MESSAGE
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and has_null_byte(value):
            return NULL_BYTE_MESSAGE
    return None


NULL_BYTE_MESSAGE = "Text may not contain a null character (\\u0000)."


def email_is_valid(value: str) -> bool:
    value = value.strip()
    return len(value) <= EMAIL_MAX and bool(EMAIL_RE.match(value)) and ".." not in value.split("@")[0]


def phone_is_valid(value: str) -> bool:
    value = value.strip()
    if len(value) > PHONE_MAX or not re.fullmatch(r"[0-9 +()\-]+", value):
        return False
    compact = re.sub(r"[ ()\-]", "", value.replace("(0)", "", 1) if value.startswith("+44") else value)
    return bool(_UK_PHONE_RE.match(compact) or _INTERNATIONAL_PHONE_RE.match(compact))


def past_date_problem(value: date, *, today: date, what: str) -> str | None:
    """For dates that have happened (when something happened, a date of birth): 1900 to today."""
    if value > today:
        return f"{what} must be today or in the past"
    if value < EARLIEST_DATE:
        return f"{what} must be in or after 1900"
    return None


def birth_date_problem(value: date, *, today: date) -> str | None:
    if value > today:
        return "Date of birth must be in the past"
    if value < EARLIEST_DATE or value.year < today.year - OLDEST_AGE_YEARS:
        return f"Date of birth must be within the last {OLDEST_AGE_YEARS} years"
    return None


def future_date_problem(value: date, *, today: date, what: str, allow_today: bool = True) -> str | None:
    """For dates still to come (a review, a due date): from today (or tomorrow) to five years ahead."""
    if value < today or (value == today and not allow_today):
        return f"{what} must be {'today or ' if allow_today else ''}in the future"
    if value > today + FUTURE_HORIZON:
        return f"{what} must be within the next 5 years"
    return None
