import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Featurizer, ForestSettings, GrownShard } from '@plexus/classifier-forest/internal';
import {
  checkTestFraction,
  InvalidConfigError,
  type LabelledItem,
  type LoadedScorecard,
  MissingDependencyError,
  measureScore,
  type ScoreMetrics,
  trainableScores,
  trainEnv,
} from '@plexus/core';
import { inputFormat, pyFiles, sparkFiles } from './spark-job.js';
import { RunnerError, type SubmitOptions, sparkSubmit } from './spark-process.js';

export interface SparkTrainOptions extends SubmitOptions {
  /** The scorecard, loaded with `create: false`; executors read the same file. */
  scorecard: LoadedScorecard;
  /** The `forest/random-forest` score to train. */
  score: string;
  /** Labelled dataset: Parquet, JSONL or CSV. */
  input: string;
  /** Folder for the job's outputs (forest parts, test items, problems; overwritten). */
  output: string;
  /** Tasks that grow trees (tree t in shard t mod shards); default the score's `shards` if > 1, else 4. */
  shards?: number;
  /** Seed of the test split (by item id); default 0. */
  seed?: number;
  /** Share of items held out for testing; default 0.2. */
  testFraction?: number;
  /** Folder for the model; default where the score's `model` setting points. */
  outDir?: string;
  conf?: Readonly<Record<string, string>>;
  /** Node binary on the executors; default this process's. */
  node?: string;
  cacheDir?: string;
}

export interface SparkTrained {
  modelPath: string;
  shards: number;
  trainItems: number;
  testItems: number;
  /** Held-out test metrics; null without a test split. */
  metrics: ScoreMetrics | null;
  /** Rows that could not be read, items left out (missing features, unknown labels), unlabeled. */
  counts: Record<string, number>;
  firstProblems: { line: number; message: string }[];
  facts: string[];
  durationS: number;
}

interface Part {
  kind: string;
  tree?: GrownShard['trees'][number]['tree'];
  featurizer?: Featurizer['json'];
  shard?: number;
  index?: number;
  digest?: string;
  items?: number;
  class_counts?: number[];
  text_hashes?: string[];
}

type ForestPackage = typeof import('@plexus/classifier-forest/internal');

/** The forest package, an optional peer: only training needs it. */
async function importForest(): Promise<ForestPackage> {
  try {
    return await import('@plexus/classifier-forest/internal');
  } catch (error) {
    throw new MissingDependencyError(
      '@plexus/classifier-forest',
      'plexus spark train needs @plexus/classifier-forest: npm install @plexus/classifier-forest',
      { cause: error },
    );
  }
}

/** Reads `forest-parts.jsonl`: the featurizer, each shard's summary and trees. */
async function readParts(
  output: string,
  forest: ForestPackage,
): Promise<{ featurizer: Featurizer; shards: GrownShard[] }> {
  const path = join(output, 'forest-parts.jsonl');
  if (!existsSync(path)) throw new RunnerError(`${path} is missing: the Spark job did not finish`);
  let featurizer: Featurizer | undefined;
  const shards = new Map<number, GrownShard>();
  const shardOf = (shard: number) => {
    const found = shards.get(shard) ?? { shard, trees: [], digest: '', items: 0, classCounts: [] };
    shards.set(shard, found);
    return found;
  };
  for (const text of (await readFile(path, 'utf8')).split('\n')) {
    if (!text.trim()) continue;
    const part = JSON.parse(text) as Part;
    if (part.kind === 'featurizer') featurizer = new forest.Featurizer(part.featurizer!);
    else if (part.kind === 'tree')
      shardOf(part.shard!).trees.push({ index: part.index!, tree: part.tree! });
    else if (part.kind === 'shard') {
      const found = shardOf(part.shard!);
      found.digest = part.digest!;
      found.items = part.items!;
      found.classCounts = part.class_counts!;
      found.textHashes = part.text_hashes;
    }
  }
  if (!featurizer) throw new RunnerError(`${path} has no featurizer: the Spark job did not finish`);
  return { featurizer, shards: [...shards.values()] };
}

/** The test items the job wrote (JSON lines in Spark text part files). */
async function readTestItems(output: string): Promise<LabelledItem[]> {
  const folder = join(output, 'test');
  if (!existsSync(folder)) return [];
  const items: LabelledItem[] = [];
  for (const name of (await readdir(folder)).sort()) {
    if (!name.startsWith('part-')) continue;
    for (const text of (await readFile(join(folder, name), 'utf8')).split('\n'))
      if (text.trim()) items.push(JSON.parse(text) as LabelledItem);
  }
  return items;
}

