import { InvalidConfigError, type SplitMethod, type TrainedScore, train } from '@plexus/core';
import type { Command } from 'commander';
import { collect, testFraction, wholeNumber } from '../arguments.js';
import { onInterrupt } from '../interrupt.js';
import { checkModelTargets } from '../model-targets.js';
import { type CliIo, skippedRowLine } from '../output.js';
import { checkRegisteredNames, registerTrained } from '../registration.js';
import { errorNotes } from '../run-outcome.js';
import { loadForCli } from '../scorecard.js';
import { formatSummaryTable } from '../summary-table.js';
import { runSweepCommand } from './sweep.js';

interface TrainFlags {
  sweep?: string;
  resume?: string;
  sweepDir?: string;
  tracker?: string;
  split: SplitMethod;
  shards?: number;
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

function splitMethod(value: string): SplitMethod {
  if (value !== 'stratified' && value !== 'hash')
    throw new InvalidConfigError([
      { path: '--split', message: `expected stratified or hash, got "${value}"` },
    ]);
  return value;
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

export function trainCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('train')
    .description('train the trainable scores of a scorecard on gold labels and save their models')
    .argument('<scorecard>', 'scorecard file (YAML or JSON)')
    .option('--data <file>', 'labelled dataset; default the scorecard data.path')
    .option('--score <name>', 'train only this score (repeatable)', collect)
    .option(
      '--test-fraction <f>',
      "share of each label's items held out for testing",
      testFraction,
      0.2,
    )
    .option(
      '--split <method>',
      'stratified (per label), or hash (by item id: independent of row order, as plexus spark train splits)',
      splitMethod,
      'stratified',
    )
    .option('--seed <s>', 'seed of the train/test split', wholeNumber('--seed', 0), 0)
    .option(
      '--shards <n>',
      'forests: grow tree t on shard t mod n only, as plexus spark train does (with --split hash: the same model)',
      wholeNumber('--shards', 1),
    )
    .option(
      '--sweep <file>',
      'tune one score: run the trials of this sweep file (grid or random search, k-fold or holdout)',
    )
    .option('--sweep-dir <dir>', 'with --sweep: its folder; default runs/<timestamp>-<key>-sweep')
    .option('--resume <dir>', 'with --sweep: continue the sweep in this folder')
    .option(
      '--tracker <kind>',
      'with --sweep: local, or mlflow (default when MLFLOW_TRACKING_URI is set)',
    )
    .option(
      '--out <dir>',
      "write models into this folder instead of where the scorecard points (which must be inside the scorecard's folder)",
    )
    .option('--cache-dir <dir>', 'cache folder; default $PLEXUS_CACHE_DIR or ~/.cache/plexus')
    .option(
      '--register',
      'register each model in MLflow (MLFLOW_TRACKING_URI) as <scorecard key>.<score>',
    )
    .option(
      '--alias <alias>',
      'with --register: point this alias at the new versions; sweeps tracked in MLflow default to challenger',
    )
    .option('--json', 'print what was trained, with test metrics, as JSON on stdout')
    .option('--quiet', 'no progress')
    .action(async (path: string, flags: TrainFlags) => {
      const card = await loadForCli(path, {
        cacheDir: flags.cacheDir,
        create: false,
        scores: flags.score,
        checkData: flags.sweep ? false : (flags.data ?? true),
        warn: flags.quiet ? undefined : (line) => io.stderr(line),
      });
      const interrupt = onInterrupt(io, 'stopping');
      try {
        if (flags.sweep) {
          const { sweep } = flags;
          const status = await runSweepCommand({
            card,
            path,
            flags: { ...flags, sweep },
            io,
            signal: interrupt.signal,
          });
          if (status === 'interrupted') setExit(1);
          return;
        }
        if (flags.resume || flags.sweepDir)
          throw new InvalidConfigError([
            { path: flags.resume ? '--resume' : '--sweep-dir', message: 'only with --sweep FILE' },
          ]);
        checkModelTargets(card, flags.score ?? card.scores.map((entry) => entry.name), flags.out);
        if (flags.register) {
          // The scores train can register: trainable ones (their model names must not meet).
          const trainable = card.scores
            .filter((entry) => entry.factory.train)
            .map((entry) => entry.name);
          await checkRegisteredNames(card.key, trainable, flags.score ?? trainable);
        }
        const trained = await train({
          scorecard: card,
          data: flags.data,
          scores: flags.score,
          testFraction: flags.testFraction,
          split: flags.split,
          seed: flags.seed,
          settingsOverride: flags.shards === undefined ? undefined : { shards: flags.shards },
          outDir: flags.out,
          cacheDir: flags.cacheDir,
          signal: interrupt.signal,
          onProgress: (score, message) => {
            if (!flags.quiet && !flags.json) io.stderr(`${score}: ${message}\n`);
          },
          onDatasetProblem: (problem) => {
            if (!flags.quiet) io.stderr(skippedRowLine(flags.data ?? 'data', problem));
          },
        });
        // A registration that fails (MLflow gone) is said after what was trained and measured:
        // the models are written, and their held-out metrics were lost with the error.
        let registered: string[] = [];
        let failure: unknown;
        if (flags.register)
          registered = await registerTrained(trained, card.key, { alias: flags.alias }).catch(
            (error: unknown) => {
              failure = error;
              return [];
            },
          );
        const reported = () => {
          if (failure !== undefined) throw failure;
        };
        if (flags.json) {
          io.stdout(
            `${JSON.stringify(
              trained.map((score, index) => ({ ...score, registered: registered[index] })),
              null,
              2,
            )}\n`,
          );
          return reported();
        }
        for (const line of registered) io.stdout(`registered ${line}\n`);
        for (const score of trained) io.stdout(`${describe(score)}\n`);
        const scores = Object.fromEntries(
          trained.flatMap((score) => (score.metrics ? [[score.name, score.metrics]] : [])),
        );
        if (Object.keys(scores).length > 0) {
          io.stdout(`\nHeld-out test metrics:\n${formatSummaryTable({ scores })}\n`);
          // Held-out items whose text is also a training item's (a repeated message).
          for (const note of errorNotes({ scores })) io.stdout(`${note}\n`);
        }
        reported();
      } finally {
        interrupt.dispose();
      }
    });
}
