"""Agency records as the agencies sent them: what is imperfect about each value, and the keys linkage compares.

Imported values are kept exactly as given. An impossible date ("31/02/1990") or a malformed postcode is flagged,
never corrected or dropped: the agency must be able to recognise its own record, and a flagged value still helps
linkage (an impossible date is usually a typo of a real one, which the date comparison forgives). Pure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from joinedup.people.domain.matching import NICKNAMES as PEOPLE_NICKNAMES

COLUMNS = (
    "source_id",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "postcode",
    "address",
    "phone",
    "email",
)
REQUIRED = ("source_id",)
NAME_COLUMNS = ("given_name", "family_name", "other_names")
MAX_LENGTHS = {
    "source_id": 100,
    "given_name": 200,
    "family_name": 200,
    "other_names": 500,
    "date_of_birth": 40,
    "postcode": 20,
    "address": 1000,
    "phone": 60,
    "email": 320,
}

# What each flag means, in the words the review page shows.
FLAG_LABELS = {
    "date_of_birth_impossible": "The date of birth is not a real date",
    "date_of_birth_unreadable": "The date of birth is not in a date format we can read",
    "date_of_birth_future": "The date of birth is in the future",
    "date_of_birth_too_old": "The date of birth is before 1900",
    "postcode_malformed": "The postcode is not in the UK format",
    "email_malformed": "The email address is not in the usual format",
    "phone_malformed": "The phone number has characters a phone number does not",
}

# Nickname → the formal name it stands for. The people app's list, extended with common variants of names
# given to women, which it lacks. A partnership can add its own community's variants here.
NICKNAMES: dict[str, str] = {
    **PEOPLE_NICKNAMES,
    "abby": "abigail",
    "abi": "abigail",
    "annie": "ann",
    "anne": "ann",
    "anna": "ann",
    "bella": "isabella",
    "izzy": "isabella",
    "isobel": "isabella",
    "cathy": "katherine",
    "kath": "katherine",
    "kathryn": "katherine",
    "kay": "katherine",
    "chrissie": "christine",
    "chris": "christopher",
    "ellie": "eleanor",
    "nell": "eleanor",
    "nora": "eleanor",
    "fran": "frances",
    "frankie": "frances",
    "gill": "gillian",
    "jill": "gillian",
    "jackie": "jacqueline",
    "jo": "joanne",
    "jojo": "joanne",
    "lou": "louise",
    "lulu": "louise",
    "maddie": "madeleine",
    "mags": "margaret",
    "molly": "mary",
    "polly": "mary",
    "pat": "patricia",
    "patty": "patricia",
    "trish": "patricia",
    "rosie": "rose",
    "sal": "sarah",
    "sally": "sarah",
    "sara": "sarah",
    "steph": "stephanie",
    "tess": "theresa",
    "terri": "theresa",
    "val": "valerie",
    "wendy": "gwendolen",
    "charlie": "charles",
    "chas": "charles",
    "chuck": "charles",
    "fred": "frederick",
    "freddie": "frederick",
    "frank": "francis",
    "gerry": "gerald",
    "harry": "henry",
    "hal": "henry",
    "jack": "john",
    "johnny": "john",
    "jon": "john",
    "ken": "kenneth",
    "kenny": "kenneth",
    "larry": "lawrence",
    "len": "leonard",
    "lenny": "leonard",
    "matt": "matthew",
    "nat": "nathaniel",
    "nate": "nathaniel",
    "nick": "nicholas",
    "olly": "oliver",
    "ollie": "oliver",
    "phil": "philip",
    "ray": "raymond",
    "reg": "reginald",
    "ron": "ronald",
    "ronnie": "ronald",
    "russ": "russell",
    "stan": "stanley",
    "terry": "terence",
    "tim": "timothy",
    "timmy": "timothy",
    "vince": "vincent",
    "wally": "walter",
    "zak": "zachary",
    "zach": "zachary",
}

DATE_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
DATE_UK_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9 +()-]{6,30}$")
NON_LETTERS = re.compile(r"[^a-z ]+")
NON_ALNUM = re.compile(r"[^A-Z0-9]")
ADDRESS_NOISE = re.compile(r"[^a-z0-9 ]+")
ADDRESS_WORDS = {
    "road": "rd",
    "street": "st",
    "avenue": "ave",
    "lane": "ln",
    "close": "cl",
    "drive": "dr",
    "court": "ct",
    "place": "pl",
    "flat": "",
    "apartment": "",
}
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"})


@dataclass(frozen=True)
class DateReading:
    """A date of birth as given, read into the key linkage compares ("YYYY-MM-DD", even when the date is
    impossible: "1990-02-31" still matches a record with "1990-02-13") and what is wrong with it."""

    key: str
    flag: str


def read_date(text: str, *, today: date) -> DateReading:
    if not text.strip():
        return DateReading("", "")
    found = DATE_ISO_RE.match(text)
    if found:
        year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3))
    else:
        found = DATE_UK_RE.match(text)
        if not found:
            return DateReading("", "date_of_birth_unreadable")
        day, month, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    key = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        real = date(year, month, day)
    except ValueError:
        return DateReading(key, "date_of_birth_impossible")
    if real > today:
        return DateReading(key, "date_of_birth_future")
    if year < 1900:
        return DateReading(key, "date_of_birth_too_old")
    return DateReading(key, "")


def postcode_key(text: str) -> str:
    return NON_ALNUM.sub("", text.upper())


def flags_for(row: dict[str, str], *, today: date) -> list[str]:
    """What is imperfect about a record's values (kept as given; the flags travel with the record)."""
    flags = []
    dob = read_date(row.get("date_of_birth", ""), today=today)
    if dob.flag:
        flags.append(dob.flag)
    postcode = row.get("postcode", "")
    if postcode.strip() and not POSTCODE_RE.match(postcode_key(postcode)):
        flags.append("postcode_malformed")
    email = row.get("email", "").strip()
    if email and not EMAIL_RE.match(email):
        flags.append("email_malformed")
    phone = row.get("phone", "").strip()
    if phone and not PHONE_RE.match(phone):
        flags.append("phone_malformed")
    return flags


