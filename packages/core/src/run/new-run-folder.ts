import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';

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
 * Throws when `--out DIR` cannot take a new run: it holds one (run.json: resume it), or a file a
 * run would write over (`--out .` in a project folder, a report.html of one's own). A folder
 * holding only other files is written into, its files kept.
 */
export function assertNewRunFolder(dir: string): void {
  if (existsSync(join(dir, 'run.json'))) {
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${dir} already holds a run; use --resume ${dir} to continue it or choose another --out`,
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
