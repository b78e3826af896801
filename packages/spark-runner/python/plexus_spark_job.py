"""Plexus on Apache Spark: scores a dataset with a scorecard, one long-lived Node worker per task.

spark-submit --py-files plexus_spark_rows.py plexus_spark_job.py --input PATH --output PATH --scorecard FILE --worker worker.mjs
    [--node NODE] [--cache-dir DIR] [--partitions N] [--tasks N] [--format parquet|jsonl|csv]
    [--id-column NAME] [--batch --job-key KEY]

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
import io
import json
import os
import subprocess
import sys
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
from pyspark import TaskContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from plexus_spark_rows import (BLANK_LINE, key_pattern, numbered, numbered_counting, parquet_json, sharing_ids,
                               unsigned_longs)

FIELDS = [
    ("item_id", pa.string()), ("score", pa.string()), ("value", pa.string()), ("status", pa.string()),
    ("label", pa.string()), ("correct", pa.bool_()), ("explanation", pa.string()),
    ("confidence", pa.float64()), ("probabilities", pa.string()), ("cost_usd", pa.float64()),
    ("unpriced_model", pa.string()), ("tokens_unknown", pa.bool_()),
    ("input_tokens", pa.int64()), ("output_tokens", pa.int64()), ("llm_calls", pa.int64()),
    ("retries", pa.int64()), ("latency_ms", pa.float64()), ("cached", pa.bool_()),
    ("error", pa.string()), ("trace", pa.string()), ("problem_line", pa.int64()),
    ("problem_message", pa.string()),
]
ARROW_SCHEMA = pa.schema(FIELDS)
SPARK_TYPES = {pa.string(): "string", pa.bool_(): "boolean", pa.float64(): "double", pa.int64(): "long"}
SPARK_SCHEMA = ", ".join(f"{name} {SPARK_TYPES[kind]}" for name, kind in FIELDS)


JSON_READ = pajson.ParseOptions(explicit_schema=ARROW_SCHEMA, unexpected_field_behavior="ignore")
BLOCK_BYTES = 4 << 20  # worker output converted to Arrow in blocks of about this size
BLOCK_SECONDS = 1.0  # ... or at least this often, so that progress and results keep flowing


def input_blocks(batches, counter: list):
    """Each Arrow batch (JSON texts, row numbers, lines, problems) as one block of the worker's
    input (see worker-protocol.ts)."""
    for batch in batches:
        texts = ["" if text is None else text for text in batch.column("value").to_pylist()]
        if not texts:
            continue
        column = batch.column("problem")
        problems = [] if column.null_count == len(column) else \
            [[index, message] for index, message in enumerate(column.to_pylist()) if message is not None]
        fields = {"rows": batch.column("n").to_pylist(), "lines": batch.column("line").to_pylist(),
                  "problems": problems}
        if "shared" in batch.schema.names:
            # Rows whose id may repeat another's (plexus_spark_rows.sharing_ids): the worker checks them.
            fields["shared"] = pc.indices_nonzero(pc.fill_null(batch.column("shared"), False)).to_pylist()
        header = json.dumps(fields)
        counter[0] += len(texts)
        yield ("\n".join([header, *texts]) + "\n").encode("utf-8")


def arrow_block(data: bytes, schema: pa.Schema = ARROW_SCHEMA) -> pa.Table:
    """Complete JSON lines of a worker as a table with the schema's columns, in order (the
    output's columns by default)."""
    options = JSON_READ if schema is ARROW_SCHEMA else \
        pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    table = pajson.read_json(io.BytesIO(data), parse_options=options,
                             read_options=pajson.ReadOptions(use_threads=False, block_size=max(1 << 20, len(data) + 1)))
    columns = [table.column(field.name) if field.name in table.column_names else pa.nulls(table.num_rows, field.type)
               for field in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def run_worker(command, blocks_in):
    """Streams blocks to a worker's stdin while reading its stdout; yields its complete lines in
    blocks (bytes); raises with its stderr if it fails."""
    worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              bufsize=0)
    errors = []

    def feed():
        try:
            for block in blocks_in:
                worker.stdin.write(block)
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
            stderr_tail.append(text.decode("utf-8", "replace"))
            del stderr_tail[:-20]

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    threading.Thread(target=drain_stderr, daemon=True).start()
    try:
        pending = b""
        flushed = time.monotonic()
        while True:
            data = worker.stdout.read(1 << 20)
            if data:
                pending += data
            end = pending.rfind(b"\n") + 1
            if end > 0 and (not data or end >= BLOCK_BYTES or time.monotonic() - flushed >= BLOCK_SECONDS):
                yield pending[:end]
                pending = pending[end:]
                flushed = time.monotonic()
            if not data:
                break
    finally:
        if worker.poll() is None and (errors or sys.exc_info()[0] is not None):
            worker.kill()
    code = worker.wait()
    feeder.join()
    if errors:
        raise errors[0]
    if code != 0:
        raise RuntimeError(f"plexus worker exited with {code}: {''.join(stderr_tail)[-2000:]}")


def score_partitions(args, fail_first_attempt: bool):
    def run(batches):
        context = TaskContext.get()
        partition = context.partitionId()
        command = [args.node, args.worker, "--scorecard", args.scorecard, "--cache-dir", args.cache_dir,
                   "--tasks", str(args.tasks)]
        if args.int64_columns:
            command += ["--int64-columns", json.dumps(args.int64_columns)]
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