def row_problem(row: dict[str, str]) -> tuple[str, str] | None:
    """The first thing that stops a row being imported at all, as (field, message); None if it can be."""
    if not row.get("source_id", "").strip():
        return "source_id", "is empty: every record needs the agency's own identifier"
    if not any(row.get(column, "").strip() for column in NAME_COLUMNS):
        return "given_name", "no name given: a record needs at least one of given_name, family_name, other_names"
    for column, limit in MAX_LENGTHS.items():
        if len(row.get(column, "")) > limit:
            return column, f"is longer than {limit} characters"
    for column, value in row.items():
        if "\x00" in value:
            return column, "contains a null character"
    return None


def fold(text: str) -> str:
    """Lower case, accents removed, letters and single spaces, no titles."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = NON_LETTERS.sub(" ", text.replace("-", "").replace("'", "").replace("\u2019", ""))
    return " ".join(word for word in text.split() if word not in TITLES)


def first_word(text: str) -> str:
    words = fold(text).split()
    return words[0] if words else ""


def last_word(text: str) -> str:
    words = fold(text).split()
    return words[-1] if words else ""


def formal_name(given: str) -> str:
    """The formal name a first name stands for ("Bob" → "robert"), or the folded name itself."""
    return NICKNAMES.get(given, given)


def address_key(text: str) -> str:
    """An address in the form compared: lower case, punctuation gone, common street words abbreviated."""
    words = ADDRESS_NOISE.sub(" ", text.lower()).split()
    return " ".join(filter(None, (ADDRESS_WORDS.get(word, word) for word in words)))


def phone_key(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 9 else ""