/**
 * Declared labels no training item has (in no shard's class counts): the model never answers
 * them. Said as a local `plexus train` says it (classifier-forest's `absentLabelFacts`, which
 * counts the items; `spark-train.test.ts` checks the two lines are equal); Spark said nothing.
 */
export function absentLabelFacts(
  shards: readonly Pick<GrownShard, 'classCounts'>[],
  labels: readonly string[],
): string[] {
  const absent = labels.filter((_, index) =>
    shards.every((shard) => (shard.classCounts[index] ?? 0) === 0),
  );
  if (absent.length === 0) return [];
  const named = absent.map((label) => JSON.stringify(label)).join(', ');
  return [
    `no training item is labelled ${named}: the model never answers ${absent.length === 1 ? 'it' : 'them'}; train on items of every label`,
  ];
}

/**
 * Trains a random-forest score on Spark: term statistics summed by Spark, the featurizer fitted
 * from them, trees grown by shard across executors, merged into one model file (the same file a
 * local `plexus train --split hash --shards N` writes), tested on the held-out items here.
 */
export async function trainOnSpark(options: SparkTrainOptions): Promise<SparkTrained> {
  const started = performance.now();
  const { scorecard } = options;
  const forest = await importForest();
  const [entry] = trainableScores(scorecard, [options.score]);
  if (entry!.className !== 'forest/random-forest')
    throw new InvalidConfigError([
      {
        path: '--score',
        message: `"${options.score}" is ${entry!.className}; Spark trains forest/random-forest scores`,
      },
    ]);
  const own = entry!.settings as ForestSettings;
  const shards = options.shards ?? (own.shards > 1 ? own.shards : 4);
  const settings = forest.forestSettingsSchema.parse({ ...own, shards });
  const testFraction = checkTestFraction(options.testFraction ?? 0.2);
  const output = resolve(options.output);
  const files = sparkFiles();
  const args = ['--master', options.master ?? 'local[2]', '--conf', 'spark.ui.enabled=false'];
  for (const [key, value] of Object.entries(options.conf ?? {}))
    args.push('--conf', `${key}=${value}`);
  // The modules the training job imports (rows, the workers' I/O, the input), as scoring ships them.
  args.push('--py-files', pyFiles(files).join(','), files.trainJob);
  args.push(
    ...['--input', resolve(options.input), '--output', output, '--scorecard', scorecard.path],
    ...[
      '--score',
      entry!.name,
      '--worker',
      files.trainWorker,
      '--node',
      options.node ?? process.execPath,
    ],
    ...['--shards', String(shards), '--seed', String(options.seed ?? 0)],
    ...['--test-fraction', String(testFraction), '--format', inputFormat(options.input)],
    // Rows grouped by the scorecard's id column: a repeated id is reported, as a local read does.
    ...['--id-column', scorecard.data?.id_column ?? 'id'],
    ...['--min-df', String(settings.features.min_df)],
    ...[
      '--max-features',
      String(settings.features.vocabulary === 'learned' ? settings.features.max_features : 0),
    ],
  );
  await sparkSubmit(args, options);
  const { featurizer, shards: grown } = await readParts(output, forest);
  const file = forest.assembleForest({
    settings,
    labels: entry!.labels,
    featurizer,
    shards: grown,
  });
  const env = trainEnv(scorecard, entry!, options);
  const modelPath = forest.forestModelTarget(settings, env, options.outDir);
  await forest.writeForestModel(modelPath, file);
  const test = await readTestItems(output);
  const metrics =
    test.length > 0
      ? await measureScore({
          scorecard,
          entry: entry!,
          env,
          settings: { ...settings, model: modelPath },
          items: test,
          seed: options.seed ?? 0,
          signal: options.signal,
        })
      : null;
  const summary = JSON.parse(await readFile(join(output, 'summary.json'), 'utf8')) as {
    counts: Record<string, number>;
    first_problems: { line: number; message: string }[];
  };
  return {
    modelPath,
    shards,
    trainItems: file.training.items,
    testItems: test.length,
    metrics,
    counts: summary.counts,
    firstProblems: summary.first_problems,
    facts: [forest.forestFacts(file), ...absentLabelFacts(grown, entry!.labels)],
    durationS: (performance.now() - started) / 1000,
  };
}
