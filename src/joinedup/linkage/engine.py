"""The linkage model, defined once and run on DuckDB or Apache Spark.

`prepare` turns records as the agencies gave them into the keys the model compares; `model_settings` is the one
Splink model (comparisons, blocking, training plan); `score` trains it without labels (expectation maximisation)
and scores every blocked pair on the chosen backend; `cluster` groups records into identities from the
auto-linked pairs plus what reviewers confirmed, minus what they rejected. Nothing here touches Django: the
management command and the benchmark both call these functions, so the benchmark measures what production runs.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from joinedup.linkage.domain.records import NICKNAMES, TITLES

MODEL_VERSION = "2026.1"
# Match weights (log2 Bayes factors, prior included). At or above AUTO the pair is linked without review; from
# REVIEW up to AUTO a person decides. Chosen on the synthetic partnership and FEBRL4 (docs/linkage.md).
AUTO_LINK_WEIGHT = 6.0
REVIEW_WEIGHT = 0.0

Progress = Callable[[str], None]

_TITLES = "|".join(sorted(TITLES))
_FIRST_WORD = rf"^(?:(?:{_TITLES})\s+)*([a-z]+)"
_LAST_WORD = r"([a-z]+)\s*$"
_ADDRESS_WORDS = {
    r"\broad\b": "rd",
    r"\bstreet\b": "st",
    r"\bavenue\b": "ave",
    r"\blane\b": "ln",
    r"\bclose\b": "cl",
    r"\bdrive\b": "dr",
    r"\bcourt\b": "ct",
    r"\bplace\b": "pl",
    r"\bflat\b": "",
    r"\bapartment\b": "",
}


def _folded(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str)
    text = text.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").str.lower()
    text = text.str.replace(r"[-'\u2019]", "", regex=True)
    return text.str.replace(r"[^a-z ]+", " ", regex=True).str.strip()


def _blank_to_null(values: pd.Series) -> pd.Series:
    return values.where(values.notna() & (values != ""), None)


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    """Comparison keys for records with the import columns plus `unique_id` and `agency`. Vectorised: about
    two seconds a million records. The rules match domain/records.py (tested against each other)."""
    given = _folded(raw["given_name"])
    family = _folded(raw["family_name"])
    other = _folded(raw["other_names"])
    given_first = given.str.extract(_FIRST_WORD, expand=False)
    # No given name but other names: the first of those is the name they are called by.
    given_first = given_first.fillna(other.str.extract(_FIRST_WORD, expand=False))
    family_last = family.str.extract(_LAST_WORD, expand=False)
    other_last = other.str.extract(_LAST_WORD, expand=False)
    dob_text = raw["date_of_birth"].fillna("").astype(str).str.strip()
    iso = dob_text.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
    uk = dob_text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
    year = iso[0].fillna(uk[2])
    month = iso[1].fillna(uk[1]).str.zfill(2)
    day = iso[2].fillna(uk[0]).str.zfill(2)
    dob = year + "-" + month + "-" + day
    postcode = raw["postcode"].fillna("").astype(str).str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    address = raw["address"].fillna("").astype(str).str.lower().str.replace(r"[^a-z0-9 ]+", " ", regex=True)
    for pattern, short in _ADDRESS_WORDS.items():
        address = address.str.replace(pattern, short, regex=True)
    address = address.str.split().str.join(" ")
    phone = raw["phone"].fillna("").astype(str).str.replace(r"\D", "", regex=True)
    phone = phone.str.replace(r"^44(\d{10})$", r"0\1", regex=True).where(phone.str.len() >= 9, "")
    email = raw["email"].fillna("").astype(str).str.strip().str.lower()
    return pd.DataFrame(
        {
            "unique_id": raw["unique_id"].to_numpy(),
            "agency": raw["agency"].to_numpy(),
            "given": _blank_to_null(given_first),
            "given_formal": _blank_to_null(given_first.map(lambda name: NICKNAMES.get(name, name), na_action="ignore")),
            "family": _blank_to_null(family_last),
            "other_family": _blank_to_null(other_last),
            "dob": _blank_to_null(dob),
            "postcode": _blank_to_null(postcode),
            "district": _blank_to_null(postcode.where(postcode.str.len() >= 5, "").str[:-3]),
            "address": _blank_to_null(address),
            "phone": _blank_to_null(phone),
            "email": _blank_to_null(email.where(email.str.contains("@", regex=False), "")),
        }
    )


# The first names agree: same formal name, or the same initial (a typo rarely hits the first letter). Used to
# tell the same person at an address from a relative living there.
# Unknown first names do not agree: a shared home alone says nothing about which member of the household it is.
_SAME_FIRST_NAME = "COALESCE(given_formal_l = given_formal_r OR substr(given_l, 1, 1) = substr(given_r, 1, 1), FALSE)"


def model_settings() -> Any:
    """The one Splink model. Labels are the words the review page shows for each level."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    first_name = cl.CustomComparison(
        output_column_name="given",
        comparison_description="First name",
        comparison_levels=[
            cll.NullLevel("given"),
            cll.ExactMatchLevel("given").configure(tf_adjustment_column="given", label_for_charts="Same first name"),
            cll.CustomLevel("given_formal_l = given_formal_r", "A known short form of the same first name"),
            cll.JaroWinklerLevel("given", 0.92).configure(label_for_charts="First name spelt nearly the same"),
            cll.JaroWinklerLevel("given", 0.8).configure(label_for_charts="Similar first name"),
            cll.CustomLevel(
                "given_l = family_r OR family_l = given_r", "First and family names written the other way round"
            ),
            cll.ElseLevel().configure(label_for_charts="Different first name"),
        ],
    )
    family_name = cl.CustomComparison(
        output_column_name="family",
        comparison_description="Family name",
        comparison_levels=[
            cll.CustomLevel(
                "(family_l IS NULL AND other_family_l IS NULL) OR (family_r IS NULL AND other_family_r IS NULL)",
                "Family name missing",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("family").configure(tf_adjustment_column="family", label_for_charts="Same family name"),
            cll.JaroWinklerLevel("family", 0.92).configure(label_for_charts="Family name spelt nearly the same"),
            cll.CustomLevel(
                "family_l = other_family_r OR other_family_l = family_r OR other_family_l = other_family_r",
                "A former or other family name matches",
            ),
            cll.JaroWinklerLevel("family", 0.8).configure(label_for_charts="Similar family name"),
            cll.ElseLevel().configure(label_for_charts="Different family name"),
        ],
    )
    date_of_birth = cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Same date of birth"),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                "Same date of birth with day and month swapped",
            ),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="Date of birth one digit different"),
            cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)", "Same year of birth"),
            cll.ElseLevel().configure(label_for_charts="Different date of birth"),
        ],
    )
    # Household-aware: a shared address counts as evidence only when the first names agree too. Relatives and
    # flatmates share an address, a postcode and often a family name; without this the address and the family
    # name together would outweigh different first names and dates of birth and merge a mother with her son.
    home = cl.CustomComparison(
        output_column_name="home",
        comparison_description="Address and postcode",
        comparison_levels=[
            cll.CustomLevel(
                "(address_l IS NULL AND postcode_l IS NULL) OR (address_r IS NULL AND postcode_r IS NULL)",
                "Address missing",
            ).configure(is_null_level=True),
            cll.CustomLevel(
                f"(address_l = address_r OR postcode_l = postcode_r) AND NOT {_SAME_FIRST_NAME}",
                "Same home but a different first name: a relative or neighbour, not counted",
            ).configure(m_probability=0.04, u_probability=0.05, fix_m_probability=True, fix_u_probability=True),
            cll.ExactMatchLevel("address").configure(label_for_charts="Same address"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
            cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="Address written nearly the same"),
            cll.ExactMatchLevel("district").configure(label_for_charts="Same postcode district"),
            cll.ElseLevel().configure(label_for_charts="Different address"),
        ],
    )
    contact = cl.CustomComparison(
        output_column_name="contact",
        comparison_description="Phone and email",
        comparison_levels=[
            cll.CustomLevel(
                "(phone_l IS NULL AND email_l IS NULL) OR (phone_r IS NULL AND email_r IS NULL)",
                "Phone and email missing",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("email").configure(label_for_charts="Same email address"),
            cll.CustomLevel(
                f"phone_l = phone_r AND NOT {_SAME_FIRST_NAME}",
                "Same phone but a different first name: a shared household phone, not counted",
            ).configure(m_probability=0.04, u_probability=0.05, fix_m_probability=True, fix_u_probability=True),
            cll.ExactMatchLevel("phone").configure(label_for_charts="Same phone number"),
            cll.ElseLevel().configure(label_for_charts="Different phone and email"),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-5,
        comparisons=[first_name, family_name, date_of_birth, home, contact],
        blocking_rules_to_generate_predictions=[
            block_on("family", "dob"),
            block_on("given_formal", "dob"),
            block_on("given_formal", "family"),
            block_on("given_formal", "postcode"),
            block_on("family", "postcode"),
            block_on("family", "substr(given, 1, 1)", "substr(dob, 1, 4)"),
            block_on("other_family", "given_formal"),
            block_on("dob", "postcode"),
            block_on("postcode", "substr(address, 1, 6)"),
            CustomRule("l.given = r.family AND l.family = r.given"),
            block_on("phone"),
            block_on("email"),
        ],
        additional_columns_to_retain=["agency"],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )


def _training_plan() -> list[Any]:
    from splink import block_on

    # Each session leaves out the comparisons its blocking rule fixes; together they train every comparison.
    return [block_on("dob"), block_on("given_formal", "family")]


DESCRIPTIONS = {
    "given": "First name",
    "family": "Family name",
    "dob": "Date of birth",
    "home": "Address and postcode",
    "contact": "Phone and email",
}


@dataclass
class Scored:
    """Every blocked pair at or above the review weight, with each comparison's contribution."""

    pairs: pd.DataFrame
    # For each comparison, (level weight, label) of every level, to name the level a pair's weight came from.
    levels: dict[str, list[tuple[float, str]]]
    prior_weight: float
    model: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


def _spark_session(master: str | None) -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    master = master or os.environ.get("SPARK_MASTER", "local[*]")
    # Locally, one partition per core: Spark's default of 200 makes every small query 200 tasks.
    partitions = os.environ.get("SPARK_PARTITIONS") or str(
        (os.cpu_count() or 2) * 2 if master.startswith("local") else 200
    )
    logging.getLogger("py4j").setLevel(logging.WARNING)
    builder = (
        SparkSession.builder.master(master)
        .appName("joinedup-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", partitions)
        .config("spark.default.parallelism", partitions)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(
        os.environ.get("SPARK_CHECKPOINT_DIR") or tempfile.mkdtemp(prefix="joinedup-spark-")
    )
    return spark


def backend_api(backend: str, *, spark_master: str | None = None) -> Any:
    if backend == "duckdb":
        import duckdb
        from splink.backends.duckdb import DuckDBAPI

        connection = duckdb.connect(":memory:")
        connection.execute(f"SET threads TO {os.cpu_count() or 2}")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        spark = _spark_session(spark_master)
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
        return SparkAPI(spark_session=spark, num_partitions_on_repartition=partitions)
    raise ValueError(f"Unknown backend '{backend}': use duckdb or spark.")


def score(
    frame: pd.DataFrame,
    *,
    backend: str = "duckdb",
    spark_master: str | None = None,
    progress: Progress | None = None,
    review_weight: float = REVIEW_WEIGHT,
) -> Scored:
    """Train the model on these records without labels, then score every blocked pair at or above the review
    weight. The same settings and training plan whichever backend runs them."""
    import time

    from splink import Linker, block_on

    say = progress or (lambda _message: None)
    timings: dict[str, float] = {}
    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    api = backend_api(backend, spark_master=spark_master)
    table = api.register(frame, table_name="records")
    linker = Linker(table, model_settings(), log_level=None)
    say("Estimating how often two records are the same person")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "family", "dob"), block_on("email")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=18)
    for rule in _training_plan():
        say("Training the model without labels (expectation maximisation)")
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=min(1.0, max(0.05, 200_000 / max(len(frame), 1)))
        )
    timings["train_s"] = time.perf_counter() - started
    say("Scoring candidate pairs")
    pairs = linker.inference.predict(threshold_match_weight=review_weight).as_pandas_dataframe()
    timings["predict_s"] = time.perf_counter() - started - timings["train_s"]
    model = linker.misc.save_model_to_json()
    prior = float(model.get("probability_two_random_records_match", 1e-5))
    if backend == "spark":
        api.spark.catalog.clearCache()
    return Scored(
        pairs=pairs,
        levels=level_weights(model),
        prior_weight=math.log2(prior / (1 - prior)),
        model=model,
        timings=timings,
    )


