"""Plexus on Apache Spark: trains a random-forest score, its trees grown by shard across executors.

spark-submit --py-files plexus_spark_rows.py,plexus_spark_worker.py,plexus_spark_input.py plexus_spark_train.py --input PATH --output DIR
    --scorecard FILE --score NAME --worker train-worker.mjs [--node NODE] --shards N --seed S
    --test-fraction F [--format parquet|jsonl|csv] [--id-column NAME]

Rows are read as the scoring job reads them (plexus_spark_input.read_input): JSON texts numbered
as a local read numbers them, CSV parsed by `train-worker.mjs parse-csv` with core's parser,
grouped by id (`--id-column`, the scorecard's data.id_column) so that the prepare step reports a
repeated id as a local read does (the later rows not used), Parquet int64 columns sent exact.
1. prepare: each partition's rows go through `node train-worker.mjs prepare`, which makes items
   (the score's processors applied), puts each on the train or test side (by a hash of its id and
   the seed) and in a shard (by a hash of its id), and counts the terms of its training items.
2. The driver sums the term counts with Spark aggregations and asks `train-worker.mjs featurizer`
   for the vocabulary and IDF: the same code a local training runs, on the same sums.
3. grow: the training items are partitioned by shard; each partition's task grows its share of trees
   (tree t in shard t mod N) on bootstrap samples of its own items.
Output in DIR: forest-parts.jsonl (featurizer, shard summaries, trees), summary.json (counts,
the first rows that could not be used), test/ (the test items as JSON lines) and problems/.
"""
import argparse
import itertools
import json
import os
import sys
import time

import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from plexus_spark_input import read_input
from plexus_spark_worker import run_worker as run_worker_blocks

PREPARED = "kind string, side string, shard long, payload string"
PREPARED_ARROW = pa.schema([("kind", pa.string()), ("side", pa.string()), ("shard", pa.int64()), ("payload", pa.string())])


def worker_command(args, step, *extra):
    return [args.node, args.worker, step, "--scorecard", args.scorecard, "--score", args.score,
            "--shards", str(args.shards), *extra]


def prepare_command(args):
    """The prepare step: the split and, as the scoring worker takes them, the Parquet int64
    columns sent as digits and the id column the rows were grouped by."""
    extra = ["--seed", str(args.seed), "--test-fraction", str(args.test_fraction)]
    if args.int64_columns:
        extra += ["--int64-columns", json.dumps(args.int64_columns)]
    if args.grouped_by is not None:
        extra += ["--grouped-by", args.grouped_by]
    return worker_command(args, "prepare", *extra)


def run_worker(command, lines_in, on_line):
    """The worker as lines: JSON texts in, each answer line parsed and passed through on_line."""
    blocks = ((line + "\n").encode("utf-8") for line in lines_in)
    for block in run_worker_blocks(command, blocks):
        # Split on "\n" only: str.splitlines() also splits on U+2028, U+2029 and U+0085, which
        # JSON.stringify leaves unescaped in item texts.
        for text in block.split(b"\n"):
            if text.strip():
                yield on_line(json.loads(text))


def prepare_partitions(args):
    def run(batches):
        def rows():
            for batch in batches:
                for row in batch.to_pylist():
                    # `shared`: the row's id may repeat another's (sharing_ids); the worker checks it.
                    yield json.dumps({"n": row["n"], "line": row["line"], "text": row["value"], "problem": row["problem"],
                                      "shared": bool(row.get("shared"))})

        def record(line):
            kind = line.pop("kind")
            # Items travel as the item alone, passed to the grow step as they are.
            payload = line["item"] if kind == "item" else line
            return {"kind": kind, "side": line.get("side"), "shard": line.get("shard"), "payload": json.dumps(payload)}

        records = []
        for item in run_worker(prepare_command(args), rows(), record):
            records.append(item)
            if len(records) >= 2000:
                yield pa.RecordBatch.from_pylist(records, schema=PREPARED_ARROW)
                records = []
        if records:
            yield pa.RecordBatch.from_pylist(records, schema=PREPARED_ARROW)

    return run


def grow_shards(args, header):
    def run(shard, pairs):
        # One partition per shard (partitionBy with the shard as its own partition number).
        lines = (payload for _, payload in pairs)
        grown = list(run_worker(worker_command(args, "grow", "--shard", str(shard)),
                                itertools.chain([json.dumps(header)], lines), lambda line: line))
        print(f"plexus-progress shard={shard} trees={sum(1 for line in grown if line['kind'] == 'tree')}",
              file=sys.stderr, flush=True)
        return (json.dumps(line) for line in grown)

    return run


