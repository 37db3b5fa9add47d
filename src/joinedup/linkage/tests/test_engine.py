"""The memory-lean scoring path: pairs come back as arrays, explanations only for the pairs kept, and the clusters
are the ones Splink's own full prediction gives. Also the vectorised spanning forest and the settling of pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from joinedup.linkage import engine
from joinedup.linkage.synthetic import generate, pairwise_scores


def _raw(count: int, seed: int) -> tuple[pd.DataFrame, list[int]]:
    records = generate(count, seed=seed)
    raw = pd.DataFrame([r.values for r in records])
    raw["unique_id"] = range(len(raw))
    raw["agency"] = [r.agency for r in records]
    return raw, [r.person for r in records]


def test_the_lean_path_gives_the_pairs_weights_and_clusters_of_a_full_prediction() -> None:
    """Score with the lean path, then predict again with Splink's full output (every column in pandas, as before)
    from the same trained model on the same keys: the same pairs, the same weights, the same clusters."""
    from splink import Linker

    raw, truth = _raw(2500, seed=11)
    keys = engine.prepare(raw)
    with engine.score(keys) as scored:
        settled = engine.settle(scored, len(raw))
        api = engine.backend_api("duckdb")
        table = api.register(engine._records_table(api, "duckdb", keys), table_name="records")
        full = (
            Linker(table, scored.model, log_level=None)
            .inference.predict(threshold_match_weight=engine.REVIEW_WEIGHT)
            .as_pandas_dataframe()
        )
        api.duckdb_con.close()
        lean = scored.pairs
    merged = lean.merge(full, on=["unique_id_l", "unique_id_r"], how="outer", suffixes=("", "_full"), indicator=True)
    assert (merged["_merge"] == "both").all(), "the two paths scored different pairs"
    assert np.allclose(merged["match_weight"], merged["match_weight_full"])
    auto = full[full["match_weight"] >= engine.AUTO_LINK_WEIGHT]
    before = engine.cluster(len(raw), zip(auto["unique_id_l"], auto["unique_id_r"], strict=True))
    assert settled.clusters.tolist() == before.tolist()
    assert pairwise_scores(truth, settled.clusters.tolist())["f1"] >= 0.95


def test_only_the_kept_pairs_are_explained_and_a_closed_scoring_refuses() -> None:
    raw, _truth = _raw(1500, seed=12)
    scored = engine.score(engine.prepare(raw))
    settled = engine.settle(scored, len(raw))
    explained = dict(scored.explanations(settled.stored))
    assert set(explained) == set(settled.stored.tolist())
    steps = next(iter(explained.values()))
    assert [step["comparison"] for step in steps] == ["Starting point", *engine.DESCRIPTIONS.values()]
    assert not any(" is NULL" in step["level"] for steps in explained.values() for step in steps)
    scored.close()
    with pytest.raises(RuntimeError, match="closed"):
        scored.rows([0])


def test_the_vectorised_forest_keeps_the_strongest_links_that_hold_each_cluster() -> None:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    rng = np.random.default_rng(5)
    count = 300
    pairs = {tuple(sorted(map(int, rng.choice(count, 2, replace=False)))) for _ in range(2000)}
    lefts = np.array([a for a, _b in pairs])
    rights = np.array([b for _a, b in pairs])
    weights = rng.uniform(6, 30, len(pairs))
    kept = engine.strongest_forest(count, rights, lefts, weights)  # either orientation
    # Same total weight as scipy's own forest, and the same clusters as all the links.
    cost = coo_matrix((31.0 - weights, (lefts, rights)), shape=(count, count)).tocsr()
    assert weights[kept].sum() == pytest.approx((31.0 - minimum_spanning_tree(cost).data).sum())
    all_links = engine.cluster(count, np.column_stack([lefts, rights]))
    forest = engine.cluster(count, np.column_stack([lefts[kept], rights[kept]]))
    assert forest.tolist() == all_links.tolist()
    assert len(kept) == count - len(set(all_links.tolist()))


def test_settling_respects_reviewers() -> None:
    scored = engine.Scored(
        left=np.array([0, 1, 3, 4]),
        right=np.array([1, 2, 4, 5]),
        weight=np.array([9.0, 8.0, 3.0, 7.0]),
        probability=np.array([0.99, 0.99, 0.9, 0.99]),
        levels={},
        prior_weight=-14.0,
        model={},
    )
    plain = engine.settle(scored, 7)
    assert plain.clusters.tolist() == [0, 0, 0, 3, 4, 4, 6]
    assert plain.review.tolist() == [False, False, True, False]
    # The reviewer rejected 1-2 and confirmed 3-4 (so it is no longer waiting) and linked 5 and 6 by hand.
    decided = np.array([False, True, True, False])
    settled = engine.settle(
        scored,
        7,
        rejected=np.array([False, True, False, False]),
        decided=decided,
        confirmed=np.array([[3, 4], [5, 6]]),
    )
    assert settled.clusters.tolist() == [0, 0, 2, 3, 3, 3, 3]
    assert not settled.review.any()
    assert settled.stored.tolist() == [0, 3]


def test_duckdb_is_capped_and_spills(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("LINKAGE_DUCKDB_MEMORY", "700MB")
    api = engine.backend_api("duckdb", spill=str(tmp_path / "joinedup-duckdb-test"))
    try:
        limit = api.duckdb_con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        spill = api.duckdb_con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    finally:
        api.duckdb_con.close()
    assert limit.replace(" ", "").upper() in {"667.5MIB", "700.0MB", "700MB"}
    assert "joinedup-duckdb-" in spill
