import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { InvalidConfigError, runNormalizers, shellWord } from '@plexus/core';
import {
  type QueueOrder,
  type ReviewQueue,
  readFeedbackFile,
  reviewQueueOfRun,
  scoreInRun,
} from '@plexus/feedback';
import type { Command } from 'commander';
import { collect, wholeNumber } from '../arguments.js';
import { csvField, inertField } from '../csv-cells.js';
import type { CliIo } from '../output.js';
import { emptyCellNote } from '../review-cell-note.js';

function order(value: string): QueueOrder {
  if (value === 'uncertainty' || value === 'disagreement' || value === 'cell') return value;
  throw new InvalidConfigError([
    { path: '--by', message: `expected uncertainty, disagreement or cell, got "${value}"` },
  ]);
}

function cell(value: string | undefined): { gold: string; predicted: string } | undefined {
  if (value === undefined) return undefined;
  const [gold, predicted, ...rest] = value.split(',');
  if (!gold || !predicted || rest.length > 0)
    throw new InvalidConfigError([
      { path: '--cell', message: `expected GOLD,PREDICTED (e.g. yes,no), got "${value}"` },
    ]);
  return { gold, predicted };
}

/**
 * The queue as a feedback file to fill in: one row per item and score to review, the import
 * columns first (`label` empty), then the score's answer, every score's answers and the text.
 */
export function queueCsv(queue: ReviewQueue, scores: readonly string[]): string {
  const answerColumns = [...new Set(queue.items.flatMap((item) => Object.keys(item.answers)))];
  const header = [
    'item_id',
    'score',
    'label',
    'reviewer',
    'reviewed_at',
    'comment',
    'model_answer',
    'priority',
    ...answerColumns.map((name) => `answer: ${name}`),
    'text',
  ];
  const rows = [header.map(csvField).join(',')];
  for (const item of queue.items) {
    for (const score of scores.filter((name) => name in item.answers)) {
      const answers = answerColumns.map((name) => item.answers[name] ?? null);
      // Every cell inert, the item id too (a dataset's `=HYPERLINK(...)`): import takes the ' off.
      const imported = [item.item_id, score, '', '', '', ''].map(inertField);
      const shown = [item.answers[score] ?? null, item.priority, ...answers, item.text];
      rows.push([...imported, ...shown.map(inertField)].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

interface QueueFlags {
  run: string;
  n: number;
  by: string;
  cell?: string;
  score: string[];
  out: string;
}

/**
 * Refuses an `--out` that holds a reviewer's work or another file: a queue with labels filled in
 * (not imported yet, perhaps) or any file that is not a review queue. Writing over it lost them.
 * An unfilled queue (the last one written) is written over.
 */
async function refuseFilledQueue(out: string): Promise<void> {
  if (!existsSync(out)) return;
  let labelled: number;
  try {
    // A reviewer's name may be left for import's --reviewer: any name counts the rows here.
    labelled = (await readFeedbackFile(out, { reviewer: 'reviewer' })).records.length;
  } catch {
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${out} exists and is not a review queue; choose another --out (nothing was written)`,
      },
    ]);
  }
  if (labelled === 0) return;
  throw new InvalidConfigError([
    {
      path: '--out',
      message: `${out} holds ${labelled} reviewed rows (labels filled in); import them (plexus feedback import ${shellWord(out)} --reviewer NAME; importing twice changes nothing), then choose another --out or delete it (nothing was written)`,
    },
  ]);
}

/** `plexus review queue`: the items a human should label next, as a file to fill and import. */
export function reviewCommand(program: Command, io: CliIo): void {
  const review = program.command('review').description('choose the items a human labels next');
  review
    .command('queue')
    .description(
      'write the items to review next (lowest confidence, most disagreement, or one confusion cell) as a CSV to fill in and import with plexus feedback import',
    )
    .requiredOption('--run <dir>', 'the run folder to pick from')
    .option('--n <n>', 'items at most', wholeNumber('--n'), 50)
    .option('--by <order>', 'uncertainty, disagreement (among --score) or cell', 'uncertainty')
    .option(
      '--cell <gold,predicted>',
      "with --by cell: the confusion cell (gold label, the score's answer)",
    )
    .option(
      '--score <name>',
      'only these scores (repeatable); default every score of the run',
      collect,
      [],
    )
    .requiredOption('--out <file>', 'the CSV to write')
    .action(async (flags: QueueFlags) => {
      // Read line by line: only the queued items' texts are kept (every result took 1.9 GB at 1M).
      const chosenCell = cell(flags.cell);
      // Labels compared as the run's scores compare them: a cell is the metrics' cell.
      const normalizer = await runNormalizers(flags.run);
      const queue = await reviewQueueOfRun(flags.run, {
        n: flags.n,
        by: order(flags.by),
        cell: chosenCell,
        scores: flags.score,
        normalizer,
      });
      // The run's spelling of each name (another Unicode form of it is the same score).
      const scores =
        flags.score.length > 0
          ? flags.score.map((name) => scoreInRun(name, queue.scores))
          : queue.scores;
      await refuseFilledQueue(flags.out);
      await writeFile(flags.out, queueCsv(queue, scores));
      const left =
        queue.unranked > 0
          ? ` (${queue.unranked} left out: ${flags.by === 'uncertainty' ? 'no confidence' : 'fewer than two answers'})`
          : chosenCell && queue.items.length === 0
            ? ` (${await emptyCellNote(flags.run, scores[0]!, chosenCell, normalizer(scores[0]!))})`
            : '';
      io.stdout(
        `${queue.items.length} of ${queue.considered} items to review in ${flags.out}${left}; fill label (and reviewer), then: plexus feedback import ${shellWord(flags.out)} --reviewer NAME\n`,
      );
    });
}