def featurizer_of(args, spark_terms, documents):
    statistics = json.dumps({"documents": documents, "terms": spark_terms})
    results = list(run_worker(worker_command(args, "featurizer"), [statistics], lambda line: line))
    return results[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--input", "--output", "--scorecard", "--score", "--worker"):
        parser.add_argument(name, required=True)
    parser.add_argument("--node", default="node")
    parser.add_argument("--shards", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--max-features", type=int, default=0, help="learned vocabulary size; 0 for hashing")
    parser.add_argument("--min-df", type=int, default=1)
    parser.add_argument("--format", choices=["parquet", "jsonl", "csv"], required=True)
    # The scorecard's data.id_column: rows are grouped by it, so that a repeated id is found.
    parser.add_argument("--id-column", default="id")
    args = parser.parse_args()
    args.int64_columns, args.grouped_by = [], None
    started = time.monotonic()

    def step(name):
        print(f"plexus-progress step={name} elapsed_s={time.monotonic() - started:.1f}", file=sys.stderr, flush=True)

    spark = SparkSession.builder.appName("plexus-train").getOrCreate()
    step("spark-started")
    parallelism = max(args.shards, spark.sparkContext.defaultParallelism)
    if spark.conf.get("spark.sql.shuffle.partitions") == "200":  # Spark's default: far too many here
        spark.conf.set("spark.sql.shuffle.partitions", str(parallelism))
    # Rows as the scoring job reads them: JSON texts numbered as a local read numbers them (the
    # ids of rows without an id column decide their side and shard), grouped by id (or spread)
    # in `parallelism` partitions; Parquet int64 columns exact (args.int64_columns).
    rows = read_input(spark, args.input, args.format, 0, [args.node, args.worker, "parse-csv"], args, parallelism)
    prepared = rows.mapInArrow(prepare_partitions(args), PREPARED).cache()

    kinds = {row["kind"]: row["count"] for row in prepared.groupBy("kind").count().collect()
             if row["kind"] not in ("term", "documents")}
    step("prepared")
    documents = prepared.where(F.col("kind") == "documents") \
        .select(F.get_json_object("payload", "$.count").cast("long").alias("count")) \
        .agg(F.sum("count")).first()[0] or 0
    terms = prepared.where(F.col("kind") == "term").select(
        F.get_json_object("payload", "$.key").alias("key"),
        F.get_json_object("payload", "$.count").cast("long").alias("count"),
        F.get_json_object("payload", "$.documents").cast("long").alias("documents"),
    ).groupBy("key").agg(F.sum("count").alias("count"), F.sum("documents").alias("documents")).cache()
    if args.max_features > 0:
        # A learned vocabulary: send the driver only the terms it can choose, those in enough
        # items and at least as frequent as the max_features-th of them (ties kept; Node makes
        # the exact choice, as a local training does).
        terms = terms.where(F.col("documents") >= args.min_df)
        cutoff = terms.orderBy(F.desc("count")).limit(args.max_features).agg(F.min("count")).first()[0] or 0
        terms = terms.where(F.col("count") >= cutoff)
    collected = [[row["key"], row["count"], row["documents"]] for row in terms.collect()]
    featurizer = featurizer_of(args, collected, documents)
    step("featurizer")

    train = prepared.where((F.col("kind") == "item") & (F.col("side") == "train"))
    labels = train.select(F.get_json_object("payload", "$.label").alias("label")).groupBy("label").count().collect()
    header = {"featurizer": featurizer, "label_counts": {row["label"]: row["count"] for row in labels}}
    grown = (train.select("shard", "payload").rdd.map(tuple).partitionBy(args.shards, lambda shard: shard)
             .mapPartitionsWithIndex(grow_shards(args, header)).collect())

    step("grown")
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, "forest-parts.jsonl"), "w", encoding="utf-8") as parts:
        parts.write(json.dumps({"kind": "featurizer", "featurizer": featurizer}) + "\n")
        for line in grown:
            parts.write(line + "\n")
    prepared.where((F.col("kind") == "item") & (F.col("side") == "test")).select("payload").write.mode("overwrite").text(os.path.join(args.output, "test"))
    problems = prepared.where(F.col("kind").isin("problem", "left_out", "unknown"))
    problems.select("payload").write.mode("overwrite").text(os.path.join(args.output, "problems"))
    summary = {
        "counts": kinds,
        "documents": documents,
        "terms": len(collected),
        "first_problems": [json.loads(row["payload"]) for row in problems.where(F.col("kind") == "problem").limit(20).collect()],
    }
    with open(os.path.join(args.output, "summary.json"), "w", encoding="utf-8") as file:
        json.dump(summary, file, indent=2)
    step("written")
    print(f"plexus: forest parts written to {args.output}", file=sys.stderr, flush=True)
    spark.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
