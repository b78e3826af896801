"""Plexus on Apache Spark: scores a dataset with a scorecard, one long-lived Node worker per task.

spark-submit plexus_spark_job.py --input PATH --output PATH --scorecard FILE --worker worker.mjs
    [--node NODE] [--cache-dir DIR] [--partitions N] [--tasks N] [--format parquet|jsonl|csv]
    [--batch --job-key KEY]

Each task streams its partition's rows (JSON lines) to `node worker.mjs` and turns the worker's
result lines into Arrow record batches (mapInArrow). Output: Parquet, one row per item and score
with the fields of results.jsonl (JSON fields as strings), rows that could not be read as rows
with `problem_line` set, and Spark's _SUCCESS marker. One bad item never fails a partition; a
worker that dies fails the task, and Spark's retry finds finished items in the shared cache.
"""
import argparse
import json
import os
import subprocess
import sys
import threading

import pyarrow as pa
from pyspark import TaskContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

FIELDS = [
    ("item_id", pa.string()), ("score", pa.string()), ("value", pa.string()), ("status", pa.string()),
    ("label", pa.string()), ("correct", pa.bool_()), ("explanation", pa.string()),
    ("confidence", pa.float64()), ("probabilities", pa.string()), ("cost_usd", pa.float64()),
    ("input_tokens", pa.int64()), ("output_tokens", pa.int64()), ("llm_calls", pa.int64()),
    ("retries", pa.int64()), ("latency_ms", pa.float64()), ("cached", pa.bool_()),
    ("error", pa.string()), ("trace", pa.string()), ("problem_line", pa.int64()),
    ("problem_message", pa.string()),
]
ARROW_SCHEMA = pa.schema(FIELDS)
SPARK_TYPES = {pa.string(): "string", pa.bool_(): "boolean", pa.float64(): "double", pa.int64(): "long"}
SPARK_SCHEMA = ", ".join(f"{name} {SPARK_TYPES[kind]}" for name, kind in FIELDS)
JSON_FIELDS = ("probabilities", "error", "trace")
ROW_NUMBER = "__plexus_row"


def to_record(line: dict) -> dict:
    if "problem" in line:
        problem = line["problem"]
        return {"item_id": None, "score": None, "status": "error", "problem_line": problem.get("line"),
                "problem_message": problem.get("message")}
    record = {name: line.get(name) for name, _ in FIELDS}
    for name in JSON_FIELDS:
        if record[name] is not None:
            record[name] = json.dumps(record[name])
    return record


def run_worker(command, lines_in, on_line):
    """Streams lines to a worker's stdin while reading its stdout; raises with its stderr if it fails."""
    worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, encoding="utf-8", bufsize=1 << 16)
    errors = []

    def feed():
        try:
            for line in lines_in:
                worker.stdin.write(line + "\n")
        except BrokenPipeError:
            pass
        except Exception as error:  # noqa: BLE001 - reported after the worker ends
            errors.append(error)
        finally:
            try:
                worker.stdin.close()
            except BrokenPipeError:
                pass

    stderr_tail = []

    def drain_stderr():
        for text in worker.stderr:
            stderr_tail.append(text)
            del stderr_tail[:-20]

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    threading.Thread(target=drain_stderr, daemon=True).start()
    for text in worker.stdout:
        if text.strip():
            yield on_line(json.loads(text))
    code = worker.wait()
    feeder.join()
    if errors:
        raise errors[0]
    if code != 0:
        raise RuntimeError(f"plexus worker exited with {code}: {''.join(stderr_tail)[-2000:]}")


def score_partitions(args, fail_first_attempt: bool):
    def run(batches):
        context = TaskContext.get()
        command = [args.node, args.worker, "--scorecard", args.scorecard, "--cache-dir", args.cache_dir,
                   "--tasks", str(args.tasks)]
        if args.batch:
            # One record of batches per partition: a retry of this task re-attaches to them.
            folder = os.path.join(args.cache_dir, "batches", args.job_key, f"partition-{context.partitionId()}")
            command += ["--batch", "--batch-dir", folder]

        sent = [0]

        def rows():
            for batch in batches:
                for row in batch.to_pylist():
                    number = row.pop(ROW_NUMBER)
                    sent[0] += 1
                    if args.format == "jsonl":
                        # Read as text: the worker parses the line (no schema inference pass).
                        yield json.dumps({"n": number + 1, "line": row["value"]})
                    else:
                        yield json.dumps({"n": number + 1, "row": row}, default=str)

        records = []
        received = 0
        forced = fail_first_attempt and context.partitionId() == 0 and context.attemptNumber() == 0
        for record in run_worker(command, rows(), to_record):
            received += 1
            if forced:
                # A task that fails after the worker finished what it had started (its calls are
                # in the cache): the retry must not call the LLM again for any of them.
                continue
            records.append(record)
            if len(records) >= 1000:
                yield pa.RecordBatch.from_pylist(records, schema=ARROW_SCHEMA)
                records = []
                print(f"plexus-progress partition={context.partitionId()} results={received}", file=sys.stderr, flush=True)
        if forced:
            raise RuntimeError("plexus: forced task failure (spark.plexus.failFirstAttempt), to test retries")
        if records:
            yield pa.RecordBatch.from_pylist(records, schema=ARROW_SCHEMA)
        print(f"plexus-progress partition={context.partitionId()} results={received} done rows={sent[0]}", file=sys.stderr, flush=True)

    return run


def read_input(spark, path: str, kind: str):
    if kind == "parquet":
        return spark.read.parquet(path)
    if kind == "jsonl":
        # One string column per line: Spark infers no schema (a full pass over the data).
        return spark.read.text(path)
    frame = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(path)
    # Empty CSV fields are empty strings, not null, as Plexus reads CSV in-process.
    return frame.na.fill("")


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
    args = parser.parse_args()
    spark = SparkSession.builder.appName("plexus").getOrCreate()
    fail_first_attempt = spark.conf.get("spark.plexus.failFirstAttempt", "false") == "true"
    frame = read_input(spark, args.input, args.format)
    if args.partitions > 0:
        frame = frame.repartition(args.partitions)
    frame = frame.withColumn(ROW_NUMBER, F.monotonically_increasing_id())
    args.tasks = args.tasks or tasks_at_once(spark, frame.rdd.getNumPartitions())
    print(f"plexus: request limits divided among {args.tasks} tasks at once", file=sys.stderr, flush=True)
    results = frame.mapInArrow(score_partitions(args, fail_first_attempt), SPARK_SCHEMA)
    results.write.mode("overwrite").parquet(args.output)
    print(f"plexus: results written to {args.output}", file=sys.stderr, flush=True)
    spark.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
