import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  agreementFile,
  InvalidConfigError,
  runNormalizers,
  shareText,
  shellWord,
} from '@plexus/core';
import {
  type AgreementReport,
  type FeedbackRecord,
  FeedbackStore,
  feedbackAgreement,
  feedbackDbPath,
  type PairAgreement,
  readFeedbackFile,
  readRunAnswers,
  type ScoreAgreement,
} from '@plexus/feedback';
import type { Command } from 'commander';
import { collect } from '../arguments.js';
import { inertField } from '../csv-cells.js';
import { anyForm, runSpelling } from '../feedback-spelling.js';
import type { CliIo } from '../output.js';

const columns = ['item_id', 'score', 'label', 'reviewer', 'reviewed_at', 'comment'] as const;

/**
 * Reviews as CSV (the import format: a cell a spreadsheet would run as a formula gets a leading
 * `'`, which `feedback import` takes off) or JSONL.
 */
export function feedbackText(records: readonly FeedbackRecord[], format: string): string {
  if (format === 'jsonl') return records.map((record) => `${JSON.stringify(record)}\n`).join('');
  if (format !== 'csv')
    throw new InvalidConfigError([
      { path: '--format', message: `expected csv or jsonl, got "${format}"` },
    ]);
  const rows = records.map((record) => columns.map((name) => inertField(record[name])).join(','));
  return `${[columns.join(','), ...rows].join('\n')}\n`;
}

/** Three decimals, never 1.000 or 0.000 for a figure that is not (`shareText`); "—" when absent. */
function number(value: number | null | undefined): string {
  return shareText(value);
}

/** An agreement's figures, or `n/a` with why there is none (`absent`). */
function pair(agreement: PairAgreement | null, absent: string): string {
  if (!agreement) return `n/a: ${absent}`;
  // Why kappa and AC1 are "—", in its first words ("one label only").
  const why = agreement.kappa_ac1_reason ? ` (${agreement.kappa_ac1_reason.split(' (')[0]})` : '';
  return `n ${agreement.n}  accuracy ${number(agreement.accuracy)}  kappa ${number(agreement.cohen_kappa)}  AC1 ${number(agreement.gwet_ac1)}${why}`;
}

/** Why the human ceiling is n/a: no item reviewed twice, or no review's other reviewers agree. */
function ceilingAbsent(score: ScoreAgreement): string {
  return score.items_with_two_or_more === 0
    ? 'no item reviewed by two or more reviewers'
    : "no reviewer's label has a majority of the item's other reviewers to meet";
}

/** Why the model is not measured against the majority while it is against reviewers: ties. */
function majorityAbsent(score: ScoreAgreement): string {
  return score.majority_ties === score.items
    ? `every reviewed item is a tie between its reviewers (${score.majority_ties} of ${score.items}): no majority label`
    : 'no reviewed item with a majority label has an answer of this score in the run';
}

/**
 * The agreement report as a table per score ("—": undefined, e.g. no item with two reviews). With
 * `withRun` (`--run`), a score the model cannot be compared on says so and why.
 */
