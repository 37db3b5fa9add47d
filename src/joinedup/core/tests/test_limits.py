"""The input limits (core/domain/limits.py), as tables. Sources: issue 19's findings (hostile input that used to
answer 500 or be stored), RFC 5322 §3.2.3 (dot-atom text), Ofcom's UK numbering plan (10 or 11 digits)."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.core.domain import limits

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("name@example.com", True, id="plain address"),
        pytest.param("first.last+tag@mail.eastmere.example", True, id="dots and plus (RFC 5322 dot-atom)"),
        pytest.param("javascript:alert()//@x.example", False, id="issue 19: script as local part"),
        pytest.param("a b@example.com", False, id="space"),
        pytest.param("name@localhost", False, id="no dotted domain"),
        pytest.param("a..b@example.com", False, id="two dots in a row (RFC 5322)"),
        pytest.param('"quoted"@example.com', False, id="quoted local part refused (never needed here)"),
        pytest.param("x" * 250 + "@example.com", False, id="longer than 254 (RFC 5321)"),
    ],
)
def test_email(value: str, valid: bool) -> None:
    assert limits.email_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("01632 960 001", True, id="UK landline (Ofcom drama range)"),
        pytest.param("07700 900 982", True, id="UK mobile (Ofcom drama range)"),
        pytest.param("+44 7700 900982", True, id="+44"),
        pytest.param("+44(0)1632 960001", True, id="+44 (0) as people write it"),
        pytest.param("(01632) 960001", True, id="brackets around the area code"),
        pytest.param("+33 1 23 45 67 89", True, id="international"),
        pytest.param("999", False, id="too short"),
        pytest.param("0163296000112345", False, id="too long for the UK plan"),
        pytest.param("call me", False, id="words"),
        pytest.param("<script>", False, id="markup"),
    ],
)
def test_phone(value: str, valid: bool) -> None:
    assert limits.phone_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param(date(2026, 11, 29), None, id="today"),
        pytest.param(date(1900, 1, 1), None, id="1900"),
        pytest.param(date(1, 1, 1), "in or after 1900", id="issue 19: 0001-01-01"),
        pytest.param(date(9999, 12, 31), "today or in the past", id="9999"),
    ],
)
def test_past_dates(value: date, problem: str | None) -> None:
    found = limits.past_date_problem(value, today=TODAY, what="The date")
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param(date(2026, 11, 30), None, id="tomorrow"),
        pytest.param(date(2031, 11, 29), None, id="five years"),
        pytest.param(date(9999, 12, 31), "within the next 5 years", id="issue 19: review_on 9999-12-31"),
        pytest.param(date(2026, 11, 28), "in the future", id="yesterday"),
    ],
)
def test_future_dates(value: date, problem: str | None) -> None:
    found = limits.future_date_problem(value, today=TODAY, what="The review date", allow_today=False)
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param(date(1950, 5, 1), True, id="plausible"),
        pytest.param(date(1890, 1, 1), False, id="before 1900"),
        pytest.param(date(2027, 1, 1), False, id="future"),
    ],
)
def test_birth_dates(value: date, ok: bool) -> None:
    assert (limits.birth_date_problem(value, today=TODAY) is None) is ok


def nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param({"a": [1, {"b": "c"}]}, None, id="ordinary"),
        pytest.param(nested(limits.JSON_MAX_DEPTH), None, id="at the limit"),
        pytest.param(nested(limits.JSON_MAX_DEPTH + 1), "nested", id="one deeper"),
        pytest.param(nested(5000), "nested", id="issue 19: thousands deep, no recursion"),
        pytest.param({"q": "a\x00b"}, "null", id="issue 19: null byte in text"),
        pytest.param({"a\x00": 1}, "null", id="null byte in a key"),
    ],
)
def test_json_values(value: object, problem: str | None) -> None:
    found = limits.json_value_problem(value)
    assert (found is None) if problem is None else (problem in (found or ""))
