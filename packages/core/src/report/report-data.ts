import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InvalidConfigError } from '../common/errors.js';
import { fmix32 } from '../common/hash.js';
import { redact } from '../common/secrets.js';
import { judgedPair } from '../metrics/judged-pair.js';
import { textOfLine } from '../run/line-storage.js';
import { readResultLines } from '../run/result-file.js';
import type { ResultLine } from '../run/result-line.js';
import type { RunInfo, RunMetricsFile } from '../run/run-folder.js';
import { effectiveRunInfo } from '../run/run-state.js';
import { normalizedLabel } from '../text/labels.js';
import { type FeedbackAgreementFile, readAgreement } from './agreement-section.js';
import { assertMetricsOfResults } from './metrics-freshness.js';
import { highlightsOf, type TracedCallEntry, tracedCalls } from './trace-reading.js';

/** Item rows a report lists per score at most (misclassified and failed), stated on the page. */
export const defaultMaxRowsPerScore = 500;
/** Correct items (and items without gold) a report keeps per score, a seeded sample. */
export const defaultSampleRows = 50;

/** An item the report shows: misclassified, failed, or from the sample of correct or unlabeled. */
export interface ReportRow {
  item: string;
  score: string;
  kind: 'misclassified' | 'error' | 'correct' | 'unlabeled';
  gold: string | null;
  predicted: string | null;
  confidence: number | null;
  /** The explanation for answers, the error message for failures. */
  detail: string;
  /** The item's text as the result line kept it (see `LineStorageOptions.itemTextChars`). */
  text: string | null;
  /** The whole text's length when `text` was cut. */
  textLength: number | null;
  /** Matched words to highlight in the text (keywords, regex, extractor quotes). */
  highlights: { text: string; start?: number }[];
  /** The LLM calls of the trace: rendered messages and raw answers. */
  calls: TracedCallEntry[];
}

/** What the report keeps of one score. */
export interface ScoreRows {
  /** Misclassified and failed items, in the order they were scored, `maxRowsPerScore` at most. */
  problems: ReportRow[];
  /** Misclassified and failed items not kept because of the limit. */
  problemsLeftOut: number;
  /** A seeded sample of correct items. */
  correct: ReportRow[];
  correctSeen: number;
  /** A seeded sample of answered items without a gold label. */
  unlabeled: ReportRow[];
  unlabeledSeen: number;
}

export interface ReportData {
  info: RunInfo;
  metrics: RunMetricsFile;
  /** Per score name. */
  scores: Map<string, ScoreRows>;
  /** The rows listed per score at most. */
  maxRowsPerScore: number;
  /** Every misclassified and failed row kept, all scores (compatibility with older readers). */
  rows: ReportRow[];
  rowsLeftOut: number;
  /** Agreement with reviewers, when `plexus feedback agreement --run` saved it in the run folder. */
  agreement?: FeedbackAgreementFile;
}

export interface ReportRowsOptions {
  /** Misclassified and failed rows kept per score; default 500. */
  maxRowsPerScore?: number;
  /** Correct and unlabeled rows sampled per score; default 50. */
  sampleRows?: number;
  /** Seed of the samples; default 0. */
  seed?: number;
}

/**
 * Whether a line is a labelled answer judged wrong (`judgedPair`): its own `correct` when it has
 * one (every line Plexus writes), without normalising its labels again.
 */
function judgedWrong(line: ResultLine): boolean {
  if (line.status !== 'ok' || line.value === null || line.label === null) return false;
  if (line.correct === true || line.correct === false) return !line.correct;
  return judgedPair(line, normalizedLabel)?.correct === false;
}

/**
 * A row of a line. Its texts are redacted here, before the page shows a preview of them: the page
 * is redacted whole when written, but a preview cut inside a secret keeps a piece no longer equal
 * to it (the rows collected while a run is scored come from lines not yet redacted).
 */
