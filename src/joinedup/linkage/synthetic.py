"""A synthetic partnership: the same people known to several agencies under slightly different details.

Used by the accuracy benchmark, the end-to-end test and the demo files. Each person has a heavy-tailed number of
records (most are known to one agency, a few to many), spread over the partnership's agencies, and each record
carries the mistakes real records carry: typos, nicknames, married names, day and month swapped, a digit wrong,
an old address after a move, missing fields and unreadable formats. People are grouped into households whose
members share a family name, an address and a postcode but are different people. Every record keeps the id of the
person it belongs to (`person`), which is the truth the benchmark scores against. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from joinedup.linkage.domain.records import COLUMNS, NICKNAMES

FORMAL_GIVEN = sorted(
    set(NICKNAMES.values())
    | {
        "olivia",
        "amelia",
        "isla",
        "ava",
        "mia",
        "grace",
        "sophia",
        "lily",
        "freya",
        "emily",
        "ivy",
        "ella",
        "rosie",
        "evie",
        "florence",
        "poppy",
        "charlotte",
        "willow",
        "sienna",
        "harper",
        "noah",
        "oscar",
        "leo",
        "arthur",
        "muhammad",
        "george",
        "theodore",
        "archie",
        "jacob",
        "lucas",
        "finley",
        "reuben",
        "aisha",
        "fatima",
        "zainab",
        "priya",
        "anika",
        "ravi",
        "arjun",
        "kwame",
        "ama",
        "kofi",
        "chloe",
        "megan",
        "lauren",
        "bethany",
        "hannah",
        "leah",
        "paige",
        "shannon",
        "jade",
        "kirsty",
        "gemma",
        "dean",
        "wayne",
        "craig",
        "lee",
        "gary",
        "darren",
        "carl",
        "neil",
        "paul",
        "mark",
        "sean",
        "ryan",
        "jordan",
        "kyle",
        "liam",
        "connor",
        "callum",
        "ewan",
        "iain",
        "agnieszka",
        "piotr",
        "tomasz",
        "marta",
        "katarzyna",
        "ion",
        "elena",
        "andrei",
        "mihai",
        "ioana",
        "yusuf",
        "omar",
        "ali",
        "hassan",
        "ibrahim",
        "samira",
        "leila",
        "nadia",
        "tariq",
        "imran",
        "bilal",
        "sana",
        "hina",
    }
)
NICKNAMES_OF: dict[str, list[str]] = {}
for _nick, _formal in NICKNAMES.items():
    NICKNAMES_OF.setdefault(_formal, []).append(_nick)

COMMON_SURNAMES = [
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "kowalski",
    "nowak",
    "wisniewski",
    "popescu",
    "ionescu",
    "okafor",
    "mensah",
    "osei",
    "ahmed",
    "rahman",
]
ONSETS = [
    "b",
    "br",
    "c",
    "ch",
    "cr",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "th",
    "tr",
    "v",
    "w",
    "y",
    "z",
]
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou", "ay", "ow"]
CODAS = ["", "n", "r", "l", "s", "t", "m", "ck", "ng", "rd", "ld", "nd", "st", "th"]
ENDINGS = ["", "", "son", "ton", "ley", "by", "well", "field", "worth", "man", "er", "ett", "ford", "ham", "wick"]
STREETS = [
    "High",
    "Church",
    "Station",
    "Victoria",
    "Park",
    "Mill",
    "Queen",
    "King",
    "New",
    "Green",
    "Manor",
    "Grange",
    "Albert",
    "Chapel",
    "Bridge",
    "Market",
    "School",
    "York",
    "West",
    "North",
    "South",
    "Elm",
    "Oak",
    "Ash",
    "Cedar",
    "Willow",
    "Beech",
    "Maple",
    "Orchard",
    "Meadow",
    "River",
    "Canal",
    "Castle",
    "Abbey",
    "Windsor",
    "Stanley",
    "Alexandra",
    "Springfield",
    "Highfield",
    "Brook",
    "Hawthorn",
    "Rose",
]
STREET_KINDS = ["Road", "Street", "Avenue", "Lane", "Close", "Drive", "Court", "Place", "Way", "Gardens"]
TOWNS = ["Eastmere", "Riverside", "Northfield", "Westbrook", "Southgate", "Millford", "Oakley", "Ashby"]
AREAS = ["EM", "RV", "NF", "WB", "SG", "MF", "OK", "AB"]
# The demo partnership's agencies (demo_data), so generated files import into the demo as they are.
AGENCIES = [
    "castle-street-surgery",
    "eastmere-council-asc",
    "eastmere-fire",
    "eastmere-hospitals",
    "voiceability-eastmere",
    "eastmere-mental-health",
    "eastmere-police",
    "eastmere-victim-support",
    "millbrook-health-centre",
    "open-minds-peer-group",
    "riverside-homes",
]


@dataclass
class Truth:
    """One real person and the home they live in now."""

    person: int
    given: str
    family: str
    dob: tuple[int, int, int]
    address: str
    postcode: str
    phone: str
    email: str
    maiden: str = ""
    previous: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SyntheticRecord:
    agency: str
    source_id: str
    person: int
    values: dict[str, str]


def _surnames(rng: random.Random, count: int) -> tuple[list[str], list[float]]:
    """Common British surnames first, then made-up ones: a Zipf-like spread, so term frequencies matter."""
    names = list(COMMON_SURNAMES)
    seen = set(names)
    while len(names) < count:
        name = rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
        if len(names) > 40_000:  # one syllable runs out of names: add a second
            name += rng.choice(ONSETS) + rng.choice(NUCLEI)
        name += rng.choice(ENDINGS)
        if len(name) >= 4 and name not in seen:
            seen.add(name)
            names.append(name)
    return names, list(accumulate(1.0 / (rank + 8) ** 0.9 for rank in range(len(names))))


def _records_per_person(rng: random.Random) -> int:
    """Heavy-tailed: about half are known once, a few are known to the partnership dozens of times."""
    return min(40, max(1, int(rng.paretovariate(1.3))))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.35:
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    if kind < 0.6:
        return word[:i] + word[i + 1 :]
    if kind < 0.8 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]


def _postcode(rng: random.Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters UK inward codes use
    return f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _home(rng: random.Random) -> tuple[str, str]:
    town = rng.randrange(len(TOWNS))
    flat = f"Flat {rng.randint(1, 30)}, " if rng.random() < 0.2 else ""
    street = f"{rng.randint(1, 250)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
    return f"{flat}{street}, {TOWNS[town]}", _postcode(rng, AREAS[town])


def _people(rng: random.Random, target_records: int) -> Iterator[tuple[Truth, int]]:
    surnames, weights = _surnames(rng, max(2000, target_records // 8))
    given = FORMAL_GIVEN
    given_weights = list(accumulate(1.0 / (rank + 3) ** 0.7 for rank in range(len(given))))
    made, person = 0, 0
    household: Truth | None = None
    while made < target_records:
        person += 1
        if household is not None and rng.random() < 0.35:
            # A relative at the same address: same family name and home, a different person.
            first = rng.choices(given, cum_weights=given_weights)[0]
            while first == household.given:
                first = rng.choices(given, cum_weights=given_weights)[0]
            dob = (rng.randint(1935, 2010), rng.randint(1, 12), rng.randint(1, 28))
            truth = Truth(
                person,
                first,
                household.family,
                dob,
                household.address,
                household.postcode,
                household.phone if rng.random() < 0.3 else f"07{rng.randint(100000000, 999999999)}",
                "",
            )
        else:
            first = rng.choices(given, cum_weights=given_weights)[0]
            family = rng.choices(surnames, cum_weights=weights)[0]
            address, postcode = _home(rng)
            dob = (rng.randint(1935, 2010), rng.randint(1, 12), rng.randint(1, 28))
            truth = Truth(person, first, family, dob, address, postcode, f"07{rng.randint(100000000, 999999999)}", "")
            household = truth
        truth.email = f"{truth.given}.{truth.family}{rng.randint(1, 999)}@example.com"
        if rng.random() < 0.08:
            truth.maiden = rng.choices(surnames, cum_weights=weights)[0]
        count = _records_per_person(rng)
        made += count
        yield truth, count


def _date_text(rng: random.Random, year: int, month: int, day: int) -> str:
    roll = rng.random()
    if roll < 0.04 and day <= 12 and day != month:
        month, day = day, month  # day and month swapped (US order at one front desk)
    elif roll < 0.08:
        digits = list(f"{year:04d}{month:02d}{day:02d}")
        i = rng.choice([2, 3, 5, 7])
        digits[i] = str((int(digits[i]) + rng.choice([1, 9])) % 10)
        text = "".join(digits)
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    if rng.random() < 0.5:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{day:02d}/{month:02d}/{year:04d}"


def _record(rng: random.Random, truth: Truth, agency: str, source_id: str, moved: bool) -> SyntheticRecord:
    given = truth.given
    roll = rng.random()
    if roll < 0.15 and NICKNAMES_OF.get(given):
        given = rng.choice(NICKNAMES_OF[given])
    elif roll < 0.2:
        given = _typo(rng, given)
    family, other = truth.family, ""
    if truth.maiden and rng.random() < 0.5:
        family, other = truth.maiden, truth.family  # known by a former name here
    elif rng.random() < 0.05:
        family = _typo(rng, family)
    if truth.maiden and not other and rng.random() < 0.3:
        other = truth.maiden
    address, postcode = truth.previous[0] if moved and truth.previous else (truth.address, truth.postcode)
    if rng.random() < 0.05:
        address = _typo(rng, address)
    values = {
        "source_id": source_id,
        "given_name": "" if rng.random() < 0.03 else given.title(),
        "family_name": "" if rng.random() < 0.02 else family.title(),
        "other_names": other.title(),
        "date_of_birth": "" if rng.random() < 0.08 else _date_text(rng, *truth.dob),
        "postcode": ""
        if rng.random() < 0.1
        else (postcode if rng.random() < 0.8 else postcode.replace(" ", "").lower()),
        "address": "" if rng.random() < 0.15 else address,
        "phone": truth.phone if rng.random() < 0.4 else "",
        "email": truth.email if rng.random() < 0.25 else "",
    }
    if not (values["given_name"] or values["family_name"] or values["other_names"]):
        values["family_name"] = truth.family.title()
    return SyntheticRecord(agency, source_id, truth.person, values)


def generate(records: int, *, seed: int = 18, agencies: list[str] | None = None) -> list[SyntheticRecord]:
    """About `records` agency records (exactly that many: the last person is trimmed) for one partnership."""
    rng = random.Random(seed)  # noqa: S311 - test data, reproducible by design
    agencies = agencies or AGENCIES
    out: list[SyntheticRecord] = []
    counters = dict.fromkeys(agencies, 0)
    for truth, count in _people(rng, records):
        if rng.random() < 0.25:
            # Moved house: some agencies still hold the old address.
            truth.previous = [(truth.address, truth.postcode)]
            truth.address, truth.postcode = _home(rng)
        for _ in range(count):
            agency = rng.choice(agencies)
            counters[agency] += 1
            out.append(_record(rng, truth, agency, f"S{counters[agency]:07d}", rng.random() < 0.5))
            if len(out) == records:
                return out
    return out


def write_csv(records: list[SyntheticRecord], folder: Path) -> dict[str, Path]:
    """One import file per agency, in the import_people column layout."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    handles = {}
    try:
        for item in records:
            if item.agency not in handles:
                files[item.agency] = folder / f"{item.agency}.csv"
                handle = files[item.agency].open("w", newline="", encoding="utf-8")
                writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
                writer.writeheader()
                handles[item.agency] = (handle, writer)
            handles[item.agency][1].writerow(item.values)
    finally:
        for handle, _writer in handles.values():
            handle.close()
    return files


def pairwise_scores(truth: list[int], predicted: list[int]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the truth, counted without listing pairs."""
    from collections import Counter

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    true_pairs = sum(pairs(n) for n in Counter(truth).values())
    predicted_pairs = sum(pairs(n) for n in Counter(predicted).values())
    both = sum(pairs(n) for n in Counter(zip(truth, predicted, strict=True)).values())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write one synthetic import file per demo agency.")
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    files = write_csv(generate(args.records, seed=args.seed), args.out)
    sys.stdout.write(f"Wrote {args.records:,} records in {len(files)} files to {args.out}\n")


if __name__ == "__main__":
    main()
