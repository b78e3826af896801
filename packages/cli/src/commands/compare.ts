import {
  type CompareErrors,
  compareRuns,
  differenceText,
  InvalidConfigError,
  type RunComparison,
  readRunInfo,
  type ScoreComparison,
  shareText,
} from '@plexus/core';
import type { Command } from 'commander';
import { collect } from '../arguments.js';
import type { CliIo } from '../output.js';
import { pairOf } from '../score-pairs.js';

/** The score names of a run folder (its run.json's fingerprints); none when it cannot be read. */
async function scoreNames(dir: string): Promise<Set<string>> {
  try {
    return new Set(Object.keys((await readRunInfo(dir)).fingerprints ?? {}));
  } catch {
    return new Set(); // compareRuns names the folder that is not a run
  }
}

async function pairsOf(
  values: readonly string[],
  runA: string,
  runB: string,
): Promise<[string, string][]> {
  if (values.length === 0) return [];
  const names = { a: await scoreNames(runA), b: await scoreNames(runB) };
  return values.map((value) => pairOf(value, names));
}

function errorsMode(value: string): CompareErrors {
  if (value === 'wrong' || value === 'exclude') return value;
  throw new InvalidConfigError([
    { path: '--errors', message: `expected wrong or exclude, got "${value}"` },
  ]);
}

/** "A: dir" and, when the run did not complete, its status (a dead `running` run is interrupted). */
function runLine(name: string, dir: string, status: string | null): string {
  return status === 'completed' || status === null
    ? `${name}: ${dir}`
    : `${name}: ${dir} (${status})`;
}

/**
 * A figure in 3 decimals (`>0.999` for one below 1 that rounds to 1.000: `shareText`), or "—" when
 * it is absent (the score's `no_metrics_reason` says why).
 */
function figure(value: number | null): string {
  return shareText(value);
}

/** The lines of one compared score; without items to compare, the reason instead of figures. */
function scoreLines(score: ScoreComparison, errors: CompareErrors): string[] {
  const name =
    score.score_a === score.score_b ? score.score_a : `${score.score_a} vs ${score.score_b}`;
  const scope =
    errors === 'wrong'
      ? 'an error counts as wrong'
      : 'items either run failed left out (--errors exclude)';
  const onlyA = score.due_only_a ?? 0;
  const onlyB = score.due_only_b ?? 0;
  // Items with gold due in one run only are not compared: counted, not dropped in silence.
  const leftOut =
    onlyA + onlyB > 0
      ? `; left out, due in one run only: ${onlyA} of run A, ${onlyB} of run B`
      : '';
  const lines = [
    `${name}: ${score.n} items scored by both (${scope})${leftOut}`,
    `  errors    A ${score.errors_a}  B ${score.errors_b}`,
  ];
  if (score.no_metrics_reason !== null)
    return [...lines, `  accuracy, F1 and McNemar: none (${score.no_metrics_reason})`, ''];
  const interval = score.f1_macro_delta_ci95;
  const difference = (value: number | null) => (value === null ? '—' : differenceText(value, 3));
  const shown = interval
    ? `95% CI ${difference(interval[0])} to ${difference(interval[1])}`
    : `no 95% CI: ${score.f1_macro_delta_ci95_reason}`;
  return [
    ...lines,
    `  accuracy  A ${figure(score.accuracy_a)}  B ${figure(score.accuracy_b)}`,
    `  F1 macro  A ${figure(score.f1_macro_a)}  B ${figure(score.f1_macro_b)}  (B-A ${difference(score.f1_macro_delta)}, ${shown})`,
    `  right only in A: ${score.only_a_correct}, only in B: ${score.only_b_correct}`,
    `  ${score.verdict}`,
    '',
  ];
}

function formatComparison(result: RunComparison): string {
  const lines = [
    runLine('A', result.run_a, result.status_a),
    runLine('B', result.run_b, result.status_b),
    '',
  ];
  for (const difference of result.gold_differences)
    lines.push(
      `gold labels differ on ${difference.items} compared items of ${difference.score_a} vs ${difference.score_b} (--allow-different-gold)`,
      '',
    );
  for (const score of result.scores) lines.push(...scoreLines(score, result.errors));
  const { a, b } = result.not_compared;
  if (a.length > 0 || b.length > 0)
    lines.push(
      `not compared (in no pair; --pair A=B pairs two scores): ${[
        ...(a.length > 0 ? [`run A: ${a.join(', ')}`] : []),
        ...(b.length > 0 ? [`run B: ${b.join(', ')}`] : []),
      ].join('; ')}`,
      '',
    );
  return lines.join('\n');
}

export function compareCommand(program: Command, io: CliIo): void {
  program
    .command('compare')
    .description(
      'compare two runs over the same data: metric deltas, intervals and McNemar test per score',
    )
    .argument('<run-a>', 'run folder A')
    .argument('<run-b>', 'run folder B')
    .option('--pair <a=b>', 'compare score a of run A with score b of run B (repeatable)', collect)
    .option('--alpha <p>', 'significance level', '0.05')
    .option(
      '--errors <mode>',
      'an item a run ended in error: wrong (counts as a wrong answer) or exclude (left out)',
      errorsMode,
      'wrong' as CompareErrors,
    )
    .option(
      '--allow-different-gold',
      'compare even when the runs have different gold labels for compared items (else exit 2)',
    )
    .option('--json', 'print the comparison as JSON')
    .option('--quiet', 'print nothing but --json output')
    .addHelpText(
      'after',
      `
The verdict follows McNemar's exact test at --alpha; when the bootstrap 95% interval of the
accuracy difference says otherwise (excludes 0 when the test is not significant, or the
reverse), the verdict says the tests disagree (JSON: tests_agree false): treat it as borderline.
Where the resamples cannot vary (one item; no item right in one run only) an interval is absent
(JSON: null, tests_agree null) and *_ci95_reason says why, not a one-value [0, 0]. With no item to compare (e.g. --errors exclude and no item answered by both runs), accuracy,
F1, intervals and p are absent (JSON: null) and no_metrics_reason says why.`,
    )
    .action(
      async (
        runA: string,
        runB: string,
        flags: {
          pair?: string[];
          alpha: string;
          errors: CompareErrors;
          allowDifferentGold?: boolean;
          json?: boolean;
          quiet?: boolean;
        },
      ) => {
        const alpha = Number(flags.alpha);
        if (!(alpha > 0 && alpha < 1)) {
          throw new InvalidConfigError([
            { path: '--alpha', message: `expected a number between 0 and 1, got "${flags.alpha}"` },
          ]);
        }
        const result = await compareRuns({
          runA,
          runB,
          pairs: await pairsOf(flags.pair ?? [], runA, runB),
          alpha,
          errors: flags.errors,
          allowDifferentGold: flags.allowDifferentGold,
        });
        if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        else if (!flags.quiet) io.stdout(formatComparison(result));
      },
    );
}
