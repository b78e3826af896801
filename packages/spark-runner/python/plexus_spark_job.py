"""Plexus on Apache Spark: scores a dataset with a scorecard, one long-lived Node worker per task.

spark-submit --py-files plexus_spark_rows.py,plexus_spark_worker.py,plexus_spark_input.py plexus_spark_job.py --input PATH --output PATH --scorecard FILE --worker worker.mjs
    [--node NODE] [--cache-dir DIR] [--partitions N] [--tasks N] [--format parquet|jsonl|csv]
    [--id-column NAME] [--batch --job-key KEY] [--models JSON]

Each task streams its partition's rows to `node worker.mjs` as JSON text, one Arrow batch per write
(JSONL lines as Spark read them, Parquet rows turned into JSON by Spark's `to_json` in the JVM, CSV
rows as core's parser reads them, `--parse-csv`), each with its row number and line as a local
read gives them (plexus_spark_rows.py: the ids of rows without an id column), grouped by id
(`--id-column`, the scorecard's data.id_column: a repeated id is a problem, as in a local read;
sharing_ids), and turns the
worker's flat result lines into Arrow in blocks with pyarrow's JSON reader (mapInArrow): no
Python work per row. Output: Parquet, one row per item and score
with the fields of results.jsonl (JSON fields as strings), rows that could not be read as rows
with `problem_line` set, and Spark's _SUCCESS marker. One bad item never fails a partition; a
worker that dies fails the task, and Spark's retry finds finished items in the shared cache.
"""
import argparse
import json
import os
import sys

from pyspark import TaskContext
from pyspark.sql import SparkSession

from plexus_spark_input import read_input
from plexus_spark_worker import SPARK_SCHEMA, arrow_block, input_blocks, run_worker


def score_partitions(args, fail_first_attempt: bool):
    def run(batches):
        context = TaskContext.get()
        partition = context.partitionId()
        command = [args.node, args.worker, "--scorecard", args.scorecard, "--cache-dir", args.cache_dir,
                   "--tasks", str(args.tasks)]
        if args.int64_columns:
            command += ["--int64-columns", json.dumps(args.int64_columns)]
        if args.models:
            # models:/ URIs the driver resolved (JSON: URI -> file): executors never talk to MLflow.
            command += ["--models", args.models]
        if args.grouped_by is not None:
            # The worker refuses a scorecard whose ids are in another column: its repeats would be missed.
            command += ["--grouped-by", args.grouped_by]
        if args.batch:
            # One record of batches per partition: a retry of this task re-attaches to them.
            folder = os.path.join(args.cache_dir, "batches", args.job_key, f"partition-{partition}")
            command += ["--batch", "--batch-dir", folder]
        sent = [0]
        blocks = input_blocks(batches, sent)
        received = 0
        forced = fail_first_attempt and partition == 0 and context.attemptNumber() == 0
        for block in run_worker(command, blocks):
            table = arrow_block(block)
            received += table.num_rows
            if forced:
                # A task that fails after the worker finished what it had started (its calls are
                # in the cache): the retry must not call the LLM again for any of them.
                continue
            yield from table.to_batches()
            print(f"plexus-progress partition={partition} results={received}", file=sys.stderr, flush=True)
        if forced:
            raise RuntimeError("plexus: forced task failure (spark.plexus.failFirstAttempt), to test retries")
        print(f"plexus-progress partition={partition} results={received} done rows={sent[0]}", file=sys.stderr, flush=True)

    return run


def tasks_at_once(spark, partitions: int) -> int:
    """Tasks that run at once: min(partitions, cores of the executors / spark.task.cpus)."""
    cores = spark.sparkContext.defaultParallelism
    per_task = int(spark.conf.get("spark.task.cpus", "1"))
    return max(1, min(partitions, cores // max(1, per_task)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--scorecard", required=True)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--node", default="node")
    parser.add_argument("--cache-dir", required=True)
    parser.add_argument("--partitions", type=int, default=0)
    parser.add_argument("--tasks", type=int, default=0)
    parser.add_argument("--batch", action="store_true")
    parser.add_argument("--job-key", default="job")
    parser.add_argument("--format", choices=["parquet", "jsonl", "csv"], required=True)
    # The scorecard's data.id_column: rows are grouped by it, so that a repeated id is found.
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--models", default="")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("plexus").getOrCreate()
    fail_first_attempt = spark.conf.get("spark.plexus.failFirstAttempt", "false") == "true"
    args.int64_columns, args.grouped_by = [], None
    frame = read_input(spark, args.input, args.format, args.partitions, [args.node, args.worker, "--parse-csv"], args)
    partitions = args.partitions if args.partitions > 0 else frame.rdd.getNumPartitions()
    args.tasks = args.tasks or tasks_at_once(spark, partitions)
    print(f"plexus: request limits divided among {args.tasks} tasks at once", file=sys.stderr, flush=True)
    results = frame.mapInArrow(score_partitions(args, fail_first_attempt), SPARK_SCHEMA)
    results.write.mode("overwrite").parquet(args.output)
    print(f"plexus: results written to {args.output}", file=sys.stderr, flush=True)
    spark.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
