// The Plexus Spark worker: one long-lived process per Spark task. Reads rows as JSON lines on
// stdin ({"n": row number, "row": {...}}), scores them with the normal engine (batching,
// concurrency, cache) and writes one JSON line per item and score on stdout, or
// {"problem": {...}} for a row that cannot become an item. Exit code 2: bad scorecard.
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { plugin as forest } from '@plexus/classifier-forest';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { plugin as onnx } from '@plexus/classifier-onnx';
import {
  closeScorecard,
  type DatasetItem,
  directoryCache,
  errorMessage,
  goldColumns,
  itemOfRecord,
  loadScorecard,
  PlexusError,
  resultLines,
  type ScoreOutputV1,
} from '@plexus/core';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A JSON Lines line as a record, or the problem in-process reading reports; undefined when blank. */
function jsonlRecord(
  text: string,
  line: number,
):
  | { kind: 'row'; record: Record<string, unknown> }
  | { kind: 'problem'; problem: { line: number; message: string } }
  | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'problem',
      problem: { line, message: `is not valid JSON (${errorMessage(error)})` },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'problem', problem: { line, message: 'is not a JSON object' } };
  return { kind: 'row', record: value as Record<string, unknown> };
}

async function main(): Promise<number> {
  const path = argument('--scorecard');
  const cacheDir = argument('--cache-dir');
  if (!path || !cacheDir) {
    process.stderr.write('usage: worker.mjs --scorecard FILE --cache-dir DIR [--no-cache]\n');
    return 2;
  }
  // Tasks running the job at once: each keeps its share of a score's request limits.
  const tasks = Number(argument('--tasks') ?? '1');
  const card = await loadScorecard(path, {
    plugins: [heuristic, forest, llm, onnx],
    cacheDir,
    jobTasks: Number.isInteger(tasks) && tasks > 1 ? tasks : undefined,
    // --batch: LLM scores on openai use the Batch API; this task's batches are recorded in
    // --batch-dir (one folder per partition), so a retried task re-attaches to them.
    ...(process.argv.includes('--batch') ? { execution: 'batch' as const } : {}),
  });
  const batchDir = argument('--batch-dir');
  if (batchDir) mkdirSync(batchDir, { recursive: true });
  const gold = goldColumns(card.scores);
  const out = (value: unknown) => {
    if (!process.stdout.write(`${JSON.stringify(value)}\n`))
      return new Promise((resolve) => process.stdout.once('drain', resolve));
    return undefined;
  };
  const problems: unknown[] = [];
  const items = (async function* (): AsyncGenerator<DatasetItem> {
    for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      if (text.trim() === '') continue;
      const message = JSON.parse(text) as {
        n: number;
        row?: Record<string, unknown>;
        line?: string;
      };
      const { n } = message;
      // JSONL read as text by Spark: the line is parsed here, as in-process.
      const parsed =
        message.line === undefined
          ? { kind: 'row' as const, record: message.row! }
          : jsonlRecord(message.line, n);
      if (parsed === undefined) continue;
      if (parsed.kind === 'problem') {
        problems.push({ problem: parsed.problem });
        continue;
      }
      const row = parsed.record;
      const item = itemOfRecord(row, {
        idColumn: card.data?.id_column ?? 'id',
        textColumn: card.data?.text_column ?? 'text',
        gold,
        rowNumber: n,
        line: n,
      });
      if ('message' in item) problems.push({ problem: item });
      else yield item;
    }
  })();
  const cache = process.argv.includes('--no-cache')
    ? undefined
    : directoryCache<ScoreOutputV1>(`${cacheDir}/results`);
  try {
    for await (const line of resultLines({
      scores: card.scores,
      items,
      scorecard: card.name,
      cache,
      ...(batchDir ? { runDir: batchDir } : {}),
    })) {
      while (problems.length > 0) await out(problems.shift());
      await out(line);
    }
    while (problems.length > 0) await out(problems.shift());
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