function rowOf(line: ResultLine, kind: ReportRow['kind']): ReportRow {
  const text = textOfLine(line);
  return {
    item: line.item_id,
    score: line.score,
    kind,
    gold: line.label,
    predicted: line.value,
    confidence: line.confidence,
    detail: redact((kind === 'error' ? line.error?.message : line.explanation) ?? ''),
    text: text ? redact(text.text) : null,
    textLength: text?.length ?? null,
    highlights: highlightsOf(line.trace),
    calls: tracedCalls(line.trace),
  };
}

function emptyScore(): ScoreRows {
  return {
    problems: [],
    problemsLeftOut: 0,
    correct: [],
    correctSeen: 0,
    unlabeled: [],
    unlabeledSeen: 0,
  };
}

/**
 * The rows report.html shows, kept while a run is scored (a sink: `add` each line): per score the
 * first `maxRowsPerScore` misclassified and failed items and seeded samples of correct and
 * unlabeled ones. Memory stays bounded whatever the number of items.
 */
export class ReportRows {
  readonly scores = new Map<string, ScoreRows>();
  readonly maxRowsPerScore: number;
  /** Whether any line had its item's text (else no pass looks for the texts of rows). */
  sawText = false;
  private readonly sampleRows: number;
  private readonly seed: number;
  /** Each sampled row's rank (see `sampleRank`), kept beside it. */
  private readonly ranks = new WeakMap<ReportRow, number>();

  constructor(options: ReportRowsOptions | number = {}) {
    const settings = typeof options === 'number' ? { maxRowsPerScore: options } : options;
    this.maxRowsPerScore = settings.maxRowsPerScore ?? defaultMaxRowsPerScore;
    this.sampleRows = settings.sampleRows ?? defaultSampleRows;
    this.seed = settings.seed ?? 0;
  }

  private score(name: string): ScoreRows {
    let rows = this.scores.get(name);
    if (!rows) {
      rows = emptyScore();
      this.scores.set(name, rows);
    }
    return rows;
  }

  /** Keeps a line the run judged wrong (its own `correct`, see `judgedPair`) or that failed, or samples it. */
  add(line: ResultLine): void {
    const rows = this.score(line.score);
    if (!this.sawText && textOfLine(line)) this.sawText = true;
    if (line.status === 'error' || judgedWrong(line)) {
      if (rows.problems.length >= this.maxRowsPerScore) rows.problemsLeftOut += 1;
      else rows.problems.push(rowOf(line, line.status === 'error' ? 'error' : 'misclassified'));
      return;
    }
    if (line.status !== 'ok' || line.value === null) return;
    if (line.correct === true) {
      rows.correctSeen += 1;
      this.sample(rows.correct, line, 'correct');
    } else if (line.label === null) {
      rows.unlabeledSeen += 1;
      this.sample(rows.unlabeled, line, 'unlabeled');
    }
  }

  /**
   * Bottom-k sampling: the `sampleRows` items of smallest seeded rank, kept in rank order. Each item
   * has the same chance, and the sample is the same whatever order the results arrive in.
   */
  private sample(kept: ReportRow[], line: ResultLine, kind: ReportRow['kind']) {
    const rank = sampleRank(line.item_id, this.seed);
    const full = kept.length >= this.sampleRows;
    if (full && rank >= (this.ranks.get(kept[kept.length - 1]!) ?? 0)) return;
    const row = rowOf(line, kind);
    this.ranks.set(row, rank);
    let at = kept.length;
    while (at > 0 && (this.ranks.get(kept[at - 1]!) ?? 0) > rank) at -= 1;
    kept.splice(at, 0, row);
    if (kept.length > this.sampleRows) kept.pop();
  }

  /** Every misclassified and failed row kept, score by score. */
  get rows(): ReportRow[] {
    return [...this.scores.values()].flatMap((rows) => rows.problems);
  }

  get rowsLeftOut(): number {
    let total = 0;
    for (const rows of this.scores.values()) total += rows.problemsLeftOut;
    return total;
  }
}

