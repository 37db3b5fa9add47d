"""Is this the same person? Fuzzy matching on name, date of birth and postcode — pure rules.

People are known to several agencies under slightly different names and addresses (domain.md §9): "Bob" at
the GP, "Robert" at housing, a typo in A&E, no date of birth from a charity. Matching suggests; a practitioner
decides. Every score carries the reasons behind it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import JaroWinkler, Levenshtein

MATCHING_VERSION = "2026.1"
# Suggestions below this are not shown; at or above STRONG the page says "likely the same person".
SHOW_THRESHOLD = 0.6
STRONG_THRESHOLD = 0.85

WEIGHTS = {"family_name": 0.35, "given_name": 0.25, "date_of_birth": 0.25, "postcode": 0.15}

# Common English given-name variants; a partnership can extend it.
NICKNAMES: dict[str, str] = {
    "bob": "robert",
    "rob": "robert",
    "robbie": "robert",
    "bobby": "robert",
    "bill": "william",
    "will": "william",
    "billy": "william",
    "liam": "william",
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "mike": "michael",
    "mick": "michael",
    "mikey": "michael",
    "dave": "david",
    "davy": "david",
    "steve": "stephen",
    "stevie": "stephen",
    "steven": "stephen",
    "tony": "anthony",
    "ant": "anthony",
    "chris": "christopher",
    "kit": "christopher",
    "tom": "thomas",
    "tommy": "thomas",
    "dan": "daniel",
    "danny": "daniel",
    "joe": "joseph",
    "joey": "joseph",
    "sam": "samuel",
    "sammy": "samuel",
    "ben": "benjamin",
    "benny": "benjamin",
    "alex": "alexander",
    "sandy": "alexander",
    "andy": "andrew",
    "drew": "andrew",
    "pete": "peter",
    "rick": "richard",
    "rich": "richard",
    "dick": "richard",
    "richie": "richard",
    "ted": "edward",
    "ed": "edward",
    "eddie": "edward",
    "ned": "edward",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "lizzie": "elizabeth",
    "betty": "elizabeth",
    "eliza": "elizabeth",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "cath": "katherine",
    "catherine": "katherine",
    "jen": "jennifer",
    "jenny": "jennifer",
    "sue": "susan",
    "susie": "susan",
    "maggie": "margaret",
    "meg": "margaret",
    "peggy": "margaret",
    "debbie": "deborah",
    "deb": "deborah",
    "mandy": "amanda",
    "becky": "rebecca",
    "becca": "rebecca",
    "vicky": "victoria",
    "vic": "victoria",
    "jess": "jessica",
    "jessie": "jessica",
    "nicky": "nicola",
    "nikki": "nicola",
    "mo": "mohammed",
    "mohammad": "mohammed",
    "muhammad": "mohammed",
    "mohamed": "mohammed",
}

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"}


def fold(text: str) -> str:
    """Lower case, no accents, letters and single spaces only."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z ]+", " ", text.lower())
    return " ".join(word for word in text.split() if word not in TITLES)


def name_key(text: str) -> str:
    """The form names are indexed and compared in: folded, with hyphens and apostrophes closed up."""
    return fold(text.replace("-", "").replace("'", "").replace("’", ""))


def given_key(text: str) -> str:
    words = name_key(text).split()
    first = words[0] if words else ""
    return NICKNAMES.get(first, first)


def postcode_key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def outward_code(text: str) -> str:
    """The part of a UK postcode before the space: it names a district, so near neighbours share it."""
    key = postcode_key(text)
    return key[:-3] if len(key) >= 5 else ""


@dataclass(frozen=True)
class Identity:
    given_name: str = ""
    family_name: str = ""
    other_names: tuple[str, ...] = ()
    date_of_birth: date | None = None
    postcode: str = ""


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return self.score >= STRONG_THRESHOLD


def _name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler forgives typos but over-rewards a shared start ("Smith" ~ "Smithson"); averaging it with
    normalised edit distance keeps one-letter slips close and different names apart."""
    if not a or not b:
        return 0.0
    return (float(JaroWinkler.similarity(a, b)) + float(Levenshtein.normalized_similarity(a, b))) / 2


def _family(query: Identity, candidate: Identity) -> tuple[float | None, str]:
    q = name_key(query.family_name)
    if not q:
        return None, ""
    names = [candidate.family_name, *candidate.other_names]
    best = max((_name_similarity(q, name_key(n.split()[-1] if n.split() else n)) for n in names if n), default=0.0)
    if best >= 0.99:
        return 1.0, "same family name"
    if best >= 0.82:  # one letter different in a short name ("Smyth", "Smith") is about 0.85
        return best, "similar family name"
    return best * 0.5, ""


def _given(query: Identity, candidate: Identity) -> tuple[float | None, str]:
    q = given_key(query.given_name)
    if not q:
        return None, ""
    candidates = [given_key(candidate.given_name), *(given_key(n) for n in candidate.other_names)]
    if q in candidates:
        same_spelling = name_key(query.given_name).split()[:1] == name_key(candidate.given_name).split()[:1]
        return 1.0, "same given name" if same_spelling else "given name is a known variant"
    best = max((_name_similarity(q, c) for c in candidates if c), default=0.0)
    if best >= 0.88:
        return best, "similar given name"
    if candidates[0] and q[0] == candidates[0][0]:
        return 0.5, "same initial"
    return best * 0.4, ""


def _dob(query: Identity, candidate: Identity) -> tuple[float | None, str]:
    q, c = query.date_of_birth, candidate.date_of_birth
    if q is None or c is None:
        return None, ""
    if q == c:
        return 1.0, "same date of birth"
    if q.year == c.year and q.month == c.day and q.day == c.month:
        return 0.8, "date of birth with day and month swapped"
    if q.month == c.month and q.day == c.day and abs(q.year - c.year) <= 1:
        return 0.7, "date of birth a year apart"
    if q.year == c.year and (q.month == c.month or q.day == c.day):
        return 0.5, "date of birth close"
    return 0.0, "different date of birth"


def _postcode(query: Identity, candidate: Identity) -> tuple[float | None, str]:
    q, c = postcode_key(query.postcode), postcode_key(candidate.postcode)
    if not q or not c:
        return None, ""
    if q == c:
        return 1.0, "same postcode"
    if outward_code(q) and outward_code(q) == outward_code(c):
        return 0.6, "same postcode district"
    return 0.0, ""


def score(query: Identity, candidate: Identity) -> Match:
    """Weighted agreement over the fields both records have. Fields missing on either side count neither for
    nor against, but a score from fewer than two fields is capped: a name alone is not a match."""
    parts = {
        "family_name": _family(query, candidate),
        "given_name": _given(query, candidate),
        "date_of_birth": _dob(query, candidate),
        "postcode": _postcode(query, candidate),
    }
    known = {field: value for field, (value, _) in parts.items() if value is not None}
    if not known:
        return Match(0.0, ())
    total_weight = sum(WEIGHTS[f] for f in known)
    value = sum(WEIGHTS[f] * v for f, v in known.items()) / total_weight
    if len(known) < 2:
        value = min(value, 0.5)
    if parts["date_of_birth"][1] == "different date of birth":
        value = min(value, 0.55)
    reasons = tuple(reason for _, reason in parts.values() if reason)
    return Match(round(value, 3), reasons)
