"""The linkage model, defined once and run on DuckDB or Apache Spark.

`prepare` turns records as the agencies gave them into the keys the model compares; `model_settings` is the one
Splink model (comparisons, blocking, training plan); `score` trains it without labels (expectation maximisation)
and scores every blocked pair on the chosen backend, bringing back only arrays (records, weight, probability) and
fetching each comparison's contribution later for the pairs that are kept (`Scored.explanations`); `settle` groups
records into identities from the auto-linked pairs plus what reviewers confirmed, minus what they rejected, and
picks the pairs to store. Nothing here touches Django: the management command and the benchmark both call these
functions, so the benchmark measures what production runs.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from joinedup.linkage.domain.records import address_key, first_word, formal_name, last_word, phone_key, postcode_key
from joinedup.linkage.domain.records import read_date as _read_date

MODEL_VERSION = "2026.2"
# Match weights (log2 Bayes factors, prior included). At or above AUTO the pair is linked without review; from
# REVIEW up to AUTO a person decides. Chosen on the synthetic partnership and FEBRL4 (docs/linkage.md).
AUTO_LINK_WEIGHT = 6.0
REVIEW_WEIGHT = 0.0

Progress = Callable[[str], None]
# Training sizes, independent of the number of records: random pairs for u, blocked pairs per EM session.
U_PAIRS = 2e6
EM_PAIRS = 1e6

# Street-type words say nothing about which address it is: left out of the address words compared.
STREET_WORDS = ("rd", "st", "ave", "ln", "cl", "dr", "ct", "pl", "way", "the")
KEY_COLUMNS = (
    "given",
    "given_formal",
    "family",
    "other_family",
    "dob",
    "postcode",
    "district",
    "address",
    "phone",
    "email",
)
_FAR_FUTURE = date(9999, 12, 31)


def _per_value(values: Any, rule: Callable[[str], str]) -> np.ndarray:
    """Apply a rule of domain/records.py once per distinct value (a million records hold a few hundred thousand
    distinct addresses, tens of thousands of names), then spread the results back: the keys are exactly the
    domain's rules, at a fraction of the cost of one call per record. Blank keys become None."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object).fillna(""), sort=False)
    keys = np.array([rule(str(value)) or None for value in uniques] + [None], dtype=object)
    return keys[codes]


def _date_key(text: str) -> str:
    # Only the key is wanted here; flags (which depend on today) are the importer's business.
    return _read_date(text, today=_FAR_FUTURE).key


def _email_key(text: str) -> str:
    email = text.strip().lower()
    return email if "@" in email else ""


def _district(postcode: str) -> str:
    return postcode[:-3] if len(postcode) >= 5 else ""


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    """Comparison keys for records with the import columns plus `unique_id` and `agency`, made by the rules of
    domain/records.py applied once per distinct value: about three seconds a million records. Blank keys are
    None. The address words the model compares are made by the backend from `address` (`_records_table`)."""
    given = _per_value(raw["given_name"], first_word)
    # No given name but other names: the first of those is the name they are called by.
    missing = pd.isna(given)
    if missing.any():
        given[missing] = _per_value(raw["other_names"].to_numpy()[missing], first_word)
    postcode = _per_value(raw["postcode"], postcode_key)
    return pd.DataFrame(
        {
            "unique_id": raw["unique_id"].to_numpy(),
            "agency": raw["agency"].to_numpy(),
            "given": given,
            "given_formal": _per_value(given, formal_name),
            "family": _per_value(raw["family_name"], last_word),
            "other_family": _per_value(raw["other_names"], last_word),
            "dob": _per_value(raw["date_of_birth"], _date_key),
            "postcode": postcode,
            "district": _per_value(postcode, _district),
            "address": _per_value(raw["address"], address_key),
            "phone": _per_value(raw["phone"], phone_key),
            "email": _per_value(raw["email"], _email_key),
        }
    )


# The first names agree: same formal name, the same initial (a typo rarely hits the first letter), or the first and
# family names written the other way round. Used to tell the same person at an address from a relative living there.
# Unknown first names do not agree: a shared home alone says nothing about which member of the household it is.
_SAME_FIRST_NAME = (
    "COALESCE(given_formal_l = given_formal_r OR substr(given_l, 1, 1) = substr(given_r, 1, 1)"
    " OR given_l = family_r OR family_l = given_r, FALSE)"
)


