"""A small local Spark job that loads the JVM classes the Plexus Spark tests use, run once by
scripts/spark-test-jvm.sh with -XX:ArchiveClassesAtExit so that later JVMs map them from the archive
instead of loading and verifying them from the jars again. It reads JSON lines as text, CSV and
Parquet, builds JSON in the JVM (to_json), maps partitions through Python with Arrow
(mapInArrow), shuffles (repartition), writes Parquet and reads it back: the same paths as
packages/spark-runner/python/plexus_spark_job.py and plexus_spark_train.py, without Node.
Usage: spark-submit spark-cds-warmup.py SCRATCH_FOLDER"""

import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def same_batches(batches):
    for batch in batches:
        yield batch


def main(scratch):
    lines = os.path.join(scratch, "items.jsonl")
    table = os.path.join(scratch, "items.csv")
    with open(lines, "w") as out:
        out.writelines('{"id": "m%d", "text": "message %d"}\n' % (n, n) for n in range(200))
    with open(table, "w") as out:
        out.write("id,text,label\n")
        out.writelines('c%d,"text, %d",%s\n' % (n, n, "spam" if n % 3 else "ham") for n in range(200))
    spark = SparkSession.builder.appName("plexus-cds-warmup").getOrCreate()
    text = spark.read.text(lines).repartition(2)
    text.mapInArrow(same_batches, text.schema).write.mode("overwrite").parquet(
        os.path.join(scratch, "text-out")
    )
    frame = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(table)
    as_json = frame.select(F.to_json(F.struct(*frame.columns), {"ignoreNullFields": "false"}).alias("value"))
    as_json.mapInArrow(same_batches, as_json.schema).write.mode("overwrite").parquet(
        os.path.join(scratch, "csv-out")
    )
    back = spark.read.parquet(os.path.join(scratch, "csv-out"), os.path.join(scratch, "text-out"))
    counted = back.groupBy(F.length("value") % 3).count().collect()
    if sum(row["count"] for row in counted) != 400:
        raise SystemExit("plexus cds warm-up: expected 400 rows back, got %s" % counted)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
