// The Plexus Spark training worker, one process per task and step of `plexus spark train`:
//   parse-csv  a CSV file's text -> its rows, numbered as a local read numbers them (csv-rows.ts)
//   prepare  rows ({"n", "line", "text", "shared"} or {"n", "line", "problem"} JSON lines: the row
//            as JSON text, its row number and line as a local read gives them, `shared` when its
//            id may repeat another row's, the rows grouped by id as the scoring job groups them:
//            a repeated id is a problem, as in a local read; Parquet int64 columns as digits,
//            named by --int64-columns) -> items with their side
//            (train/test) and shard, the rows that could not be used, and the term statistics of
//            the partition's training items
//   featurizer  summed term statistics (one JSON object) -> the featurizer as a model file holds it
//   grow     {"featurizer", "class_counts"} then one shard's training items -> its trees
// All steps load the scorecard to read the score's settings and processors, as `plexus train` does.
import { createInterface } from 'node:readline';
import {
  classWeights,
  Featurizer,
  type ForestSettings,
  featureProblem,
  fitOptions,
  fitSources,
  plugin as forest,
  growShard,
  itemsByShard,
  shardOf,
  termStatistics,
} from '@plexus/classifier-forest/internal';
import {
  applyProcessors,
  type DatasetItem,
  errorMessage,
  goldColumns,
  InvalidConfigError,
  idFraction,
  itemOfRecord,
  jsonlRow,
  loadScorecard,
  matchLabel,
  nameValue,
  PlexusError,
  type TrainItemV1,
} from '@plexus/core';
import { writeCsvRows } from './csv-rows.js';
import { exactIntegers, groupingProblem, int64Columns, repeatedId } from './worker-protocol.js';

function argument(name: string): string {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) throw new InvalidConfigError([{ path: name, message: 'required' }]);
  return value;
}

async function* lines(): AsyncGenerator<string> {
  for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity }))
    if (text.trim() !== '') yield text;
}

function write(value: unknown): Promise<void> | undefined {
  if (!process.stdout.write(`${JSON.stringify(value)}\n`))
    return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
  return undefined;
}

async function loadScore() {
  const card = await loadScorecard(argument('--scorecard'), { plugins: [forest], create: false });
  const name = argument('--score');
  const entry = card.scores.find((candidate) => candidate.name === name);
  if (entry?.className !== 'forest/random-forest')
    throw new InvalidConfigError([
      { path: '--score', message: `no forest/random-forest score named "${name}"` },
    ]);
  const settings = {
    ...(entry.settings as ForestSettings),
    shards: Number(argument('--shards')),
  };
  return { card, entry, settings };
}

/** A row of the prepare step's input (see the top of this file). */
interface PreparedRow {
  n: number;
  line: number;
  text: string;
  problem?: string | null;
  shared?: boolean;
}

/**
 * The items of the prepare step's input rows as a local read gives them, or a problem for a row
 * that cannot be one (unreadable, no text, an id an earlier `shared` row has: the rows that may
 * share an id come in line order).
 */
async function* rowItems(
  card: Awaited<ReturnType<typeof loadScore>>['card'],
  scoreName: string,
): AsyncGenerator<DatasetItem | { line: number; message: string }> {
  const gold = goldColumns(card.scores);
  const idColumn = card.data?.id_column ?? 'id';
  const refused = groupingProblem(process.argv, idColumn);
  if (refused) throw refused;
  const int64 = int64Columns(process.argv);
  const sharedIds = new Set<string>();
  for await (const input of lines()) {
    const { n, line, text, problem: unread, shared } = JSON.parse(input) as PreparedRow;
    // The row parsed as in-process JSONL reading does (a Parquet or CSV row is JSON text too).
    const row = unread ? { kind: 'error' as const, line, message: unread } : jsonlRow(text, line);
    if (!row) continue;
    if (row.kind === 'error') {
      yield row;
      continue;
    }
    exactIntegers(row.record, int64);
    const item = itemOfRecord(row.record, {
      idColumn,
      textColumn: card.data?.text_column ?? 'text',
      gold: { [scoreName]: gold[scoreName] ?? [scoreName] },
      rowNumber: n,
      line,
    });
    if ('message' in item || !shared) yield item;
    else if (sharedIds.has(item.id)) yield repeatedId(item.id, line);
    else {
      sharedIds.add(item.id);
      yield item;
    }
  }
}

