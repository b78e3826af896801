"""Row numbers as Plexus counts them in-process, for the scoring and the training job.

A row without an id column gets its row number as its id: 1-based, in file order, among the rows
a local read gives (core's dataset reader: blank JSONL lines are not rows; malformed ones are).
Spark's monotonically_increasing_id (partition << 33 + position) is not that number; `numbered`
computes it in the JVM, with no data on the driver (a count per partition only).
"""
from pyspark.sql import functions as F

PARTITION_SHIFT = 33  # monotonically_increasing_id: the partition above bit 33, the position below

# A JSONL line that is blank as core's `jsonlRow` sees it (JavaScript's String.prototype.trim
# removes exactly these: ASCII whitespace, the Unicode space separators, LS, PS and the BOM).
# \z, not $: Java's $ also matches before a last line terminator such as U+0085, not one of these.
BLANK_LINE = r"^[\t\n\x0B\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]*\z"


def _offsets(counts, name):
    """Each partition's first number minus 1: the sum of `name` over the partitions before it."""
    offsets, total = {}, 0
    for row in sorted(counts, key=lambda row: row["__partition"]):
        offsets[row["__partition"]] = total
        total += row[name] or 0
    if not offsets:
        return F.lit(0)
    return F.create_map(*[F.lit(value) for pair in offsets.items() for value in pair])[F.col("__partition")]


def _position():
    """A row's 0-based position in its partition, among the rows that reach this point."""
    return F.monotonically_increasing_id() - F.shiftleft(F.spark_partition_id().cast("long"), PARTITION_SHIFT)


def numbered(frame, kept=None):
    """Adds `n`, row numbers as a local read counts them (1-based, in file order: the ids of rows
    without an id column), and `line`, each row's position among all rows read (1-based: a JSONL
    file's line number, a Parquet file's row number). With `kept` (a boolean column), only the rows
    where it is true are kept, and numbered in `n`; `line` still counts every row.

    Computed in the JVM: one pass counts each partition's rows, then each partition's rows are
    numbered after those of the partitions before it. Call it on the frame as read (its
    partitions in file order), before any repartition or filter.
    """
    frame = frame.withColumn("__partition", F.spark_partition_id()) \
        .withColumn("__line", _position()) \
        .withColumn("__kept", F.lit(True) if kept is None else kept)
    counts = frame.groupBy("__partition").agg(
        F.count(F.lit(1)).alias("lines"), F.sum(F.col("__kept").cast("long")).alias("rows")).collect()
    # A filter is not moved below the nondeterministic positions above: `__line` counts every row,
    # the position taken after the filter only the kept ones.
    frame = frame.withColumn("line", _offsets(counts, "lines") + F.col("__line") + 1).where(F.col("__kept"))
    return frame.withColumn("n", _offsets(counts, "rows") + _position() + 1) \
        .drop("__partition", "__line", "__kept")
