// The Plexus Spark worker: one long-lived process per Spark task. Reads blocks of rows on stdin,
// scores them with the normal engine (batching, concurrency, cache) and writes one flat JSON
// line per item and score on stdout, or a problem row for a row that cannot become an item (the
// protocol: worker-protocol.ts). Exit code 2: bad scorecard. With --parse-csv: reads a CSV file's
// text on stdin and writes its rows, numbered as a local read numbers them (csv-rows.ts).
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { plugin as forest } from '@plexus/classifier-forest';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { plugin as onnx } from '@plexus/classifier-onnx';
import {
  closeScorecard,
  type DatasetItem,
  defaultItemTextChars,
  directoryCache,
  errorMessage,
  goldColumns,
  itemOfRecord,
  loadScorecard,
  PlexusError,
  resultLines,
  type ScoreOutputV1,
} from '@plexus/core';
import { writeCsvRows } from './csv-rows.js';
import { workerModelResolver } from './registry-models.js';
import {
  exactIntegers,
  groupingProblem,
  int64Columns,
  lineWriter,
  problemRow,
  repeatedId,
  sparkRow,
  workerRows,
} from './worker-protocol.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * The items of the input's rows; rows that cannot be items go to `problems` as output rows. A
 * row whose id an earlier `shared` row has is one of them, as in a local read (the job sends the
 * rows that may share an id to one task, each id's rows in line order).
 */
async function* itemsOf(
  lines: AsyncIterable<string>,
  options: {
    idColumn: string;
    textColumn: string;
    gold: ReturnType<typeof goldColumns>;
    int64Columns: readonly string[];
    problems: unknown[];
  },
): AsyncGenerator<DatasetItem> {
  const sharedIds = new Set<string>();
  for await (const row of workerRows(lines)) {
    if (row.kind === 'error') {
      options.problems.push(problemRow(row));
      continue;
    }
    exactIntegers(row.record, options.int64Columns);
    const item = itemOfRecord(row.record, { ...options, rowNumber: row.rowNumber, line: row.line });
    if ('message' in item) options.problems.push(problemRow(item));
    else if (row.shared && sharedIds.has(item.id))
      options.problems.push(problemRow(repeatedId(item.id, row.line)));
    else {
      if (row.shared) sharedIds.add(item.id);
      yield item;
    }
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--parse-csv')) {
    await writeCsvRows(process.stdin, process.stdout);
    return 0;
  }
  const path = argument('--scorecard');
  const cacheDir = argument('--cache-dir');
  if (!path || !cacheDir) {
    process.stderr.write('usage: worker.mjs --scorecard FILE --cache-dir DIR [--no-cache]\n');
    return 2;
  }
  const int64 = int64Columns(process.argv);
  // Tasks running the job at once: each keeps its share of a score's request limits.
  const tasks = Number(argument('--tasks') ?? '1');
  const card = await loadScorecard(path, {
    plugins: [heuristic, forest, llm, onnx],
    cacheDir,
    jobTasks: Number.isInteger(tasks) && tasks > 1 ? tasks : undefined,
    // models:/ URIs: the files the driver resolved (--models), never MLflow from an executor.
    resolveModel: workerModelResolver(JSON.parse(argument('--models') ?? '{}')),
    // --batch: LLM scores on openai use the Batch API; this task's batches are recorded in
    // --batch-dir (one folder per partition), so a retried task re-attaches to them.
    ...(process.argv.includes('--batch') ? { execution: 'batch' as const } : {}),
  });
  const batchDir = argument('--batch-dir');
  if (batchDir) mkdirSync(batchDir, { recursive: true });
  const { write: out, flush } = lineWriter(process.stdout);
  const problems: unknown[] = [];
  const idColumn = card.data?.id_column ?? 'id';
  const refused = groupingProblem(process.argv, idColumn);
  if (refused) {
    await closeScorecard(card);
    throw refused;
  }
  const items = itemsOf(createInterface({ input: process.stdin, crlfDelay: Infinity }), {
    idColumn,
    textColumn: card.data?.text_column ?? 'text',
    gold: goldColumns(card.scores),
    int64Columns: int64,
    problems,
  });
  const cache = process.argv.includes('--no-cache')
    ? undefined
    : directoryCache<ScoreOutputV1>(`${cacheDir}/results`);
  try {
    for await (const line of resultLines({
      scores: card.scores,
      items,
      scorecard: card.name,
      cache,
      // Each item's text (its first characters) on its first line, as a local run keeps it.
      storage: { itemTextChars: defaultItemTextChars },
      ...(batchDir ? { runDir: batchDir } : {}),
    })) {
      while (problems.length > 0) await out(problems.shift());
      await out(sparkRow(line));
    }
    while (problems.length > 0) await out(problems.shift());
    await flush();
  } finally {
    await closeScorecard(card);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`plexus worker: ${errorMessage(error)}\n`);
    process.exitCode = PlexusError.isInstance(error) ? error.exitCode : 1;
  },
);