export function agreementText(report: AgreementReport, withRun = false): string {
  const lines: string[] = [];
  for (const [name, score] of Object.entries(report.scores)) {
    lines.push(
      `${name}: ${score.items} items, ${score.reviewers} ${score.reviewers === 1 ? 'reviewer' : 'reviewers'}, ${score.reviews} reviews${score.replaced_reviews > 0 ? ` (${score.replaced_reviews} replaced by the same reviewer's later review)` : ''} (${score.items_with_two_or_more} items reviewed twice or more, ${score.majority_ties} majority ties)`,
      `  between reviewers   Krippendorff's alpha ${number(score.krippendorff_alpha)}  Fleiss' kappa ${number(score.fleiss_kappa)}${score.items_with_two_or_more === 0 ? '   (no item has two reviews: agreement needs them)' : ''}`,
      `  human ceiling       ${pair(score.human_ceiling, ceilingAbsent(score))}${score.human_ceiling ? "   (each reviewer vs the others' majority)" : ''}`,
    );
    if (score.model_vs_majority !== null || Object.values(score.by_reviewer).some((r) => r.model))
      lines.push(`  model vs majority   ${pair(score.model_vs_majority, majorityAbsent(score))}`);
    else if (withRun)
      lines.push(
        '  model               n/a: no reviewed item has an answer of this score in the run (are the item ids and the score name the same?)',
      );
    for (const [reviewer, entry] of Object.entries(score.by_reviewer)) {
      const model = entry.model ? `  model vs them: ${pair(entry.model, '')}` : '';
      lines.push(
        `  reviewer ${reviewer}: ${entry.reviews} reviews; vs others: ${pair(entry.vs_other_reviewers, 'no item of theirs has a majority among its other reviewers')}${model}`,
      );
    }
    for (const [month, entry] of Object.entries(score.by_month)) {
      const model =
        entry.model_accuracy === null ? '' : `  model accuracy ${number(entry.model_accuracy)}`;
      lines.push(
        `  ${month}: ${entry.reviews} reviews of ${entry.items} items by ${entry.reviewers}  alpha ${number(entry.krippendorff_alpha)}${model}`,
      );
    }
    lines.push('');
  }
  if (lines.length === 0) return 'no reviews (plexus feedback import FILE)\n';
  return lines.join('\n');
}

const dbOption = [
  '--feedback-db <path>',
  'the feedback database (SQLite); default $PLEXUS_FEEDBACK_DB, else ./feedback.sqlite beside runs/',
] as const;

async function withStore<T>(path: string | undefined, use: (store: FeedbackStore) => Promise<T>) {
  const store = await FeedbackStore.open(feedbackDbPath(path));
  try {
    return await use(store);
  } finally {
    store.close();
  }
}

/** Keeps the agreement in the run folder (the report and the MLflow sync read it). */
async function saveAgreement(run: string, report: AgreementReport, io: CliIo): Promise<void> {
  const path = join(run, agreementFile);
  const temporary = `${path}.tmp`;
  await writeFile(
    temporary,
    `${JSON.stringify({ computed_at: new Date().toISOString(), ...report }, null, 2)}\n`,
  );
  await rename(temporary, path);
  io.stderr(
    `agreement saved in ${path} (plexus report ${shellWord(run)} shows it; plexus mlflow sync ${shellWord(run)} logs it)\n`,
  );
}

/** `plexus feedback import|export|agreement`. */
export function feedbackCommand(program: Command, io: CliIo): void {
  const feedback = program
    .command('feedback')
    .description("reviewers' labels: import, export, agreement between reviewers and with a run");
  feedback
    .command('import')
    .description(
      'add reviews from CSV or JSONL files (item_id, score, label, reviewer, reviewed_at, comment)',
    )
    .argument(
      '<files...>',
      'feedback files; any bad row imports nothing; rows with an empty label are skipped and counted; an empty reviewed_at is the file time',
    )
    .option(...dbOption)
    .option(
      '--reviewer <name>',
      'the reviewer of rows whose reviewer cell is empty (a review queue)',
    )
    .action(async (files: string[], options: { feedbackDb?: string; reviewer?: string }) => {
      const records: FeedbackRecord[] = [];
      let unlabelled = 0;
      for (const file of files) {
        const read = await readFeedbackFile(file, { reviewer: options.reviewer });
        // One at a time: push(...rows) passes each row as an argument, and a file of 200,000
        // reviews overflowed the stack ("Maximum call stack size exceeded", nothing imported).
        for (const record of read.records) records.push(record);
        unlabelled += read.unlabelled;
      }
      await withStore(options.feedbackDb, async (store) => {
        const counts = await store.add(records);
        io.stdout(
          `${records.length} reviews: ${counts.added} added, ${counts.unchanged} already there, ${counts.changed} changed (${store.path})\n`,
        );
      });
      if (unlabelled > 0)
        io.stdout(`${unlabelled} rows without a label skipped (not reviewed yet)\n`);
    });
  feedback
    .command('export')
    .description('write the reviews back out (CSV, the import format, or JSONL)')
    .option(...dbOption)
    .option('--score <name>', 'only this score (repeatable)', collect, [])
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(
      async (options: { feedbackDb?: string; score: string[]; format: string; out?: string }) => {
        const text = await withStore(options.feedbackDb, async (store) =>
          feedbackText(store.reviews(anyForm(options.score)), options.format),
        );
        if (options.out) await writeFile(options.out, text);
        else io.stdout(text);
      },
    );
  feedback
    .command('agreement')
    .description(
      "agreement between reviewers (Krippendorff's alpha, Fleiss' kappa) and, with --run, of the model with them",
    )
    .option(...dbOption)
    .option('--score <name>', 'only this score (repeatable)', collect, [])
    .option(
      '--run <dir>',
      "a run folder: the model's answers against each reviewer and the majority",
    )
    .option('--json', 'print JSON')
    .action(
      async (options: { feedbackDb?: string; score: string[]; run?: string; json?: boolean }) => {
        const scores = anyForm(options.score);
        let records = await withStore(options.feedbackDb, async (store) => store.reviews(scores));
        const answers = options.run ? await readRunAnswers(options.run) : undefined;
        if (answers) {
          const spelled = runSpelling(records, answers);
          records = spelled.records;
          for (const note of spelled.notes) io.stderr(note);
        }
        // Labels compared as the run's scores compare them (their normalize_labels).
        const normalizer = options.run ? await runNormalizers(options.run) : undefined;
        const report = feedbackAgreement(records, { scores, answers, normalizer });
        if (options.run) await saveAgreement(options.run, report, io);
        io.stdout(
          options.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : agreementText(report, options.run !== undefined),
        );
      },
    );
}