def input_bytes(spark, path: str) -> int:
    """The input's size in bytes, on any filesystem Spark reads (Hadoop's FileSystem)."""
    hadoop_path = spark._jvm.org.apache.hadoop.fs.Path(path)
    filesystem = hadoop_path.getFileSystem(spark._jsc.hadoopConfiguration())
    return filesystem.getContentSummary(hadoop_path).getLength()


def read_frame(spark, path: str, kind: str, partitions: int = 0):
    """JSONL as one string column of lines, or Parquet by column, as Spark reads them: partitions
    in file order. With `partitions`, JSONL is read in about that many byte ranges."""
    if kind == "jsonl":
        if partitions > 0:
            # Byte ranges of about size / partitions each: the read itself gives the partitions,
            # with no shuffle of the data (read_input repartitions only if it does not).
            split = max(1, -(-input_bytes(spark, path) // partitions))
            spark.conf.set("spark.sql.files.maxPartitionBytes", str(split))
            spark.conf.set("spark.sql.files.openCostInBytes", "0")
        # One string column per line: Spark infers no schema (a full pass over the data), and the
        # worker parses each line as in-process reading does.
        return spark.read.text(path)
    return spark.read.parquet(path)


PARSED = "value string, n long, line long, problem string"
PARSED_ARROW = pa.schema([("value", pa.string()), ("n", pa.int64()), ("line", pa.int64()), ("problem", pa.string())])


def parsed_csv(spark, path: str, command):
    """A CSV file's rows as core's parser reads them in-process (quoted fields over several lines,
    blank lines skipped, a malformed row a problem on its first line), numbered as a local read
    numbers them: `command` (a worker's CSV step, csv-rows.ts) reads the file's text in one task,
    streamed in file order (Spark's own multi-line CSV read also takes a file in one task; it
    gives no line numbers and pads or cuts a row with the wrong number of fields)."""
    # One split for the whole file: the parser needs its lines in order.
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(1 << 60))
    spark.conf.set("spark.sql.files.openCostInBytes", str(1 << 60))
    # Lines end at "\n" only (a "\r" before it stays): joined again, they are the file's text.
    lines = spark.read.text(path, lineSep="\n")

    def run(batches):
        blocks = (("\n".join(["" if text is None else text for text in batch.column(0).to_pylist()]) + "\n")
                  .encode("utf-8") for batch in batches if batch.num_rows > 0)
        for block in run_worker(command, blocks):
            yield from arrow_block(block, PARSED_ARROW).to_batches()

    return lines.mapInArrow(run, PARSED)


def read_input(spark, path: str, kind: str, partitions: int, parse_csv, job=None, spread=0):
    """The input as JSON texts (`value`, one per row, or null with `problem` for a CSV row that
    could not be read), each with its row number `n` and `line` as a local read gives them (the
    ids of rows without an id column, the lines of problems), numbered in file order, then
    repartitioned into `partitions` (if > 0; `spread`, if > 0, instead, without changing how JSONL
    is split when read). `parse_csv`: the command of a worker's CSV step.

    With `job` (the scoring job's arguments): rows are repartitioned by id instead (unless no row
    can have an id column: JSONL lines none of which names it, Parquet without it), with `shared`
    set on the rows whose id may repeat another's (sharing_ids, by `job.id_column`), and Parquet
    int64 columns are sent exact, named in `job.int64_columns` (`job.grouped_by`: the id column
    the rows were grouped by, if they were)."""
    no_problem = F.lit(None).cast("string").alias("problem")
    keyed = job is not None
    id_column = job.id_column if keyed else "id"
    extra = []
    if kind == "csv":
        frame = parsed_csv(spark, path, parse_csv)
    elif kind == "jsonl":
        lines = read_frame(spark, path, "jsonl", partitions)
        # Blank lines are not rows (core's jsonlRow): not counted in `n`, counted in `line`. The
        # same pass counts the lines that may name the id column (key_pattern): with none, every
        # id is a row number, none repeats, and the rows stay in the byte ranges read (no shuffle).
        pattern = key_pattern(id_column) if keyed else None
        naming = F.col("value").rlike(pattern) if pattern else F.lit(keyed)
        frame, naming_rows = numbered_counting(lines, ~F.col("value").rlike(BLANK_LINE), naming)
        frame = frame.select("value", "n", "line", no_problem)
        keyed = naming_rows > 0
    else:
        rows = read_frame(spark, path, "parquet")
        value, longs = parquet_json(rows, keyed, unsigned_longs(spark, path) if keyed else ())
        if keyed:
            job.int64_columns = longs
            # Without an id column every id is a row number: none repeats, nothing to group.
            keyed = id_column in rows.columns
            if keyed:
                extra = [F.col("`" + id_column.replace("`", "``") + "`").cast("string").alias("__id")]
        frame = numbered(rows).select(value, "n", "line", no_problem, *extra)
    read = frame.rdd.getNumPartitions()
    print(f"plexus: input read in {read} partitions, rows numbered in file order", file=sys.stderr, flush=True)
    target = spread or partitions or read
    if keyed:
        job.grouped_by = id_column
        print(f"plexus: rows grouped by id (column {json.dumps(id_column)}) in {target} partitions",
              file=sys.stderr, flush=True)
        return sharing_ids(frame, id_column, target)
    if target != read:
        frame = frame.repartition(target)
    return frame


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
