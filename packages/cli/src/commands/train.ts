import { InvalidConfigError, type TrainedScore, train } from '@plexus/core';
import type { Command } from 'commander';
import { collect, wholeNumber } from '../arguments.js';
import type { CliIo } from '../output.js';
import { loadForCli } from '../scorecard.js';
import { formatSummaryTable } from '../summary-table.js';

interface TrainFlags {
  data?: string;
  score?: string[];
  testFraction: number;
  seed: number;
  out?: string;
  cacheDir?: string;
  json?: boolean;
  quiet?: boolean;
  register?: boolean;
  alias?: string;
}

function fraction(value: string): number {
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed < 1))
    throw new InvalidConfigError([
      { path: '--test-fraction', message: `expected a number in [0, 1), got "${value}"` },
    ]);
  return parsed;
}

function describe(score: TrainedScore): string {
  const lines = [
    `${score.name}: trained on ${score.trainItems} items, tested on ${score.testItems} (${score.durationS.toFixed(1)} s)`,
    ...score.facts.map((fact) => `  ${fact}`),
    `  model: ${score.modelPath}`,
  ];
  const unknown = Object.entries(score.unknownLabels);
  if (unknown.length > 0)
    lines.push(
      `  left out, gold label not among the score's labels: ${unknown.map(([label, count]) => `"${label}" (${count})`).join(', ')}`,
    );
  if (score.unlabeled > 0) lines.push(`  left out, no gold label: ${score.unlabeled} items`);
  for (const problem of score.problems.slice(0, 10))
    lines.push(`  left out, item ${problem.id}: ${problem.message}`);
  if (score.problems.length > 10) lines.push(`  ... and ${score.problems.length - 10} more`);
  return lines.join('\n');
}

async function registerTrained(
  trained: readonly TrainedScore[],
  key: string,
  alias?: string,
): Promise<string[]> {
  const tracker = await import('@plexus/mlflow-tracker');
  const client = new tracker.MlflowClient();
  const lines: string[] = [];
  for (const score of trained) {
    const name = `${key}.${score.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    const metrics: Record<string, number> = {};
    if (score.metrics?.accuracy != null) metrics.test_accuracy = score.metrics.accuracy;
    if (score.metrics?.f1) metrics.test_f1_macro = score.metrics.f1.macro;
    if (score.metrics?.gwet_ac1 != null) metrics.test_gwet_ac1 = score.metrics.gwet_ac1;
    const version = await tracker.registerModel({
      client,
      file: score.modelPath,
      name,
      alias,
      metrics,
      params: { train_items: String(score.trainItems) },
    });
    lines.push(`models:/${name}/${version.version}${alias ? ` (@${alias})` : ''}`);
  }
  return lines;
}

export function trainCommand(program: Command, io: CliIo): void {
  program
    .command('train')
    .description('train the trainable scores of a scorecard on gold labels and save their models')
    .argument('<scorecard>', 'scorecard file (YAML or JSON)')
    .option('--data <file>', 'labelled dataset; default the scorecard data.path')
    .option('--score <name>', 'train only this score (repeatable)', collect)
    .option(
      '--test-fraction <f>',
      "share of each label's items held out for testing",
      fraction,
      0.2,
    )
    .option('--seed <s>', 'seed of the train/test split', wholeNumber('--seed', 0), 0)
    .option('--out <dir>', 'write models into this folder instead of where the scorecard points')
    .option('--cache-dir <dir>', 'cache folder; default $PLEXUS_CACHE_DIR or ~/.cache/plexus')
    .option(
      '--register',
      'register each model in MLflow (MLFLOW_TRACKING_URI) as <scorecard key>.<score>',
    )
    .option('--alias <alias>', 'with --register: point this alias at the new versions')
    .option('--json', 'print what was trained, with test metrics, as JSON on stdout')
    .option('--quiet', 'no progress')
    .action(async (path: string, flags: TrainFlags) => {
      const card = await loadForCli(path, { cacheDir: flags.cacheDir, create: false });
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        const trained = await train({
          scorecard: card,
          data: flags.data,
          scores: flags.score,
          testFraction: flags.testFraction,
          seed: flags.seed,
          outDir: flags.out,
          cacheDir: flags.cacheDir,
          signal: controller.signal,
          onProgress: (score, message) => {
            if (!flags.quiet && !flags.json) io.stderr(`${score}: ${message}\n`);
          },
          onDatasetProblem: (problem) => {
            if (!flags.quiet)
              io.stderr(
                `${flags.data ?? 'data'}:${problem.line}: row skipped: ${problem.message}\n`,
              );
          },
        });
        const registered = flags.register
          ? await registerTrained(trained, card.key, flags.alias)
          : [];
        if (flags.json) {
          io.stdout(
            `${JSON.stringify(
              trained.map((score, index) => ({ ...score, registered: registered[index] })),
              null,
              2,
            )}\n`,
          );
          return;
        }
        for (const line of registered) io.stdout(`registered ${line}\n`);
        for (const score of trained) io.stdout(`${describe(score)}\n`);
        const scores = Object.fromEntries(
          trained.flatMap((score) => (score.metrics ? [[score.name, score.metrics]] : [])),
        );
        if (Object.keys(scores).length > 0)
          io.stdout(`\nHeld-out test metrics:\n${formatSummaryTable({ scores })}\n`);
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
