"""Row numbers as Plexus counts them in-process, for the scoring and the training job.

A row without an id column gets its row number as its id: 1-based, in file order, among the rows
a local read gives (core's dataset reader: blank JSONL lines are not rows; malformed ones are).
Spark's monotonically_increasing_id (partition << 33 + position) is not that number; `numbered`
computes it in the JVM, with no data on the driver (a count per partition only).

A repeated id is a problem in a local read (the later row is not scored); `sharing_ids` groups
the rows by id so that the scoring worker finds them the same way. `parquet_json`: Parquet rows
as the JSON texts the workers read (int64 and unsigned 64-bit columns exact: unsigned_longs).
"""
import sys

from pyspark.sql import Window
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StringType, StructField, StructType

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
    """`numbered_counting` without a count (see there)."""
    return numbered_counting(frame, kept)[0]


def numbered_counting(frame, kept=None, counted=None):
    """Adds `n`, row numbers as a local read counts them (1-based, in file order: the ids of rows
    without an id column), and `line`, each row's position among all rows read (1-based: a JSONL
    file's line number, a Parquet file's row number). With `kept` (a boolean column), only the rows
    where it is true are kept, and numbered in `n`; `line` still counts every row.

    Computed in the JVM: one pass counts each partition's rows, then each partition's rows are
    numbered after those of the partitions before it. Call it on the frame as read (its
    partitions in file order), before any repartition or filter. Returns the frame and, in the
    same pass, the number of kept rows where `counted` (a boolean column) is true (0 without it).
    """
    frame = frame.withColumn("__partition", F.spark_partition_id()) \
        .withColumn("__line", _position()) \
        .withColumn("__kept", F.lit(True) if kept is None else kept)
    counting = F.lit(False) if counted is None else F.col("__kept") & counted
    counts = frame.groupBy("__partition").agg(
        F.count(F.lit(1)).alias("lines"), F.sum(F.col("__kept").cast("long")).alias("rows"),
        F.sum(counting.cast("long")).alias("counted")).collect()
    # A filter is not moved below the nondeterministic positions above: `__line` counts every row,
    # the position taken after the filter only the kept ones.
    frame = frame.withColumn("line", _offsets(counts, "lines") + F.col("__line") + 1).where(F.col("__kept"))
    frame = frame.withColumn("n", _offsets(counts, "rows") + _position() + 1) \
        .drop("__partition", "__line", "__kept")
    return frame, sum(row["counted"] or 0 for row in counts)


def key_pattern(name: str):
    """A Java (and Python) regular expression found in every JSON text whose object may have the
    key `name`: its characters each as JSON can write them (as they are, `\\uXXXX` in either
    case, a short escape such as `\\/`), then `"`, white space and `:`. A line it is not found in
    has no such key. None for a name beyond ASCII (surrogate pairs): every line may have it."""
    if not name.isascii():
        return None
    # JSON's short escapes: a backslash, then this character.
    short = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}
    parts = []
    for char in name:
        ways = []
        if char >= " " and char not in '"\\':
            ways.append(char if char.isalnum() else "\\" + char)
        hex_digits = "".join(f"[{digit}{digit.upper()}]" if digit.isalpha() else digit for digit in f"{ord(char):04x}")
        ways.append("\\\\u" + hex_digits)
        if char in short:
            ways.append("\\\\" + ("\\" + short[char] if not short[char].isalnum() else short[char]))
        parts.append("(?:" + "|".join(ways) + ")")
    return '"' + "".join(parts) + '"\\s*:'


def _same_number(text):
    """`text` as a number written one way (5, 5.0, 5e0 and "5" alike), or as it is if not one."""
    number = text.try_cast("double") + F.lit(0.0)  # + 0.0: -0 is 0, as JavaScript writes it
    return F.coalesce(number.cast("string"), text)


def id_key(frame, id_column: str):
    """A key per row, equal for the rows whose ids a local read finds equal (core's itemReader: the
    id column's text, a number or boolean as JavaScript writes it, the row number when the column
    is missing), and for a few more (5, 5.0 and "5" share one; the worker decides).

    `__id`: the id column as text (a Parquet column cast, or read from the JSON text `value` of
    JSONL lines and CSV rows by sharing_ids), or null where a row has none."""
    return F.coalesce(_same_number(F.col("__id")), _same_number(F.col("n").cast("string")))