/**
 * Rows whose line did not store the item's text (results.jsonl keeps it on the item's first line;
 * a resumed run's kept lines come from the file) get it from the line that did: one more pass,
 * only when some row misses it.
 */
async function fillTexts(path: string, scores: Map<string, ScoreRows>): Promise<void> {
  const missing = new Map<string, ReportRow[]>();
  for (const rows of scores.values())
    for (const row of [...rows.problems, ...rows.correct, ...rows.unlabeled]) {
      if (row.text !== null) continue;
      const waiting = missing.get(row.item);
      if (waiting) waiting.push(row);
      else missing.set(row.item, [row]);
    }
  if (missing.size === 0) return;
  for await (const line of readResultLines(path)) {
    const waiting = line.text === undefined ? undefined : missing.get(line.item_id);
    if (!waiting) continue;
    for (const row of waiting) {
      row.text = redact(line.text!);
      row.textLength = line.text_length ?? null;
    }
    missing.delete(line.item_id);
    if (missing.size === 0) return;
  }
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new InvalidConfigError([
      { path, message: `cannot read it (${errorMessage(error)}); is this a finished run folder?` },
    ]);
  }
}

/**
 * Refuses a metrics.json that parses but holds no per-score metrics (`{}`, a score that is null:
 * another tool's file, a hand edit), naming it: the page died on it with "Cannot convert undefined
 * or null to object".
 */
function checkMetricsShape(metrics: RunMetricsFile, path: string): void {
  const scores: unknown = (metrics as { scores?: unknown } | null)?.scores;
  const isObject = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(scores) && Object.values(scores as object).every(isObject)) return;
  throw new InvalidConfigError([
    {
      path,
      message:
        'it holds no per-score metrics (no "scores" object of one object per score); plexus evaluate SCORECARD --resume on the run folder writes it again from results.jsonl',
    },
  ]);
}

/**
 * Reads a run folder for the report. `rows` collected while the run was scored spare a second
 * pass over `results.jsonl`; without them the file is streamed.
 */
export async function readReportData(
  dir: string,
  options: { maxRows?: number; rows?: ReportRows } = {},
): Promise<ReportData> {
  // A run left `running` by a dead process reads as `interrupted`.
  const info = effectiveRunInfo(dir, await readJson<RunInfo>(join(dir, 'run.json')));
  if (info.status === 'interrupted' && !existsSync(join(dir, 'metrics.json')))
    throw new InvalidConfigError([
      {
        path: dir,
        message: `the run is interrupted (${info.error ?? 'no reason recorded'}) and has no metrics yet: continue it with plexus evaluate SCORECARD --resume ${dir}`,
      },
    ]);
  const metrics = await readJson<RunMetricsFile>(join(dir, 'metrics.json'));
  checkMetricsShape(metrics, join(dir, 'metrics.json'));
  let collected = options.rows;
  let lines: Map<string, number> | undefined;
  if (!collected) {
    collected = new ReportRows({ maxRowsPerScore: options.maxRows });
    lines = new Map();
    for await (const line of readResultLines(join(dir, 'results.jsonl'))) {
      collected.add(line);
      lines.set(line.score, (lines.get(line.score) ?? 0) + 1);
    }
  }
  // Rows collected while the run was scored are of the metrics it just wrote.
  if (!options.rows) assertMetricsOfResults(dir, info, metrics, lines);
  if (collected.sawText) await fillTexts(join(dir, 'results.jsonl'), collected.scores);
  const agreement = await readAgreement(dir);
  return {
    info,
    metrics,
    scores: collected.scores,
    maxRowsPerScore: collected.maxRowsPerScore,
    rows: collected.rows,
    rowsLeftOut: collected.rowsLeftOut,
    ...(agreement ? { agreement } : {}),
  };
}

/** A seeded rank in [0, 2^32) of an item id: FNV-1a of its UTF-16 units, then `fmix32`. */
export function sampleRank(id: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < id.length; index += 1)
    hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  return fmix32(hash);
}
