"""The Node workers of the Plexus Spark jobs, as seen from a task: each Arrow batch of rows as one
block of the worker's input (see worker-protocol.ts), the worker run as a subprocess that is fed
while its output is read, and its output lines turned into Arrow a block at a time with pyarrow's
JSON reader (no Python work per row). Imported by plexus_spark_job.py, plexus_spark_input.py and
plexus_spark_train.py.
"""
import io
import json
import subprocess
import sys
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
from pyspark import cloudpickle

# Its functions run on the executors (inside the jobs' mapInArrow functions): pickled by value,
# so that executors need not import this file (a job run by hand in client mode ships only itself).
cloudpickle.register_pickle_by_value(sys.modules[__name__])

FIELDS = [
    ("item_id", pa.string()), ("score", pa.string()), ("value", pa.string()), ("status", pa.string()),
    ("label", pa.string()), ("correct", pa.bool_()), ("explanation", pa.string()),
    ("confidence", pa.float64()), ("probabilities", pa.string()), ("cost_usd", pa.float64()),
    ("unpriced_model", pa.string()), ("tokens_unknown", pa.bool_()),
    ("input_tokens", pa.int64()), ("output_tokens", pa.int64()), ("llm_calls", pa.int64()),
    ("retries", pa.int64()), ("latency_ms", pa.float64()), ("cached", pa.bool_()),
    ("error", pa.string()), ("trace", pa.string()), ("problem_line", pa.int64()),
    ("problem_message", pa.string()),
    # The item's text (its first characters) on its first line, as a local run's results.jsonl.
    ("text", pa.string()), ("text_length", pa.int64()),
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
