import { existsSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DatasetProblem,
  errorMessage,
  hashFile,
  InvalidConfigError,
  readDataset,
  seededRandom,
  shuffle,
} from '@plexus/core';
import { writeWhole } from './whole-file.js';

export const splitNames = ['train', 'validation', 'holdout'] as const;
export type SplitName = (typeof splitNames)[number];

/** The split written to `split.json`: item ids per part, and the items left out (no gold). */
export interface SplitRecord {
  seed: number;
  fractions: Record<SplitName, number>;
  ids: Record<SplitName, string[]>;
  without_gold: number;
  /** Rows that could not be read (malformed, a repeated id, ...): left out, each with its line. */
  rows_not_read?: DatasetProblem[];
  /** The labelled file split, and its SHA-256 (absent in a split of an earlier Plexus). */
  data?: string;
  data_sha256?: string;
}

interface SplitRow {
  id: string;
  row: Record<string, unknown>;
  gold: string;
}

/** Each gold label's items, shuffled by the seed, cut into train, validation and holdout. */
function stratify(rows: SplitRow[], seed: number, fractions: Record<SplitName, number>) {
  const random = seededRandom(seed);
  const parts: Record<SplitName, SplitRow[]> = { train: [], validation: [], holdout: [] };
  const byGold = new Map<string, SplitRow[]>();
  for (const row of rows) {
    const group = byGold.get(row.gold);
    if (group) group.push(row);
    else byGold.set(row.gold, [row]);
  }
  for (const gold of [...byGold.keys()].sort()) {
    const group = shuffle(byGold.get(gold)!, random);
    const train = Math.round(group.length * fractions.train);
    const validation = Math.round(group.length * fractions.validation);
    // One at a time: push(...slice) overflowed the stack for a label of over ~120,000 items.
    group.forEach((row, index) => {
      const part = index < train ? 'train' : index < train + validation ? 'validation' : 'holdout';
      parts[part].push(row);
    });
  }
  return parts;
}

/**
 * A resumed run keeps its split: another `--seed`, `--split` or `--data` would be ignored in
 * silence (the changelog would read as if they had been used), so it is refused.
 */
function checkSameSplit(
  kept: SplitRecord,
  asked: {
    seed: number;
    fractions: Record<SplitName, number>;
    dataPath: string;
    dataSha256: string;
    outDir: string;
  },
) {
  const keep = `; a resume keeps the split in ${asked.outDir}/split.json: pass the run's own, or another --out for a new run`;
  const problems: { path: string; message: string }[] = [];
  if (kept.seed !== asked.seed)
    problems.push({
      path: '--seed',
      message: `the run was split with --seed ${kept.seed}, not ${asked.seed}${keep}`,
    });
  const shares = (fractions: Record<SplitName, number>) =>
    splitNames.map((name) => fractions[name]).join(',');
  if (shares(kept.fractions) !== shares(asked.fractions))
    problems.push({
      path: '--split',
      message: `the run was split ${shares(kept.fractions)}, not ${shares(asked.fractions)}${keep}`,
    });
  if (kept.data_sha256 !== undefined && kept.data_sha256 !== asked.dataSha256)
    problems.push({
      path: '--data',
      message: `${asked.dataPath} is not the file the run split (${kept.data ?? 'its data'}, SHA-256 ${kept.data_sha256.slice(0, 12)}…; this one ${asked.dataSha256.slice(0, 12)}…)${keep}`,
    });
  if (problems.length > 0) throw new InvalidConfigError(problems);
}

/**
 * Writes `lines` a few thousand at a time: joined into one string, a million transcripts' train
 * part (490 MB) was near V8's longest string (512 MB), past which the split failed.
 */
async function writeLines(path: string, lines: readonly string[]): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let start = 0; start < lines.length; start += 4096)
      await file.write(`${lines.slice(start, start + 4096).join('\n')}\n`);
  } finally {
    await file.close();
  }
}

/**
 * Splits the labelled items of `dataPath`, stratified by the score's gold label and seeded, into
 * `train.jsonl`, `validation.jsonl` and `holdout.jsonl` in `outDir` (gold in `goldColumn`) and
 * `split.json`. An existing `split.json` is kept: the split never changes during a run.
 */
export async function writeSplits(options: {
  dataPath: string;
  score: string;
  goldColumn: string;
  /** The scorecard's `data` settings: how the dataset is read, and the columns written. */
  columns: { id?: string; text?: string; format?: 'csv' | 'jsonl' | 'parquet' };
  seed: number;
  fractions: Record<SplitName, number>;
  outDir: string;
}): Promise<SplitRecord> {
  const recordPath = join(options.outDir, 'split.json');
  const dataSha256 = (await hashFile(options.dataPath)).sha256;
  if (existsSync(recordPath)) {
    const kept = await readSplitRecord(recordPath);
    checkSameSplit(kept, { ...options, dataSha256 });
    return kept;
  }
  const rows: SplitRow[] = [];
  let withoutGold = 0;
  const gold = { [options.score]: [options.goldColumn, 'label'] };
  const { columns } = options;
  // A row that cannot be read is reported, never left out of the split in silence.
  const notRead: DatasetProblem[] = [];
  const reading = {
    idColumn: columns.id,
    textColumn: columns.text,
    format: columns.format,
    onProblem: (problem: DatasetProblem) => notRead.push(problem),
  };
  for await (const item of readDataset({ path: options.dataPath, gold, ...reading })) {
    const label = item.labels[options.score];
    if (label === undefined || label === '') withoutGold += 1;
    else
      rows.push({
        id: item.id,
        gold: label,
        row: {
          ...item.metadata,
          [columns.id ?? 'id']: item.id,
          [columns.text ?? 'text']: item.text,
        },
      });
  }
  const parts = stratify(rows, options.seed, options.fractions);
  for (const name of splitNames)
    if (parts[name].length === 0)
      throw new InvalidConfigError([
        {
          path: '--data',
          message: `${rows.length} labelled items leave the ${name} split empty; label more items`,
        },
      ]);
  await mkdir(options.outDir, { recursive: true });
  for (const name of splitNames)
    await writeLines(
      join(options.outDir, `${name}.jsonl`),
      parts[name].map((entry) =>
        JSON.stringify({ ...entry.row, [options.goldColumn]: entry.gold }),
      ),
    );
  const record: SplitRecord = {
    seed: options.seed,
    fractions: options.fractions,
    ids: {
      train: parts.train.map((entry) => entry.id),
      validation: parts.validation.map((entry) => entry.id),
      holdout: parts.holdout.map((entry) => entry.id),
    },
    without_gold: withoutGold,
    rows_not_read: notRead,
    data: options.dataPath,
    data_sha256: dataSha256,
  };
  await writeWhole(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** The split of the run being resumed; one that cannot be read says how to go on. */
async function readSplitRecord(path: string): Promise<SplitRecord> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SplitRecord;
  } catch (error) {
    throw new InvalidConfigError([
      {
        path,
        message: `cannot be read (${errorMessage(error)}; cut short?): remove it and --resume again: the split is made again from the same data and seed, the same split`,
      },
    ]);
  }
}
