import { InvalidConfigError } from '@plexus/core';
import type { SparkTrained } from '@plexus/spark-runner';
import type { Command } from 'commander';
import { collect, confOf, testFraction, wholeNumber } from '../arguments.js';
import { checkModelTargets } from '../model-targets.js';
import type { CliIo } from '../output.js';
import { checkRegisteredNames, registerTrained } from '../registration.js';
import { errorNotes } from '../run-outcome.js';
import { loadForCli } from '../scorecard.js';
import { formatSummaryTable } from '../summary-table.js';

interface SparkTrainFlags {
  score: string;
  input: string;
  output?: string;
  shards?: number;
  seed: number;
  testFraction: number;
  master: string;
  sparkSubmit?: string;
  conf?: string[];
  node?: string;
  out?: string;
  register?: boolean;
  alias?: string;
  json?: boolean;
  quiet?: boolean;
}

/** `plexus spark train`. */
export function sparkTrainCommand(spark: Command, io: CliIo): void {
  spark
    .command('train')
    .description(
      'train a forest/random-forest score on Spark: vocabulary by Spark aggregations, trees grown by shard across executors, one model file',
    )
    .argument('<scorecard>', 'scorecard file, readable by the executors at the same path')
    .requiredOption('--score <name>', 'the forest/random-forest score to train')
    .requiredOption('--input <path>', 'labelled dataset: Parquet (file or folder), JSONL or CSV')
    .option(
      '--output <dir>',
      "folder for the job's outputs; default runs/<timestamp>-<key>-spark-train",
    )
    .option(
      '--shards <n>',
      "tasks growing trees (tree t in shard t mod n); default the score's shards setting if > 1, else 4",
      wholeNumber('--shards', 1),
    )
    .option('--seed <s>', 'seed of the test split (by item id)', wholeNumber('--seed', 0), 0)
    .option('--test-fraction <f>', 'share of items held out for testing', testFraction, 0.2)
    .option('--master <url>', 'Spark master', 'local[2]')
    .option(
      '--spark-submit <path>',
      'spark-submit to call; default $SPARK_SUBMIT or spark-submit on the PATH',
    )
    .option('--conf <key=value>', 'Spark setting (repeatable)', collect)
    .option('--node <path>', 'Node binary on the executors; default this one')
    .option(
      '--out <dir>',
      "write the model into this folder instead of where the scorecard points (which must be inside the scorecard's folder)",
    )
    .option(
      '--register',
      'register the model in MLflow (MLFLOW_TRACKING_URI) as <scorecard key>.<score>',
    )
    .option('--alias <alias>', 'with --register: point this alias at the new version')
    .option('--json', 'print what was trained, with test metrics, as JSON on stdout')
    .option('--quiet', 'do not pass on Spark progress')
    .action(async (path: string, flags: SparkTrainFlags) => {
      if (flags.alias && !flags.register)
        throw new InvalidConfigError([{ path: '--alias', message: 'only with --register' }]);
      const card = await loadForCli(path, { create: false });
      checkModelTargets(card, [flags.score], flags.out);
      if (flags.register) {
        const trainable = card.scores.filter((entry) => entry.factory.train);
        await checkRegisteredNames(
          card.key,
          trainable.map((entry) => entry.name),
          [flags.score],
        );
      }
      const { trainOnSpark } = await import('@plexus/spark-runner');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const output = flags.output ?? `runs/${stamp}-${card.key}-spark-train`;
      const trained = await trainOnSpark({
        scorecard: card,
        score: flags.score,
        input: flags.input,
        output,
        shards: flags.shards,
        seed: flags.seed,
        testFraction: flags.testFraction,
        master: flags.master,
        sparkSubmit: flags.sparkSubmit,
        conf: confOf(flags.conf ?? []),
        node: flags.node,
        outDir: flags.out,
        onOutput: (line) => {
          if (!flags.quiet && (line.startsWith('plexus') || /ERROR|Exception/.test(line)))
            io.stderr(`${line}\n`);
        },
      });
      // Executors never talk to MLflow: the driver registers the merged model.
      const registered = flags.register
        ? await registerTrained([{ ...trained, name: flags.score }], card.key, {
            alias: flags.alias,
            params: { trained_on: 'spark', shards: String(trained.shards), master: flags.master },
          })
        : [];
      if (flags.json) {
        io.stdout(
          `${JSON.stringify({ ...trained, output, registered: registered[0] }, null, 2)}\n`,
        );
        return;
      }
      io.stdout(sparkTrainedText(trained, { ...flags, path, output, registered }));
    });
}

/**
 * What `plexus spark train` prints: the model, its facts, what was left out, the held-out metrics
 * with the notes `plexus train` prints under them (answers on items of the training data), and
 * the local command that trains the same model.
 */
export function sparkTrainedText(
  trained: SparkTrained,
  context: Pick<SparkTrainFlags, 'score' | 'input' | 'seed' | 'testFraction'> & {
    path: string;
    output: string;
    registered: readonly string[];
  },
): string {
  const { counts } = trained;
  let text = `${context.score}: trained on Spark (${trained.shards} shards) on ${trained.trainItems} items, tested on ${trained.testItems} (${trained.durationS.toFixed(1)} s)\n  ${trained.facts.join('\n  ')}\n  model: ${trained.modelPath}\n`;
  const left = [
    counts.problem ? `${counts.problem} rows unreadable or repeating an id` : '',
    counts.unlabeled ? `${counts.unlabeled} without a gold label` : '',
    counts.unknown ? `${counts.unknown} with a label the score does not declare` : '',
    counts.left_out ? `${counts.left_out} without their numeric features` : '',
  ].filter(Boolean);
  if (left.length > 0)
    text += `  left out: ${left.join(', ')} (listed in ${context.output}/problems)\n`;
  for (const problem of trained.firstProblems.slice(0, 10))
    text += `  ${context.input}: row ${problem.line}: ${problem.message}\n`;
  for (const line of context.registered) text += `registered ${line}\n`;
  if (trained.metrics) {
    const scores = { [context.score]: trained.metrics };
    text += `\nHeld-out test metrics:\n${formatSummaryTable({ scores })}\n`;
    // As plexus train: held-out items whose text is also a training item's (Spark said nothing).
    for (const note of errorNotes({ scores })) text += `${note}\n`;
  }
  return `${text}\nThe same model locally: plexus train ${context.path} --score "${context.score}" --data ${context.input} --split hash --shards ${trained.shards} --seed ${context.seed} --test-fraction ${context.testFraction}\n`;
}
