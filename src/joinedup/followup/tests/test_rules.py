"""The follow-up's rules as tables: references as typed, passphrase rules, messages, coming forward by name,
and the rate-limit windows (followup/domain/rules.py)."""

from __future__ import annotations

import pytest

from joinedup.followup.domain.rules import (
    PER_ADDRESS,
    PER_REFERENCE,
    REPLIES,
    Named,
    Window,
    message_problems,
    named_problems,
    normalise_passphrase,
    normalise_reference,
    passphrase_problems,
    reference_well_formed,
    refused,
    retry_after,
)

REFERENCES = [
    ("as shown", "K7QP-3XMW", "K7QP-3XMW"),
    ("small letters", "k7qp-3xmw", "K7QP-3XMW"),
    ("no dash", "K7QP3XMW", "K7QP-3XMW"),
    ("spaces, read aloud", " k7qp 3xmw ", "K7QP-3XMW"),
    ("too short stays as typed (and matches nothing)", "K7QP", "K7QP"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("case", "typed", "stored"), REFERENCES, ids=[r[0] for r in REFERENCES])
def test_references_as_typed(case: str, typed: str, stored: str) -> None:
    assert normalise_reference(typed) == stored


@pytest.mark.parametrize(
    ("reference", "ok"),
    [("K7QP-3XMW", True), ("K7QP-3XM0", False), ("K7QP-3XM", False), ("I1O0-ABCD", False)],
)
def test_well_formed_references_use_the_read_aloud_alphabet(reference: str, ok: bool) -> None:
    assert reference_well_formed(reference) is ok


PASSPHRASES = [
    ("three words", "blue kettle river", "", []),
    ("ten characters exactly", "abcdefgh12", "", []),
    ("empty", "   ", "", ["Enter a passphrase"]),
    ("too short", "kettle", "", ["Your passphrase must be at least 10 characters long"]),
    ("spaces do not make it longer", "  ket  tle   ", "", ["Your passphrase must be at least 10 characters long"]),
    ("too long", "a b c " * 40, "", ["Your passphrase must be 100 characters or fewer"]),
    ("one letter again", "aaaaaaaaaaaa", "", ["Your passphrase must not be the same letter or number again and again"]),
    (
        "two letters again",
        "abababababab",
        "",
        ["Your passphrase must not be the same letter or number again and again"],
    ),
    ("guessed first", "password123", "", ["Your passphrase is too easy to guess. Use words only you would think of"]),
    (
        "guessed first, in capitals",
        "LetMeIn2024",
        "",
        ["Your passphrase is too easy to guess. Use words only you would think of"],
    ),
    ("holds the reference", "my k7qp3xmw code", "K7QP-3XMW", ["Your passphrase must not include your reference"]),
]


@pytest.mark.parametrize(("case", "phrase", "reference", "problems"), PASSPHRASES, ids=[p[0] for p in PASSPHRASES])
def test_passphrase_rules(case: str, phrase: str, reference: str, problems: list[str]) -> None:
    assert passphrase_problems(phrase, reference=reference) == problems


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("blue kettle river", "blue kettle river"), ("  blue   kettle river ", "blue kettle river"), ("Blue", "Blue")],
)
def test_spaces_do_not_count_but_capitals_do(typed: str, kept: str) -> None:
    assert normalise_passphrase(typed) == kept


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Yes, every night.", []),
        ("", ["Enter your message"]),
        ("   ", ["Enter your message"]),
        ("x" * 5001, ["Your message must be 5,000 characters or fewer"]),
        ("x" * 5000, []),
    ],
)
def test_message_rules(text: str, problems: list[str]) -> None:
    assert message_problems(text) == problems


NAMED = [
    ("name and phone", Named(name="Sam Lee", phone="07700 900982"), False, {}),
    ("name and email", Named(name="Sam Lee", email="sam@example.com"), False, {}),
    ("international phone", Named(name="Sam", phone="+44 (0)7700 900982"), False, {}),
    ("no name", Named(name=" ", phone="07700 900982"), False, {"name": ["Enter your name"]}),
    (
        "no way to reach them",
        Named(name="Sam Lee"),
        False,
        {"phone": ["Enter a phone number or an email address, so we can get in touch"]},
    ),
    ("not a phone", Named(name="Sam", phone="call me"), False, {"phone": ["Enter a phone number, like 07700 900 982"]}),
    (
        "not an email",
        Named(name="Sam", email="sam at home"),
        False,
        {"email": ["Enter an email address, like name@example.com"]},
    ),
    ("who asked and not said", Named(name="Sam", phone="07700 900982"), True, {"who": ["Say who you are"]}),
    ("who asked and said", Named(name="Sam", phone="07700 900982", who="practitioner"), True, {}),
    ("who not a choice", Named(name="Sam", phone="07700 900982", who="anonymous"), True, {"who": ["Say who you are"]}),
]


@pytest.mark.parametrize(("case", "named", "asks_who", "problems"), NAMED, ids=[n[0] for n in NAMED])
def test_coming_forward_by_name(case: str, named: Named, asks_who: bool, problems: dict[str, list[str]]) -> None:
    assert named_problems(named, asks_who=asks_who) == problems


WINDOWS = [
    ("per reference: the fifth wrong try is allowed", PER_REFERENCE, 4, False),
    ("per reference: after five wrong, refused", PER_REFERENCE, 5, True),
    ("per address: the thirtieth try is allowed", PER_ADDRESS, 29, False),
    ("per address: after thirty, refused", PER_ADDRESS, 30, True),
    ("messages: the twentieth is allowed", REPLIES, 19, False),
    ("messages: after twenty in an hour, refused", REPLIES, 20, True),
]


@pytest.mark.parametrize(("case", "window", "used", "is_refused"), WINDOWS, ids=[w[0] for w in WINDOWS])
def test_rate_limit_windows(case: str, window: Window, used: int, is_refused: bool) -> None:
    assert refused(used, window) is is_refused


def test_the_windows_are_as_documented() -> None:
    assert (PER_REFERENCE.limit, PER_REFERENCE.seconds) == (5, 900)
    assert (PER_ADDRESS.limit, PER_ADDRESS.seconds) == (30, 3600)


RETRY = [
    ("at the start of a window: all of it", 900.0, PER_REFERENCE, 900),
    ("a minute in", 960.0, PER_REFERENCE, 840),
    ("the last second: at least one", 1799.5, PER_REFERENCE, 1),
    ("an hour's window", 3600.0 * 5 + 600, PER_ADDRESS, 3000),
]


@pytest.mark.parametrize(("case", "now", "window", "seconds"), RETRY, ids=[r[0] for r in RETRY])
def test_retry_after_is_the_rest_of_the_window(case: str, now: float, window: Window, seconds: int) -> None:
    assert retry_after(now, window) == seconds