def level_weights(model: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    levels: dict[str, list[tuple[float, str]]] = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        found = []
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts", "")
            if level.get("is_null_level"):
                found.append((0.0, label))
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m and u:
                found.append((math.log2(float(m) / float(u)), label))
        levels[name] = found
    return levels


def explain(row: dict[str, Any], scored: Scored) -> list[dict[str, Any]]:
    """Each comparison's contribution to one pair's match weight, waterfall-style: the starting point (how
    rarely two records are the same person), then one step per comparison, term frequency included."""
    steps: list[dict[str, Any]] = [
        {
            "comparison": "Starting point",
            "level": "Two records chosen at random are rarely the same person",
            "weight": round(scored.prior_weight, 2),
        }
    ]
    for name, levels in scored.levels.items():
        weight = float(row.get(f"mw_{name}", 0.0) or 0.0)
        label = min(levels, key=lambda level: abs(level[0] - weight))[1] if levels else ""
        adjustment = row.get(f"mw_tf_adj_{name}")
        if adjustment is not None and not pd.isna(adjustment):
            weight += float(adjustment)
            if abs(float(adjustment)) >= 0.05:
                label += " (a rare name counts for more, a common one for less)"
        steps.append({"comparison": DESCRIPTIONS.get(name, name), "level": label, "weight": round(weight, 2)})
    return steps


def cluster(
    count: int,
    links: Iterable[tuple[int, int]],
) -> np.ndarray:
    """Identity clusters: connected components of the link graph over record positions 0..count-1. A cluster is
    named by its smallest member position, so the same records give the same ids from run to run."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.array(list(links), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(count, count))
    _n, labels = connected_components(graph, directed=False)
    # Rename each component to its smallest member.
    smallest = np.full(labels.max() + 1 if count else 0, count, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(count))
    return smallest[labels]


def strongest_forest(count: int, lefts: np.ndarray, rights: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Positions (into the given edges) of a maximum spanning forest: the strongest links that keep every
    cluster connected. What is stored and shown as the evidence for a cluster."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    if len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    low, high = np.minimum(lefts, rights), np.maximum(lefts, rights)
    # Strongest first: a positive cost that falls as the weight rises (zero would mean "no edge" to scipy).
    cost = (weights.max() + 1.0) - weights
    tree = minimum_spanning_tree(coo_matrix((cost, (low, high)), shape=(count, count)).tocsr()).tocoo()
    index = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(low.tolist(), high.tolist(), strict=True))}
    return np.array(
        sorted(index[(min(int(a), int(b)), max(int(a), int(b)))] for a, b in zip(tree.row, tree.col, strict=True)),
        dtype=np.int64,
    )