def _dialect_level(label: str, **sql: str) -> Any:
    """A comparison level whose SQL differs by backend (list functions and string similarity are named
    differently in DuckDB and Spark): `sql` gives it per dialect (duckdb=…, spark=…)."""
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

    class DialectLevel(ComparisonLevelCreator):
        def create_sql(self, sql_dialect: Any) -> str:
            return sql[sql_dialect.sql_dialect_str]

        def create_label_for_charts(self) -> str:
            return label

    return DialectLevel()


def _names_swapped(sql_dialect: str) -> str:
    """First and family names the other way round: one of them exactly, or both spelt nearly the same (tried
    only when an initial agrees, which keeps the costly similarity off most pairs)."""
    similar = "jaro_winkler_similarity" if sql_dialect == "duckdb" else "jaro_winkler"
    return (
        "given_l = family_r OR family_l = given_r OR "
        "((substr(given_l, 1, 1) = substr(family_r, 1, 1) OR substr(family_l, 1, 1) = substr(given_r, 1, 1))"
        f" AND {similar}(given_l, family_r) >= 0.9 AND {similar}(family_l, given_r) >= 0.9)"
    )


def _words_shared(sql_dialect: str, *, most: bool, same_postcode: bool) -> str:
    """Address words in common (house number, street, locality; street-type words left out): at least two, or
    (most=True) at least two that are two thirds of the shorter address's words. With a different postcode it
    is only looked at within the same postcode area (first letter) or when a postcode is missing: a shared
    "12 High St" across the country says little, and the list comparison is the costliest in the model."""
    if sql_dialect == "duckdb":
        shared = "len(list_intersect(address_words_l, address_words_r))"
        shorter = "least(len(address_words_l), len(address_words_r))"
    else:
        shared = "size(array_intersect(address_words_l, address_words_r))"
        shorter = "least(size(address_words_l), size(address_words_r))"
    words = f"{shared} >= 2 AND {shared} * 3 >= {shorter} * 2" if most else f"{shared} >= 2"
    if same_postcode:
        where = "postcode_l = postcode_r"
    else:
        where = "(postcode_l IS NULL OR postcode_r IS NULL OR substr(postcode_l, 1, 1) = substr(postcode_r, 1, 1))"
    # No COALESCE: an unknown result is simply not this level, and DuckDB stops at the first false condition.
    return f"{where} AND {words}"


