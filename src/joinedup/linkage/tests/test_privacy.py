"""Privacy-preserving linkage: keyed Bloom-filter encodings compare like the values, without revealing them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from joinedup.linkage import engine, privacy

SECRET = b"a secret the agencies share and the operator does not hold"


def _keys(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    raw = pd.DataFrame(
        [
            {
                "given_name": g,
                "family_name": f,
                "other_names": "",
                "date_of_birth": d,
                "postcode": p,
                "address": "",
                "phone": "",
                "email": "",
            }
            for g, f, d, p in rows
        ]
    )
    raw["unique_id"] = range(len(raw))
    raw["agency"] = "a"
    return engine.prepare(raw)


def test_similar_records_have_similar_encodings_and_different_ones_do_not() -> None:
    keys = _keys(
        ("Robert", "Hargreaves", "1971-04-09", "EM1 4QT"),
        ("Bob", "Hargreves", "09/04/1971", "EM1 4QT"),  # a nickname and a typo
        ("Sandra", "Quilliam", "1962-05-17", "NF2 8PL"),
    )
    clks = privacy.encode(keys, SECRET)
    assert clks.shape == (3, privacy.BITS // 8)
    scores = privacy.dice(clks, np.array([[0, 1], [0, 2], [0, 0]]))
    assert scores[0] >= privacy.DICE_THRESHOLD > scores[1]
    assert scores[2] == 1.0


def test_the_encoding_depends_on_the_key() -> None:
    keys = _keys(("Robert", "Hargreaves", "1971-04-09", "EM1 4QT"))
    assert not np.array_equal(privacy.encode(keys, SECRET), privacy.encode(keys, b"another key"))


def test_blocking_keys_are_keyed_hashes_that_still_group_the_same_values() -> None:
    keys = _keys(
        ("Robert", "Hargreaves", "1971-04-09", "EM1 4QT"),
        ("Bob", "Hargreaves", "1971-04-09", ""),
        ("Sandra", "Quilliam", "1962-05-17", "NF2 8PL"),
    )
    blocks = privacy.blocking_keys(keys, SECRET)
    assert "hargreaves" not in "".join(str(v) for v in blocks.to_numpy().ravel())
    assert privacy.candidate_pairs(blocks).tolist() == [[0, 1]]
