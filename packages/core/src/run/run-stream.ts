import { basename } from 'node:path';
import { errorMessage, InvalidConfigError } from '../common/errors.js';
import { sha256 } from '../common/hash.js';
import type { LoadedScore, LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import type { RunEndStatusV1, RunStartV1 } from '../spec/run-sink-spec.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import type { ResultLine } from './result-line.js';
import { RunFolder, type RunInfo, writeScorecardCopy } from './run-folder.js';
import type { RunProvenance } from './run-provenance.js';
import type { RunSelection } from './run-selection.js';
import { readRunInfo } from './run-state.js';
import type { SinkSet } from './sink-set.js';
import { storedLineChecker } from './stored-line-check.js';

/** A run whose folder is open and whose sinks have begun. */
export interface OpenedRun {
  folder: RunFolder;
  /** The dataset the run reads. */
  path: string;
  /** A resumed run's stored outputs per item id (the engine scores only what is missing). */
  prior: Map<string, Record<string, ScoreOutputV1>>;
  start: RunStartV1;
  /** What opening found that did not stop it (stored results scored again on resume). */
  warnings: string[];
}

/**
 * The id of a run: run.json's `id`, or for a folder from before ids were recorded, one derived
 * from its scorecard, start and folder name (the same every time it is read).
 */
export function runIdOf(info: RunInfo, dir: string): string {
  return (
    info.id ?? sha256(`${info.scorecard.hash}|${info.started_at}|${basename(dir)}`).slice(0, 32)
  );
}

function runStart(info: RunInfo, dir: string, started: Date, resumed: boolean): RunStartV1 {
  return {
    id: runIdOf(info, dir),
    dir,
    scorecard: info.scorecard,
    fingerprints: info.fingerprints,
    data: { path: info.data.path },
    options: info.options,
    startedAt: started.toISOString(),
    resumed,
  };
}

/** Creates a new run folder (refusing one that holds a run), then begins the sinks. */
export async function createRun(
  dir: string,
  info: RunInfo,
  scorecard: LoadedScorecard,
  sinks: SinkSet,
): Promise<OpenedRun> {
  const folder = await RunFolder.create(dir, info, scorecard);
  const start = runStart(info, dir, new Date(info.started_at), false);
  try {
    await sinks.begin(start);
  } catch (error) {
    folder.info.status = 'failed';
    folder.info.error = errorMessage(error);
    await folder.close();
    throw error;
  }
  return { folder, path: info.data.path, prior: new Map(), start, warnings: [] };
}

/** Direct dependencies per score, for a resume that retries errors. */
function dependencyMap(scores: readonly LoadedScore[]): Map<string, string[]> {
  return new Map(
    scores.map((entry) => [entry.name, entry.dependsOn.map((dependency) => dependency.score)]),
  );
}

/**
 * Opens a run folder to continue it: checks that its dataset is unchanged, begins the sinks, then
 * compacts the stored results, giving each kept line to the sinks' `restore`.
 */
export async function resumeRun(options: {
  dir: string;
  /** The scorecard the resume runs (run.json and the folder's copy follow it when edited). */
  scorecard: LoadedScorecard;
  /** Another dataset path (`--data`); default the one the run recorded. */
  data: string | undefined;
  scores: readonly LoadedScore[];
  fingerprints: Record<string, string>;
  retryErrors: boolean | undefined;
  /** The --score, --limit and --sample this resume runs with (run.json's `options` says so). */
  selection: RunSelection;
  started: Date;
  provenance: RunProvenance;
  sinks: SinkSet;
  onReplaced: (line: ResultLine) => void;
}): Promise<OpenedRun> {
  const { dir, sinks } = options;
  const recorded = await readRunInfo(dir, '--resume');
  const path = options.data ?? recorded.data.path;
  await options.provenance.checkDataset(path, recorded.data);
  const info = { ...recorded, fingerprints: options.fingerprints, data: { path } };
  const start = runStart(info, dir, options.started, true);
  await sinks.begin(start);
  const checker = storedLineChecker(options.scores);
  const changed = new Map<string, number>();
  const resumed = await RunFolder.resume(dir, options.fingerprints, (line) => sinks.restore(line), {
    retryErrors: options.retryErrors,
    dependsOn: dependencyMap(options.scores),
    check: checker.check,
    onReplaced: options.onReplaced,
    onChanged: (line) => changed.set(line.score, (changed.get(line.score) ?? 0) + 1),
  });
  const { scores, limit, sample } = options.selection;
  const folderInfo = resumed.folder.info;
  // An edited scorecard: its results are now those of the edited one (a changed score is scored
  // again, an unchanged one answers as before), and the folder says so.
  const { scorecard } = options;
  if (scorecard.hash !== folderInfo.scorecard.hash) {
    const { name, key, path, hash } = scorecard;
    folderInfo.scorecard = { name, key, path, hash };
    await writeScorecardCopy(dir, scorecard);
  }
  folderInfo.options = {
    ...folderInfo.options,
    scores: scores ?? null,
    limit: limit ?? null,
    sample: sample ?? null,
  };
  await resumed.folder.writeInfo(); // a resume of this resume goes on with the same selection
  const warning = checker.warning(dir);
  const warnings = [
    ...(warning ? [warning] : []),
    ...changedWarnings(changed, options.fingerprints),
  ];
  return { folder: resumed.folder, path, prior: resumed.stored.outputs, start, warnings };
}

/**
 * Scores whose stored results were written by another version of them (settings, prompt, model
 * file, a registry alias moved, the package's code): every one is scored again, which the resume
 * says (it did so in silence); what they paid stays the run's (replaced.jsonl).
 */
function changedWarnings(
  changed: ReadonlyMap<string, number>,
  fingerprints: Readonly<Record<string, string>>,
): string[] {
  return [...changed]
    .filter(([score]) => Object.hasOwn(fingerprints, score))
    .map(
      ([score, count]) =>
        `score "${score}" changed since ${count === 1 ? 'its stored result was' : `its ${count} stored results were`} written (its settings, prompt, model or package): ${count === 1 ? 'it is' : 'they are'} scored again with the score as it is now; what ${count === 1 ? 'it' : 'they'} paid stays in the run's cost (replaced.jsonl)`,
    );
}

/** How the stream of lines ended. */
export interface StreamEnd {
  status: RunEndStatusV1;
  failure?: string;
}

/**
 * Gives every line of the source (one at a time, or in groups: the engine's) to the sinks, in
 * order, awaiting a sink that returns a promise. Bad input found while scoring (exit code 2)
 * closes the folder as failed and throws; any other error ends the run as `failed` with its
 * results so far stored.
 */
export async function streamLines(
  lines: AsyncIterable<ResultLine | readonly ResultLine[]>,
  sinks: SinkSet,
  run: { folder: RunFolder; stopped: () => boolean },
): Promise<StreamEnd> {
  try {
    for await (const group of lines) {
      const lineGroup = Array.isArray(group)
        ? (group as readonly ResultLine[])
        : [group as ResultLine];
      for (const line of lineGroup) {
        const pending = sinks.add(line);
        if (pending) await pending;
      }
    }
    return { status: run.stopped() ? 'interrupted' : 'completed' };
  } catch (error) {
    if (error instanceof InvalidConfigError || (error as { exitCode?: number }).exitCode === 2) {
      run.folder.info.status = 'failed';
      run.folder.info.error = errorMessage(error);
      await run.folder.close();
      throw error;
    }
    return { status: 'failed', failure: errorMessage(error) };
  }
}
