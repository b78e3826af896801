"""The input of the Plexus Spark jobs as JSON texts, one per row (JSONL lines as read, Parquet rows
made JSON in the JVM, CSV rows as core's parser reads them), numbered as a local read numbers them
and grouped by id (plexus_spark_rows.py). Imported by plexus_spark_job.py and plexus_spark_train.py.
"""
import json
import sys

import pyarrow as pa
from pyspark import cloudpickle
from pyspark.sql import functions as F

from plexus_spark_rows import (BLANK_LINE, key_pattern, numbered, numbered_counting, parquet_json, sharing_ids,
                               unsigned_longs)
from plexus_spark_worker import arrow_block, run_worker

# Its functions run on the executors (inside the jobs' mapInArrow functions): pickled by value,
# so that executors need not import this file (a job run by hand in client mode ships only itself).
cloudpickle.register_pickle_by_value(sys.modules[__name__])


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
