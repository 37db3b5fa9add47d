"""Privacy-preserving linkage for agencies that may not share identifiers in clear.

Each agency encodes its own records with a secret key the partnership's agencies share and the linkage operator
does not hold: every field is split into bigrams, each bigram is hashed with a keyed HMAC into a few positions of a
1,024-bit Bloom filter, and the fields together make one cryptographic long-term key (CLK) per record. Blocking keys
are keyed HMACs too. The operator compares only CLKs (Dice similarity of the bit sets) within blocks and clusters the
pairs above a threshold; names, dates and addresses never leave the agencies. Pure computation, no Django.

Reference: Schnell, Bachteler and Reiher (2011), "A novel error-tolerant anonymous linking code"; the CLK layout
follows clkhash's (per-field bigrams, double hashing of an HMAC-SHA256 digest).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import numpy as np
import pandas as pd

BITS = 1024
# Hash functions per bigram, by field: more for the fields that identify best.
FIELD_HASHES = {"given_formal": 12, "family": 12, "dob": 16, "postcode": 6, "address": 4}
DICE_THRESHOLD = 0.8
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint16)


def _positions(secret: bytes, field: str, token: str, count: int) -> list[int]:
    digest = hmac.new(secret, f"{field}\x1f{token}".encode(), hashlib.sha256).digest()
    first, second = int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:16], "big") | 1
    return [(first + i * second) % BITS for i in range(count)]


def _bigrams(text: str) -> Iterable[str]:
    padded = f" {text} "
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def encode(keys: pd.DataFrame, secret: bytes) -> np.ndarray:
    """One CLK per record (rows of 128 bytes), from the comparison keys engine.prepare makes."""
    out = np.zeros((len(keys), BITS), dtype=bool)
    for field, count in FIELD_HASHES.items():
        # Values repeat (names, dates, postcodes): hash each distinct value's bigrams once.
        by_value: dict[str, np.ndarray] = {}
        for row, value in enumerate(keys[field].tolist()):
            if not value:
                continue
            found = by_value.get(value)
            if found is None:
                found = by_value[value] = np.array(
                    sorted({p for token in _bigrams(str(value)) for p in _positions(secret, field, token, count)}),
                    dtype=np.int64,
                )
            out[row, found] = True
    return np.packbits(out, axis=1)


def blocking_keys(keys: pd.DataFrame, secret: bytes) -> pd.DataFrame:
    """Keyed hashes of the blocking combinations (the same ideas as the clear-text model's blocking rules)."""
    frame = keys.assign(initial=keys["given"].str[:1], year=keys["dob"].str[:4])
    return pd.DataFrame(
        {
            "unique_id": keys["unique_id"],
            "family_dob": _keyed(frame, secret, "family", "dob"),
            "given_dob": _keyed(frame, secret, "given_formal", "dob"),
            "given_family": _keyed(frame, secret, "given_formal", "family"),
            "given_postcode": _keyed(frame, secret, "given_formal", "postcode"),
            "family_postcode": _keyed(frame, secret, "family", "postcode"),
            "family_initial_year": _keyed(frame, secret, "family", "initial", "year"),
            "dob_postcode": _keyed(frame, secret, "dob", "postcode"),
        }
    )


def _keyed(frame: pd.DataFrame, secret: bytes, *columns: str) -> pd.Series:
    parts = frame[list(columns)]
    present = parts.notna().all(axis=1)
    joined = parts[present].astype(str).agg("\x1f".join, axis=1)
    distinct = {text: hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:24] for text in set(joined)}
    return joined.map(distinct).reindex(frame.index)


def candidate_pairs(blocks: pd.DataFrame) -> np.ndarray:
    """Distinct (left, right) record positions sharing any blocking key, left < right."""
    found = []
    for column in blocks.columns.drop("unique_id"):
        keyed = blocks[["unique_id", column]].dropna()
        pairs = keyed.merge(keyed, on=column, suffixes=("_l", "_r"))
        pairs = pairs[pairs["unique_id_l"] < pairs["unique_id_r"]]
        found.append(pairs[["unique_id_l", "unique_id_r"]].to_numpy(dtype=np.int64))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def dice(clks: np.ndarray, pairs: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    """Dice similarity of each pair's CLKs: 2|A ∩ B| / (|A| + |B|)."""
    counts = _POPCOUNT[clks].sum(axis=1, dtype=np.int64)
    scores = np.zeros(len(pairs), dtype=float)
    for start in range(0, len(pairs), chunk):
        left, right = pairs[start : start + chunk, 0], pairs[start : start + chunk, 1]
        both = _POPCOUNT[clks[left] & clks[right]].sum(axis=1, dtype=np.int64)
        total = counts[left] + counts[right]
        scores[start : start + chunk] = np.where(total > 0, 2.0 * both / np.maximum(total, 1), 0.0)
    return scores