def sharing_ids(frame, id_column: str, partitions: int):
    """The frame in `partitions` partitions by id key (id_key), so that all the rows that may
    share an id are in one partition, each key's rows in line order, and `shared` true on the rows
    whose key another row has. A local read reports a row whose id an earlier row has; the worker
    does the same among its `shared` rows, in the order they come: the lowest line is kept.
    One shuffle (it replaces the repartition of the rows) and a sort by key and line in each
    partition; the ids never reach the driver."""
    if "__id" not in frame.columns:
        schema = StructType([StructField(id_column, StringType())])  # numbers kept as written
        frame = frame.withColumn("__id", F.from_json(F.col("value"), schema).getField(id_column))
    keyed = frame.withColumn("__key", id_key(frame, id_column)).repartition(partitions, "__key")
    # Already partitioned by key: the window adds only a sort within each partition.
    group = Window.partitionBy("__key").orderBy("line") \
        .rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    return keyed.withColumn("shared", F.count(F.lit(1)).over(group) > 1).drop("__key", "__id")


def _first_parquet_file(filesystem, path):
    """The first data file under a Parquet path (a file, or a folder of part files, partition
    folders included), skipping `_SUCCESS`, `_metadata` and hidden files; None if there is none."""
    status = filesystem.getFileStatus(path)
    if not status.isDirectory():
        return path
    entries = sorted(filesystem.listStatus(path), key=lambda entry: entry.getPath().getName())
    for entry in entries:
        name = entry.getPath().getName()
        if name.startswith("_") or name.startswith("."):
            continue
        found = _first_parquet_file(filesystem, entry.getPath())
        if found is not None:
            return found
    return None


def unsigned_longs(spark, path: str):
    """The names of the top-level unsigned 64-bit integer columns (Parquet `INTEGER(64,false)`) of
    the Parquet input, read from the footer of its first file with Spark's own Parquet reader (any
    filesystem Spark reads). Spark reads them as decimal(20,0), which `to_json` writes as numbers
    that JavaScript rounds above 2^53; core's Parquet reader gives their exact value."""
    jvm = spark._jvm
    conf = spark._jsc.hadoopConfiguration()
    try:
        root = jvm.org.apache.hadoop.fs.Path(path)
        first = _first_parquet_file(root.getFileSystem(conf), root)
        if first is None:
            return []
        reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(
            jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(first, conf))
        try:
            schema = reader.getFooter().getFileMetaData().getSchema()
        finally:
            reader.close()
    except Exception as error:  # noqa: BLE001 - a glob, say: said, and the job goes on as before
        print(f"plexus: could not read the Parquet footer of {path} ({str(error).splitlines()[0]}): unsigned "
              "64-bit columns, if any, arrive rounded above 2^53", file=sys.stderr, flush=True)
        return []
    return [field.getName() for field in schema.getFields()
            if field.isPrimitive() and str(field.getLogicalTypeAnnotation()) == "INTEGER(64,false)"]


def parquet_json(rows, exact_longs: bool, unsigned=()):
    """Each Parquet row as JSON text, made in the JVM (nulls kept as null, as the rows were sent
    before), and the names of its 64-bit integer columns. With `exact_longs` those are written as
    strings ("digits"): Spark's `to_json` writes numbers, which JavaScript reads rounded above
    2^53; the workers turn each back into a number when it is exact (`--int64-columns`), as core's
    Parquet reader does. `unsigned` (unsigned_longs: decimal(20,0) in Spark) are among them."""
    quoted = {name: F.col("`" + name.replace("`", "``") + "`") for name in rows.columns}
    longs = [field.name for field in rows.schema.fields
             if isinstance(field.dataType, LongType) or field.name in unsigned] if exact_longs else []
    columns = [quoted[name].cast("string").alias(name) if name in longs else quoted[name] for name in rows.columns]
    return F.to_json(F.struct(*columns), {"ignoreNullFields": "false"}).alias("value"), longs
