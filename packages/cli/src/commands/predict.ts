import { InvalidConfigError, predict } from '@plexus/core';
import type { Command } from 'commander';
import { collect, wholeNumber } from '../arguments.js';
import { closeCard } from '../close-card.js';
import { type CliIo, skippedRowLine } from '../output.js';
import { ownStdout } from '../own-stdout.js';
import { loadForCli } from '../scorecard.js';
import { watchUnfinished } from '../unfinished.js';

interface PredictFlags {
  text?: string;
  data?: string;
  score?: string[];
  concurrency?: number;
  quiet?: boolean;
}

export function predictCommand(program: Command, io: CliIo): void {
  program
    .command('predict')
    .description(
      'score a text or a dataset and print one JSON line per item and score (no run folder)',
    )
    .argument('<scorecard>', 'scorecard file (YAML or JSON)')
    .option('--text <text>', 'a single text to score (item id "text")')
    .option('--data <file>', 'a dataset (CSV, JSONL or Parquet)')
    .option('--score <name>', 'run only this score and what it depends on (repeatable)', collect)
    .option('--concurrency <n>', 'score calls in flight per score', wholeNumber('--concurrency'))
    .option('--quiet', 'do not report skipped rows on stderr')
    .action(async (path: string, flags: PredictFlags) => {
      // stdout holds only the JSON lines: a score package's prints go to stderr.
      const own = ownStdout(io);
      const finished = watchUnfinished('predict');
      try {
        await runPredict(path, flags, own.io);
      } finally {
        finished();
        own.restore();
      }
    });
}

/** `plexus predict`, with the io it prints through. */
async function runPredict(path: string, flags: PredictFlags, io: CliIo): Promise<void> {
  if ((flags.text === undefined) === (flags.data === undefined)) {
    throw new InvalidConfigError([
      { path: 'predict', message: 'give exactly one of --text TEXT or --data FILE' },
    ]);
  }
  const card = await loadForCli(path, {
    requestConcurrency: flags.concurrency,
    scores: flags.score,
    checkData: flags.data ?? false,
    warn: flags.quiet ? undefined : (line) => io.stderr(line),
  });
  try {
    const lines = predict({
      scorecard: card,
      items:
        flags.text === undefined
          ? undefined
          : [{ id: 'text', text: flags.text, metadata: {}, labels: {}, line: 1 }],
      data: flags.data,
      scores: flags.score,
      concurrency: flags.concurrency,
      onDatasetProblem: (problem) => {
        if (!flags.quiet) io.stderr(skippedRowLine(flags.data ?? 'data', problem));
      },
    });
    for await (const line of lines) {
      const { item_id, score, value, status, explanation, confidence, probabilities, error } = line;
      io.stdout(
        `${JSON.stringify({ item_id, score, value, status, explanation, confidence, probabilities, error })}\n`,
      );
    }
  } finally {
    await closeCard(card, io);
  }
}
