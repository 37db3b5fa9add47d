"""The Spark backend runs the same model as DuckDB (a tiny set: Spark takes seconds just to start)."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pandas as pd
import pytest

from joinedup.linkage import engine
from joinedup.linkage.synthetic import generate, pairwise_scores

HAVE_JAVA = bool(os.environ.get("JAVA_HOME") or shutil.which("java"))
HAVE_PYSPARK = importlib.util.find_spec("pyspark") is not None

pytestmark = [
    pytest.mark.skipif(not HAVE_JAVA, reason="Java 17 is not installed (apt-get install openjdk-17-jre-headless)"),
    pytest.mark.skipif(not HAVE_PYSPARK, reason="pyspark is not installed (pip install -r requirements.txt)"),
]


def test_spark_links_like_duckdb() -> None:
    records = generate(200, seed=5)
    raw = pd.DataFrame([r.values for r in records])
    raw["unique_id"] = range(len(raw))
    raw["agency"] = [r.agency for r in records]
    truth = [r.person for r in records]
    scores = {}
    for backend in ("duckdb", "spark"):
        with engine.score(engine.prepare(raw), backend=backend) as scored:
            labels = engine.settle(scored, len(raw)).clusters
            scores[backend] = pairwise_scores(truth, labels.tolist())["f1"]
            assert {c["output_column_name"] for c in scored.model["comparisons"]} == set(engine.DESCRIPTIONS)
            # The explanations come from the backend that scored the pairs.
            _position, first = next(iter(scored.explanations([0])))
            assert first[0]["comparison"] == "Starting point" and len(first) == 1 + len(engine.DESCRIPTIONS)
    assert scores["duckdb"] >= 0.9
    assert abs(scores["spark"] - scores["duckdb"]) <= 0.02, scores