async function prepare(): Promise<void> {
  const { card, entry, settings } = await loadScore();
  const seed = Number(argument('--seed'));
  const fraction = Number(argument('--test-fraction'));
  const training: TrainItemV1[] = [];
  for await (const item of rowItems(card, entry.name)) {
    if ('message' in item) {
      await write({ kind: 'problem', line: item.line, message: item.message });
      continue;
    }
    const raw = item.labels[entry.name];
    const label = raw === undefined ? undefined : matchLabel(raw, entry.labels);
    if (label === undefined) {
      await write(raw === undefined ? { kind: 'unlabeled' } : { kind: 'unknown', label: raw });
      continue;
    }
    const prepared = {
      id: item.id,
      text: applyProcessors(item.text, entry.processors),
      rawText: item.text,
      metadata: item.metadata,
      label,
    };
    const problem = featureProblem(prepared, settings);
    if (problem) {
      await write({ kind: 'left_out', id: item.id, message: problem });
      continue;
    }
    const side = idFraction(item.id, seed) < fraction ? 'test' : 'train';
    if (side === 'train') training.push(prepared);
    await write({ kind: 'item', side, shard: shardOf(item.id, settings.shards), item: prepared });
  }
  const statistics = termStatistics(fitSources(training, settings), fitOptions(settings.features));
  await write({ kind: 'documents', count: statistics.documents });
  for (const [key, count, documents] of statistics.terms)
    await write({ kind: 'term', key, count, documents });
}

async function featurizer(): Promise<void> {
  const { settings } = await loadScore();
  let text = '';
  for await (const line of lines()) text += line;
  const statistics = JSON.parse(text);
  await write(Featurizer.fromStatistics(statistics, fitOptions(settings.features)).json);
}

async function grow(): Promise<void> {
  const { entry, settings } = await loadScore();
  const shard = Number(argument('--shard'));
  let header: { featurizer: Featurizer['json']; label_counts: Record<string, number> } | undefined;
  const items: TrainItemV1[] = [];
  for await (const text of lines()) {
    if (!header) header = JSON.parse(text);
    else items.push(JSON.parse(text) as TrainItemV1);
  }
  if (!header) throw new Error('grow: no featurizer line on stdin');
  const { featurizer: featurizerJson, label_counts: labelCounts } = header;
  const grown = growShard({
    settings,
    labels: entry.labels,
    featurizer: new Featurizer(featurizerJson),
    // In id order, as a local training orders each shard.
    items: itemsByShard(items, 1)[0]!,
    shard,
    weights: classWeights(
      // A label may be named `constructor`: own counts only, never an inherited function.
      entry.labels.map((label) => nameValue(labelCounts, label) ?? 0),
      settings.class_weight,
    ),
  });
  for (const tree of grown.trees) await write({ kind: 'tree', shard, ...tree });
  await write({
    kind: 'shard',
    shard,
    digest: grown.digest,
    items: grown.items,
    class_counts: grown.classCounts,
    text_hashes: grown.textHashes,
  });
}

const steps: Record<string, () => Promise<void>> = {
  'parse-csv': () => writeCsvRows(process.stdin, process.stdout),
  prepare,
  featurizer,
  grow,
};

const step = steps[process.argv[2] ?? ''];
if (!step) {
  process.stderr.write(
    'usage: train-worker.mjs parse-csv | prepare|featurizer|grow --scorecard F --score S\n',
  );
  process.exitCode = 2;
} else
  step().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      process.stderr.write(`plexus train worker: ${errorMessage(error)}\n`);
      process.exitCode = PlexusError.isInstance(error) ? error.exitCode : 1;
    },
  );
