"""Anonymous, yet two-way: the rules for the reference, the passphrase, the messages, coming forward by name,
and how often anyone may try (pure, table-tested in followup/tests/test_rules.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The reference alphabet leaves out 0/O and 1/I: it is read aloud and copied from paper (as incidents' codes).
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8

# A passphrase is something the person can remember and type again on another device: a few words are easier
# than a short jumble, and longer is stronger. It is never sent to them, so nothing else can bring it back.
PASSPHRASE_MIN = 10
PASSPHRASE_MAX = 100
MESSAGE_MAX = 5_000
NAME_MAX = 200
CONTACT_MAX = 300

PASSPHRASE_RULES = (
    f"Use at least {PASSPHRASE_MIN} letters, numbers or spaces. Three or four words you will remember are good, "
    "for example blue kettle river song."
)

# Words that are first tried by anyone guessing: a passphrase made only of these is refused.
_GUESSED_FIRST = {"password", "passphrase", "letmein", "qwerty", "abc123", "123456", "iloveyou", "secret"}


def normalise_reference(raw: str) -> str:
    """What was typed, as the reference is stored: capitals, no spaces, one dash in the middle. Zero and one are
    read as the letters O and I are not in the alphabet, so they stay (and simply do not match)."""
    compact = re.sub(r"[\s\-]", "", raw or "").upper()
    if len(compact) != REFERENCE_LENGTH:
        return compact
    return f"{compact[:4]}-{compact[4:]}"


def reference_well_formed(reference: str) -> bool:
    compact = reference.replace("-", "")
    return len(compact) == REFERENCE_LENGTH and all(c in REFERENCE_ALPHABET for c in compact)


def normalise_passphrase(raw: str) -> str:
    """Spaces at either end and runs of spaces do not count, so a phrase typed again on a phone still matches.
    Capitals do count: they are part of what the person chose."""
    return " ".join((raw or "").split())


def passphrase_problems(raw: str, *, reference: str = "") -> list[str]:
    """Every problem with a chosen passphrase, in plain words (empty when it may be used)."""
    phrase = normalise_passphrase(raw)
    if not phrase:
        return ["Enter a passphrase"]
    problems = []
    if len(phrase) < PASSPHRASE_MIN:
        problems.append(f"Your passphrase must be at least {PASSPHRASE_MIN} characters long")
    elif len(phrase) > PASSPHRASE_MAX:
        problems.append(f"Your passphrase must be {PASSPHRASE_MAX} characters or fewer")
    compact = phrase.replace(" ", "").lower()
    if phrase and len(set(compact)) <= 2:
        problems.append("Your passphrase must not be the same letter or number again and again")
    elif compact in _GUESSED_FIRST or (compact.rstrip("0123456789") in _GUESSED_FIRST):
        problems.append("Your passphrase is too easy to guess. Use words only you would think of")
    if reference and reference.replace("-", "").lower() in compact:
        problems.append("Your passphrase must not include your reference")
    return problems


def message_problems(text: str) -> list[str]:
    if not (text or "").strip():
        return ["Enter your message"]
    if len(text) > MESSAGE_MAX:
        return [f"Your message must be {MESSAGE_MAX:,} characters or fewer"]
    return []


WHO_COMES_FORWARD = ("person", "advocate", "practitioner")


@dataclass(frozen=True)
class Named:
    """What a reporter gives when they choose to become named: who they are and one safe way to reach them.
    `who` is asked only where the report did not already say who told it (a harm report made anonymously)."""

    name: str
    phone: str = ""
    email: str = ""
    contact_notes: str = ""
    who: str = ""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d ()-]{6,20}$")


def named_problems(named: Named, *, asks_who: bool) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not named.name.strip():
        problems["name"] = ["Enter your name"]
    elif len(named.name) > NAME_MAX:
        problems["name"] = [f"Your name must be {NAME_MAX} characters or fewer"]
    phone, email = named.phone.strip(), named.email.strip()
    if not phone and not email:
        problems["phone"] = ["Enter a phone number or an email address, so we can get in touch"]
    if phone and not _PHONE.match(phone):
        problems["phone"] = ["Enter a phone number, like 07700 900 982"]
    if email and (not _EMAIL.match(email) or len(email) > 254):
        problems["email"] = ["Enter an email address, like name@example.com"]
    if len(named.contact_notes) > CONTACT_MAX:
        problems["contact_notes"] = [f"This must be {CONTACT_MAX} characters or fewer"]
    if asks_who and named.who not in WHO_COMES_FORWARD:
        problems["who"] = ["Say who you are"]
    return problems


@dataclass(frozen=True)
class Window:
    """At most `limit` in each fixed window of `seconds`, counted in the shared cache across every worker."""

    limit: int
    seconds: int


# Wrong guesses at one reference, from anywhere: a person who mistypes a few times waits a quarter of an hour;
# someone guessing gets 20 tries an hour at a phrase of 10 characters or more.
PER_REFERENCE = Window(limit=5, seconds=15 * 60)
# Every try from one address (right or wrong, any reference): stops one place walking through references.
PER_ADDRESS = Window(limit=30, seconds=60 * 60)


# Messages from the reporter on one report: enough for any conversation, not a flood into the hub's day.
REPLIES = Window(limit=20, seconds=60 * 60)


def refused(count: int, window: Window) -> bool:
    """Whether a further try is refused, `count` tries having been used in this window."""
    return count >= window.limit


def retry_after(now: float, window: Window) -> int:
    """Seconds until the current fixed window ends (what a refused client is told to wait), at least 1."""
    return max(1, window.seconds - int(now % window.seconds))