def model_settings() -> Any:
    """The one Splink model. Labels are the words the review page shows for each level."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    swapped = {dialect: _names_swapped(dialect) for dialect in ("duckdb", "spark")}
    first_name = cl.CustomComparison(
        output_column_name="given",
        comparison_description="First name",
        comparison_levels=[
            cll.NullLevel("given").configure(label_for_charts="First name missing"),
            cll.ExactMatchLevel("given").configure(tf_adjustment_column="given", label_for_charts="Same first name"),
            cll.CustomLevel("given_formal_l = given_formal_r", "A known short form of the same first name"),
            cll.LevenshteinLevel("given", 1).configure(label_for_charts="First name one letter different"),
            cll.JaroWinklerLevel("given", 0.92).configure(label_for_charts="First name spelt nearly the same"),
            _dialect_level("First and family names written the other way round", **swapped),
            cll.JaroWinklerLevel("given", 0.8).configure(label_for_charts="Similar first name"),
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
            cll.LevenshteinLevel("family", 1).configure(label_for_charts="Family name one letter different"),
            cll.JaroWinklerLevel("family", 0.92).configure(label_for_charts="Family name spelt nearly the same"),
            cll.CustomLevel(
                "family_l = other_family_r OR other_family_l = family_r OR other_family_l = other_family_r",
                "A former or other family name matches",
            ),
            _dialect_level("First and family names written the other way round", **swapped),
            cll.JaroWinklerLevel("family", 0.8).configure(label_for_charts="Similar family name"),
            cll.ElseLevel().configure(label_for_charts="Different family name"),
        ],
    )
    date_of_birth = cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("dob").configure(label_for_charts="Date of birth missing"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Same date of birth"),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                "Same date of birth with day and month swapped",
            ),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="Date of birth one digit different"),
            # Two digits next to each other swapped ("05" for "50"): the costly Damerau distance is worked out
            # only for dates already two edits apart.
            _dialect_level(
                "Date of birth with two digits swapped",
                duckdb="levenshtein(dob_l, dob_r) = 2 AND damerau_levenshtein(dob_l, dob_r) = 1",
                spark="levenshtein(dob_l, dob_r) = 2 AND damerau_levenshtein(dob_l, dob_r) = 1",
            ),
            cll.LevenshteinLevel("dob", 2).configure(label_for_charts="Date of birth two digits different"),
            cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)", "Same year of birth"),
            cll.ElseLevel().configure(label_for_charts="Different date of birth"),
        ],
    )
    # Household-aware: a shared address counts as evidence only when the first names agree too. Relatives and
    # flatmates share an address, a postcode and often a family name; without this the address and the family
    # name together would outweigh different first names and dates of birth and merge a mother with her son.
    dialects = ("duckdb", "spark")
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
            _dialect_level(
                "Same postcode and the address written nearly the same",
                **{d: _words_shared(d, most=True, same_postcode=True) for d in dialects},
            ),
            _dialect_level(
                "Address written nearly the same, postcode different or missing",
                **{d: _words_shared(d, most=True, same_postcode=False) for d in dialects},
            ),
            _dialect_level(
                "Same postcode and some address words the same",
                **{d: _words_shared(d, most=False, same_postcode=True) for d in dialects},
            ),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
            cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="Address spelt nearly the same"),
            _dialect_level(
                "Some address words the same",
                **{d: _words_shared(d, most=False, same_postcode=False) for d in dialects},
            ),
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
            block_on("dob", "substr(address, 1, 6)"),
            CustomRule("l.given = r.family AND l.family = r.given"),
            block_on("phone"),
            block_on("email"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )


def _training_plan() -> list[Any]:
    from splink import block_on

    # Each session leaves out the comparisons its blocking rule fixes; together they train every comparison.
    return [block_on("dob"), block_on("given", "family", "postcode")]


DESCRIPTIONS = {
    "given": "First name",
    "family": "Family name",
    "dob": "Date of birth",
    "home": "Address and postcode",
    "contact": "Phone and email",
}


@dataclass
class Scored:
    """Every blocked pair at or above the review weight, as plain arrays (record positions, weight, probability):
    what clustering needs. The weight each comparison contributed is fetched from the backend only for the pairs
    that are kept and shown (`rows`, `explanations`), so a million records never bring millions of pairs' worth
    of intermediate columns into Python. Close it (or use it as a context manager) to free the backend."""

    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray
    probability: np.ndarray
    # For each comparison, (level weight, label) of every level, to name the level a pair's weight came from.
    levels: dict[str, list[tuple[float, str]]]
    prior_weight: float
    model: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    fetch: Callable[[pd.DataFrame], Iterator[pd.DataFrame]] | None = None
    release: Callable[[], None] | None = None

    def __len__(self) -> int:
        return len(self.weight)

    @property
    def pairs(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "unique_id_l": self.left,
                "unique_id_r": self.right,
                "match_weight": self.weight,
                "match_probability": self.probability,
            }
        )

    def _wanted(self, positions: Iterable[int]) -> pd.DataFrame:
        wanted = np.asarray(positions if isinstance(positions, np.ndarray) else list(positions), dtype=np.int64)
        if self.fetch is None:
            raise RuntimeError("This scoring was closed: its pairs' details are no longer available.")
        return pd.DataFrame({"position": wanted, "unique_id_l": self.left[wanted], "unique_id_r": self.right[wanted]})

    def rows(self, positions: Iterable[int]) -> pd.DataFrame:
        """Every column the backend computed (each comparison's weight, term-frequency adjustments) for these
        pairs, in the order asked."""
        wanted = self._wanted(positions)
        if wanted.empty or self.fetch is None:
            return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_weight", "match_probability"])
        found = pd.concat(list(self.fetch(wanted)), ignore_index=True)
        return found.set_index("position").reindex(wanted["position"]).reset_index(drop=True)

    def explanations(self, positions: Iterable[int]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """(position, waterfall) for each of these pairs (see `explain`), in the order the backend gives them:
        one pass over the scored pairs, a chunk of rows at a time."""
        wanted = self._wanted(positions)
        if wanted.empty or self.fetch is None:
            return
        for chunk in self.fetch(wanted):
            yield from zip(chunk["position"].tolist(), explain_many(chunk, self), strict=True)

    def close(self) -> None:
        if self.release is not None:
            self.release()
        self.fetch = self.release = None

    def __enter__(self) -> Scored:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


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


def duckdb_memory_limit() -> str:
    """DuckDB's own ceiling (LINKAGE_DUCKDB_MEMORY, default 1.5 GB): beyond it DuckDB spills to a temporary folder
    instead of growing. Its default is 80 % of the machine, which a million records' pairs would take."""
    return os.environ.get("LINKAGE_DUCKDB_MEMORY", "1.5GB")


def backend_api(backend: str, *, spark_master: str | None = None, spill: str | None = None) -> Any:
    """Splink's API for the backend. DuckDB: in memory, capped (`duckdb_memory_limit`), spilling to `spill` (a
    fresh temporary folder if not given; the caller removes it)."""
    if backend == "duckdb":
        import duckdb
        from splink.backends.duckdb import DuckDBAPI

        connection = duckdb.connect(":memory:")
        connection.execute(f"SET threads TO {os.cpu_count() or 2}")
        connection.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")
        connection.execute(f"SET temp_directory = '{spill or tempfile.mkdtemp(prefix='joinedup-duckdb-')}'")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        spark = _spark_session(spark_master)
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
        return SparkAPI(spark_session=spark, num_partitions_on_repartition=partitions)
    raise ValueError(f"Unknown backend '{backend}': use duckdb or spark.")


def _street_words_sql(backend: str) -> str:
    words = ", ".join(f"'{word}'" for word in STREET_WORDS)
    if backend == "duckdb":
        return (
            "list_distinct(list_filter(string_split(address, ' '), "
            f"lambda word: word <> '' AND NOT list_contains([{words}], word)))"
        )
    return (
        f"array_distinct(filter(split(address, ' '), word -> word <> '' AND NOT array_contains(array({words}), word)))"
    )


def _records_table(api: Any, backend: str, keys: pd.DataFrame) -> str:
    """The comparison keys as a table of the backend, with the address words (a list) made there."""
    columns = ", ".join(("unique_id", *KEY_COLUMNS))
    if backend == "duckdb":
        connection = api.duckdb_con
        connection.register("__joinedup_keys", keys)
        connection.execute(
            f"CREATE TABLE joinedup_records AS SELECT {columns}, "  # noqa: S608 - constant column names
            f"CASE WHEN address IS NULL THEN NULL ELSE {_street_words_sql(backend)} END AS address_words "
            "FROM __joinedup_keys"
        )
        connection.unregister("__joinedup_keys")
        return "joinedup_records"
    frame = api.spark.createDataFrame(keys[["unique_id", *KEY_COLUMNS]].astype(object).where(keys.notna(), None))
    frame.createOrReplaceTempView("__joinedup_keys")
    api.spark.sql(
        f"SELECT {columns}, CASE WHEN address IS NULL THEN NULL ELSE {_street_words_sql(backend)} END "  # noqa: S608
        "AS address_words FROM __joinedup_keys"
    ).createOrReplaceTempView("joinedup_records")
    return "joinedup_records"


def _lean_arrays(api: Any, backend: str, predictions: Any) -> dict[str, np.ndarray]:
    columns = "unique_id_l, unique_id_r, match_weight, match_probability"
    if backend == "duckdb":
        found = api.duckdb_con.execute(f"SELECT {columns} FROM {predictions.physical_name}").fetchnumpy()  # noqa: S608
        return {name: np.asarray(values) for name, values in found.items()}
    frame = predictions.as_spark_dataframe().select(*columns.split(", ")).toPandas()
    return {name: frame[name].to_numpy() for name in frame.columns}


def _fetcher(api: Any, backend: str, predictions: Any) -> Callable[[pd.DataFrame], Iterator[pd.DataFrame]]:
    """Every computed column of the wanted pairs (position, unique_id_l, unique_id_r), in chunks of rows."""

    def fetch(wanted: pd.DataFrame) -> Iterator[pd.DataFrame]:
        query = (
            f"SELECT w.position, p.* FROM __joinedup_wanted w JOIN {predictions.physical_name} p "  # noqa: S608 - ours
            "ON p.unique_id_l = w.unique_id_l AND p.unique_id_r = w.unique_id_r"
        )
        if backend == "duckdb":
            connection = api.duckdb_con.cursor()
            connection.register("__joinedup_wanted", wanted)
            try:
                result = connection.execute(query)
                while True:
                    chunk = result.fetch_df_chunk(32)  # 32 vectors of 2,048 rows
                    if chunk.empty:
                        return
                    yield chunk
            finally:
                connection.close()
        api.spark.createDataFrame(wanted).createOrReplaceTempView("__joinedup_wanted")
        yield api.spark.sql(query).toPandas()

    return fetch


def score(
    keys: pd.DataFrame,
    *,
    backend: str = "duckdb",
    spark_master: str | None = None,
    progress: Progress | None = None,
    review_weight: float = REVIEW_WEIGHT,
) -> Scored:
    """Train the model on these records' keys (`prepare`) without labels, then score every blocked pair at or
    above the review weight. The same settings and training plan whichever backend runs them. The keys frame is
    copied into the backend; the caller may drop it afterwards."""
    import time

    from splink import Linker, block_on

    say = progress or (lambda _message: None)
    timings: dict[str, float] = {}
    # Splink warns about levels no random pair reached (it then uses its defaults, which `_levels_in_use` reports
    # with the explanations): nothing an operator can act on, so only errors are shown.
    logging.getLogger("splink").setLevel(logging.ERROR)
    started = time.perf_counter()
    spill = tempfile.mkdtemp(prefix="joinedup-duckdb-") if backend == "duckdb" else None
    api = backend_api(backend, spark_master=spark_master, spill=spill)
    table = api.register(_records_table(api, backend, keys), table_name="records")
    linker = Linker(table, model_settings(), log_level=None)
    say("Estimating how often two records are the same person")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "family", "dob"), block_on("email")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=18, min_count_per_level=None, num_chunks=1)
    for rule in _training_plan():
        say("Training the model without labels (expectation maximisation)")
        linker.training.estimate_parameters_using_expectation_maximisation(
            # A million pairs a session whatever the size: Splink samples records on each side to get there.
            rule,
            max_pairs=EM_PAIRS,
            record_sample_proportion=min(1.0, max(0.01, 100_000 / max(len(keys), 1))),
        )
    timings["train_s"] = time.perf_counter() - started
    say("Scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_weight=review_weight)
    arrays = _lean_arrays(api, backend, predictions)
    timings["predict_s"] = time.perf_counter() - started - timings["train_s"]
    model = linker.misc.save_model_to_json()
    prior = float(model.get("probability_two_random_records_match", 1e-5))

    def release() -> None:
        if backend == "spark":
            api.spark.catalog.clearCache()
        else:
            api.duckdb_con.close()
            shutil.rmtree(spill or "", ignore_errors=True)

    return Scored(
        left=arrays["unique_id_l"].astype(np.int64),
        right=arrays["unique_id_r"].astype(np.int64),
        weight=arrays["match_weight"].astype(np.float64),
        probability=arrays["match_probability"].astype(np.float64),
        levels=_levels_in_use(linker),
        prior_weight=math.log2(prior / (1 - prior)),
        model=model,
        timings=timings,
        fetch=_fetcher(api, backend, predictions),
        release=release,
    )


def _levels_in_use(linker: Any) -> dict[str, list[tuple[float, str]]]:
    """(weight, label) of every level as the scoring used it, including a level the training never saw (Splink
    then scores it with its default m probability, which the saved model leaves out)."""
    levels: dict[str, list[tuple[float, str]]] = {}
    for comparison in linker._settings_obj.comparisons:
        found = []
        for level in comparison.comparison_levels:
            weight = 0.0 if level.is_null_level else level._log2_bayes_factor
            found.append((float(weight), level.label_for_charts))
        levels[comparison.output_column_name] = found
    return levels


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
                label += _TF_NOTE
        steps.append({"comparison": DESCRIPTIONS.get(name, name), "level": label, "weight": float(np.round(weight, 2))})
    return steps


_TF_NOTE = " (a rare name counts for more, a common one for less)"


def explain_many(rows: pd.DataFrame, scored: Scored) -> list[list[dict[str, Any]]]:
    """`explain` for many pairs at once, vectorised per comparison (hundreds of thousands of stored pairs at a
    million records): the same steps, labels and rounding."""
    columns: list[tuple[str, list[str], list[float]]] = []
    for name, levels in scored.levels.items():
        weight = pd.to_numeric(rows.get(f"mw_{name}", pd.Series(0.0, index=rows.index)), errors="coerce")
        weight = weight.fillna(0.0).to_numpy(dtype=float)
        if levels:
            level_weights = np.array([level[0] for level in levels])
            nearest = np.abs(weight[:, None] - level_weights[None, :]).argmin(axis=1)
            labels = np.array([level[1] for level in levels], dtype=object)[nearest]
        else:
            labels = np.full(len(rows), "", dtype=object)
        adjustment = pd.to_numeric(rows.get(f"mw_tf_adj_{name}", pd.Series(np.nan, index=rows.index)), errors="coerce")
        adjustment = adjustment.to_numpy(dtype=float)
        adjusted = ~np.isnan(adjustment)
        weight = np.where(adjusted, weight + np.nan_to_num(adjustment), weight)
        noted = adjusted & (np.abs(np.nan_to_num(adjustment)) >= 0.05)
        labels = np.where(noted, labels + _TF_NOTE, labels)
        columns.append((DESCRIPTIONS.get(name, name), labels.tolist(), np.round(weight, 2).tolist()))
    start = {
        "comparison": "Starting point",
        "level": "Two records chosen at random are rarely the same person",
        "weight": round(scored.prior_weight, 2),
    }
    return [
        [dict(start)]
        + [
            {"comparison": description, "level": labels[i], "weight": weights[i]}
            for description, labels, weights in columns
        ]
        for i in range(len(rows))
    ]


@dataclass(frozen=True)
class Settled:
    """What a scoring means for the records: their identity clusters, and which pairs are kept as evidence."""

    clusters: np.ndarray  # cluster id (smallest member position) per record position
    auto: np.ndarray  # per pair: linked without review
    review: np.ndarray  # per pair: waiting for a reviewer
    kept_auto: np.ndarray  # positions of the automatic links that hold each cluster together
    stored: np.ndarray  # positions of the pairs to store: those automatic links, then the review band


def settle(
    scored: Scored,
    count: int,
    *,
    rejected: np.ndarray | None = None,
    decided: np.ndarray | None = None,
    confirmed: np.ndarray | None = None,
) -> Settled:
    """Clusters are the connected components of the automatic links (minus pairs a reviewer rejected) plus the
    pairs reviewers confirmed; the review band is every pair below the auto-link weight nobody has decided. Of the
    automatic links only a maximum spanning forest is kept: a person with 40 records makes 780 automatic pairs,
    of which 39 explain the cluster. `rejected` and `decided` are masks over the scored pairs; `confirmed` is an
    (n, 2) array of record positions."""
    none = np.zeros(len(scored), dtype=bool)
    rejected = none if rejected is None else rejected
    decided = none if decided is None else decided
    auto = (scored.weight >= AUTO_LINK_WEIGHT) & ~rejected
    review = (scored.weight < AUTO_LINK_WEIGHT) & ~decided
    edges = np.column_stack([scored.left[auto], scored.right[auto]])
    if confirmed is not None and len(confirmed):
        edges = np.concatenate([edges, np.asarray(confirmed, dtype=np.int64).reshape(-1, 2)])
    clusters = cluster(count, edges)
    auto_index = np.flatnonzero(auto)
    kept_auto = auto_index[strongest_forest(count, scored.left[auto], scored.right[auto], scored.weight[auto])]
    stored = np.concatenate([kept_auto[~decided[kept_auto]], np.flatnonzero(review)])
    return Settled(clusters=clusters, auto=auto, review=review, kept_auto=kept_auto, stored=stored)


def cluster(count: int, links: Iterable[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Identity clusters: connected components of the link graph over record positions 0..count-1. A cluster is
    named by its smallest member position, so the same records give the same ids from run to run."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = (links if isinstance(links, np.ndarray) else np.array(list(links), dtype=np.int64)).reshape(-1, 2)
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
    # Find each tree edge among the given ones by its (low, high) key, vectorised: millions of automatic links
    # at a million records.
    keys = low.astype(np.int64) * count + high
    order = np.argsort(keys, kind="stable")
    tree_low, tree_high = np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)
    found = order[np.searchsorted(keys, tree_low.astype(np.int64) * count + tree_high, sorter=order)]
    return np.sort(found).astype(np.int64)
