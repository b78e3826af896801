import { existsSync, lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { hasName } from '../text/name-records.js';
import { shellWord } from './shell-word.js';

/** Files a run writes beside run.json: a folder holding one is not written into (`create`). */
const runFileNames = [
  'results.jsonl',
  'dataset-errors.jsonl',
  'metrics.json',
  'report.html',
  'scorecard.yaml',
  'scorecard.json',
] as const;

/** Whether writing `path` would replace something: a file, or a link (written through). */
function wouldOverwrite(path: string): boolean {
  try {
    return !lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Throws when `--out DIR` is there and not a folder (nor a link to one): the run failed with
 * "cannot create the run folder: EEXIST", exit 1, as if the run had failed.
 */
export function assertNotAFile(dir: string): void {
  let file = false;
  try {
    file = !statSync(dir).isDirectory();
  } catch {
    // not there: created
  }
  if (file) {
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${dir} is a file, not a folder: choose another --out (a folder, new or holding no run files)`,
      },
    ]);
  }
}

/**
 * Throws when `--out DIR` cannot take a new run: it holds one (run.json: resume it), or a file a
 * run would write over (`--out .` in a project folder, a report.html of one's own). A folder
 * holding only other files is written into, its files kept.
 */
export function assertNewRunFolder(dir: string): void {
  assertNotAFile(dir);
  if (existsSync(join(dir, 'run.json'))) {
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${dir} already holds a run; use --resume ${shellWord(dir)} to continue it or choose another --out`,
      },
    ]);
  }
  const taken = runFileNames.filter((name) => wouldOverwrite(join(dir, name)));
  if (taken.length > 0) {
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${dir} already holds ${taken.join(', ')}, which a run would overwrite (it is not a run folder: no run.json); choose another --out or move them`,
      },
    ]);
  }
}

/**
 * Throws when a resume would delete stored results: scores of the run that it does not score (a
 * scorecard without them, another scorecard, `--score` leaving them out). Their lines would be
 * dropped from results.jsonl: a resume with another scorecard replaced a run's results with
 * another score's. A score whose settings changed (another fingerprint) is scored again, as before.
 */
export function refuseDroppedScores(
  dir: string,
  stored: {
    fingerprints: Readonly<Record<string, string>>;
    scorecard: { name: string; path: string };
  },
  fingerprints: Readonly<Record<string, string>>,
): void {
  const dropped = Object.keys(stored.fingerprints).filter((name) => !hasName(fingerprints, name));
  if (dropped.length === 0) return;
  const names = dropped.map((name) => JSON.stringify(name)).join(', ');
  // `--score B` to add B to a run started with `--score A` is refused too: say how to add it.
  const own = Object.keys(stored.fingerprints)
    .map((name) => `--score ${JSON.stringify(name)}`)
    .join(' ');
  throw new InvalidConfigError([
    {
      path: '--resume',
      message: `${dir} holds results of ${names}, which this resume would not score (not in the scorecard given, or left out by --score) and so would delete; resume with the scorecard the run used (${stored.scorecard.path}, "${stored.scorecard.name}") and without --score; to add scores to the run, give --score for its own too (${own}); or start a new run with another --out`,
    },
  ]);
}
