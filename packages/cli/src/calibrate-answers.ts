// The answers `plexus calibrate` fits on: the score run over the labelled data without any
// calibration it has, keeping the answers with a confidence and a gold label, and leaving out those
// on items its model was trained on (a forest remembers them: right, and sure of it).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { closeScorecard, evaluate, InvalidConfigError, type RecordedCost } from '@plexus/core';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { JudgedAnswer } from './calibration-fit.js';
import { loadForCli } from './scorecard.js';

export interface CalibrateFlags {
  score: string;
  data?: string;
  method: string;
  seed: number;
  testFraction: number;
  targetPrecision?: number;
  cacheDir?: string;
}

/** The scorecard's YAML document and the score's node in it. */
export async function scoreNode(path: string, name: string) {
  const document = parseDocument(await readFile(path, 'utf8'));
  const scores = document.get('scores');
  const node = isSeq(scores)
    ? scores.items.find((item) => isMap(item) && item.get('name') === name)
    : undefined;
  if (!node || !isMap(node))
    throw new InvalidConfigError([
      { path: '--score', message: `no score named "${name}" in ${path}` },
    ]);
  return { document, node };
}

/** What the score answered on the data, and what that run was. */
export interface RawAnswers {
  /** Labelled answers with a confidence, on items its model was not trained on. */
  answers: JudgedAnswer[];
  /** Its package's code identity (`fitted.package` keeps its `name@version`). */
  code: string | null;
  /** The dataset read (the scorecard's `data.path` when `--data` is not given). */
  dataPath: string | null;
  /** Labelled answers left out: on items the score's model was trained on (`trace.in_training`). */
  inTraining: number;
  /** What scoring the data cost (an LLM score makes one call per item the caches lack). */
  cost: RecordedCost;
  /** The score's results, and those left out for want of an answer, a gold label or a confidence. */
  leftOut: LeftOut;
}

/** The score's results on the data, and the ones no answer to fit on could come from. */
export interface LeftOut {
  results: number;
  /** Ended in error, skipped or disabled: no answer. */
  failed: number;
  /** Answered, without a gold label to judge it by. */
  noGold: number;
  /** Answered and judged, without a confidence. */
  noConfidence: number;
}

/** Counts the score's results no labelled answer with a confidence came from, by why. */
function leftOutOf(lines: RunFiles['lines']): LeftOut {
  const counts: LeftOut = { results: lines.length, failed: 0, noGold: 0, noConfidence: 0 };
  for (const line of lines) {
    if (line.status !== 'ok') counts.failed += 1;
    else if (typeof line.correct !== 'boolean') counts.noGold += 1;
    else if (typeof line.confidence !== 'number') counts.noConfidence += 1;
  }
  return counts;
}

interface RunFiles {
  lines: {
    score: string;
    item_id: string;
    status: string;
    confidence: unknown;
    correct: unknown;
    trace?: { in_training?: unknown } | null;
  }[];
  dataPath: string | null;
  cost: RecordedCost;
}

/** The results, the data path and the cost of the temporary run folder. */
async function runFiles(run: string): Promise<RunFiles> {
  const text = await readFile(join(run, 'results.jsonl'), 'utf8');
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const info = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
  const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
  const cost = metrics.cost ?? {};
  return {
    lines,
    dataPath: typeof info.data?.path === 'string' ? info.data.path : null,
    cost: { usd: cost.usd, unpricedModels: cost.unpriced_models, llmCalls: cost.llm_calls },
  };
}

/** The score's raw answers on the data (see `RawAnswers`), scored without any calibration it has. */
export async function rawAnswers(path: string, flags: CalibrateFlags): Promise<RawAnswers> {
  const { document, node } = await scoreNode(path, flags.score);
  // Fit on raw confidences: with a calibration already, a copy of the scorecard without it.
  const copy = node.has('calibration')
    ? join(dirname(path), `.${basename(path)}.${randomUUID()}.calibrate.yaml`)
    : undefined;
  node.delete('calibration');
  if (copy) await writeFile(copy, String(document));
  const run = mkdtempSync(join(tmpdir(), 'plexus-calibrate-'));
  let code: string | null = null;
  try {
    const card = await loadForCli(copy ?? path, {
      cacheDir: flags.cacheDir,
      scores: [flags.score],
    });
    code = card.scores.find((entry) => entry.name === flags.score)?.code ?? null;
    try {
      await evaluate({
        scorecard: card,
        data: flags.data,
        scores: [flags.score],
        outDir: run,
        cacheDir: flags.cacheDir,
        itemTextChars: 0,
      });
    } finally {
      await closeScorecard(card);
    }
    const files = await runFiles(run);
    const mine = files.lines.filter((line) => line.score === flags.score);
    const judged = mine.filter(
      (line) => typeof line.confidence === 'number' && typeof line.correct === 'boolean',
    );
    const unseen = judged.filter((line) => line.trace?.in_training !== true);
    const inTraining = judged.length - unseen.length;
    if (judged.length > 0 && unseen.length === 0)
      throw new InvalidConfigError([
        {
          path: '--data',
          message: `every one of the ${judged.length} labelled answers of "${flags.score}" is on an item its model was trained on (it remembers them: right, and sure of it); calibrate on labelled items it was not trained on: --data FILE`,
        },
      ]);
    const answers = unseen.map((line) => ({
      item_id: line.item_id,
      confidence: line.confidence as number,
      correct: line.correct as boolean,
    }));
    return {
      answers,
      code,
      dataPath: files.dataPath,
      inTraining,
      cost: files.cost,
      leftOut: leftOutOf(mine),
    };
  } finally {
    if (copy) rmSync(copy, { force: true });
    rmSync(run, { recursive: true, force: true });
  }
}
