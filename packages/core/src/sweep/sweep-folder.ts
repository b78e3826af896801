import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { fileSystemError } from '../common/file-system-error.js';
import type { SweepMetric, TrialParameters } from './sweep-file.js';

/** What one trial did, as a line of `trials.jsonl`. */
export interface TrialRecord {
  /** 1-based, in the order of `sweepTrials`. */
  trial: number;
  parameters: TrialParameters;
  status: 'ok' | 'error';
  /** The optimised metric, mean over the folds; null when it could not be computed. */
  metric: number | null;
  /** Standard deviation of the optimised metric over the folds (0 for a holdout). */
  metric_std: number | null;
  /** Every sweep metric, mean over the folds. */
  metrics: Partial<Record<SweepMetric, number | null>>;
  folds: number;
  duration_s: number;
  error?: string;
  /** The trial's MLflow child run, when tracked. */
  mlflow_run_id?: string;
}

/** Contents of `sweep.json`. */
export interface SweepInfo {
  version: 1;
  status: 'running' | 'completed' | 'interrupted' | 'failed';
  scorecard: { name: string; key: string; path: string; hash: string };
  score: string;
  sweep: { path: string; sha256: string };
  data: string;
  seed: number;
  test_fraction: number;
  split: 'stratified' | 'hash';
  metric: SweepMetric;
  trials: number;
  started_at: string;
  ended_at: string | null;
  mlflow_parent_run_id: string | null;
  best: { trial: number; metric: number; model: string } | null;
  error: string | null;
}

/** A sweep folder: `sweep.json`, `trials.jsonl` (append-only) and `trials.csv` (the table). */
export class SweepFolder {
  private constructor(
    readonly dir: string,
    public info: SweepInfo,
    readonly trials: TrialRecord[],
  ) {}

  static async create(dir: string, info: SweepInfo): Promise<SweepFolder> {
    if (existsSync(join(dir, 'sweep.json')))
      throw new InvalidConfigError([
        { path: '--sweep-dir', message: `${dir} already holds a sweep; continue it with --resume` },
      ]);
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw fileSystemError(error, dir, 'create the sweep folder');
    });
    const folder = new SweepFolder(dir, info, []);
    await folder.save();
    return folder;
  }

  /** Opens a sweep to continue it; trials already recorded are not run again. */
  static async open(dir: string): Promise<SweepFolder> {
    let info: SweepInfo;
    try {
      info = JSON.parse(await readFile(join(dir, 'sweep.json'), 'utf8')) as SweepInfo;
    } catch {
      throw new InvalidConfigError([
        { path: '--resume', message: `${dir} is not a sweep folder (no readable sweep.json)` },
      ]);
    }
    const trials: TrialRecord[] = [];
    const path = join(dir, 'trials.jsonl');
    if (existsSync(path))
      for (const line of (await readFile(path, 'utf8')).split('\n')) {
        // A line cut by a crash is the trial that was running: it runs again.
        try {
          if (line.trim()) trials.push(JSON.parse(line) as TrialRecord);
        } catch {}
      }
    return new SweepFolder(dir, info, trials);
  }

  async addTrial(record: TrialRecord): Promise<void> {
    this.trials.push(record);
    const path = join(this.dir, 'trials.jsonl');
    try {
      await appendFile(path, `${JSON.stringify(record)}\n`);
      await this.writeTable();
    } catch (error) {
      throw fileSystemError(error, path, 'write', this.resumable());
    }
  }

  async save(): Promise<void> {
    const path = join(this.dir, 'sweep.json');
    try {
      await writeFile(`${path}.tmp`, `${JSON.stringify(this.info, null, 2)}\n`);
      await rename(`${path}.tmp`, path);
    } catch (error) {
      throw fileSystemError(error, path, 'write', this.resumable());
    }
  }

  /** How to continue this sweep after a failed write, once sweep.json exists. */
  private resumable(): { resume?: string } {
    if (!existsSync(join(this.dir, 'sweep.json'))) return {};
    const { scorecard, score, sweep } = this.info;
    return {
      resume: `plexus train ${scorecard.path} --score "${score}" --sweep ${sweep.path} --resume ${this.dir}`,
    };
  }

  /** `trials.csv`: one row per trial, best first. */
  private async writeTable(): Promise<void> {
    const parameterNames = [
      ...new Set(this.trials.flatMap((trial) => Object.keys(trial.parameters))),
    ];
    const metricNames = [...new Set(this.trials.flatMap((trial) => Object.keys(trial.metrics)))];
    const rows = rankTrials(this.trials).map((trial) => [
      trial.trial,
      trial.status,
      trial.metric,
      trial.metric_std,
      ...parameterNames.map((name) => trial.parameters[name]),
      ...metricNames.map((name) => trial.metrics[name as SweepMetric]),
      trial.duration_s,
      trial.error,
    ]);
    const header = [
      'trial',
      'status',
      this.info.metric,
      `${this.info.metric}_std`,
      ...parameterNames,
      ...metricNames.map((name) => `cv_${name}`),
      'duration_s',
      'error',
    ];
    const text = [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n');
    await writeFile(join(this.dir, 'trials.csv'), `${text}\n`);
  }
}

/** Trials best first (by metric, then by trial number); errors last. */
export function rankTrials(trials: readonly TrialRecord[]): TrialRecord[] {
  return [...trials].sort(
    (left, right) =>
      (right.metric ?? Number.NEGATIVE_INFINITY) - (left.metric ?? Number.NEGATIVE_INFINITY) ||
      left.trial - right.trial,
  );
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
