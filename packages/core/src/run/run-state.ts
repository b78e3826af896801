import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InvalidConfigError } from '../common/errors.js';
import type { RunInfo } from './run-folder.js';
import { lockState } from './run-lock.js';

/** The reason given for a run whose process died without ending it. */
export const deadRunReason =
  'the process running it ended without closing the run (killed, out of memory or the machine stopped); continue it with --resume';

/**
 * A run left `running` by a process that no longer runs (no live holder of its lock): reported as
 * `interrupted` with the reason. A run whose writer is alive (or on another host) stays `running`.
 */
export function effectiveRunInfo(dir: string, info: RunInfo): RunInfo {
  if (info.status !== 'running' || lockState(dir)?.state === 'live') return info;
  return { ...info, status: 'interrupted', error: info.error ?? deadRunReason };
}

/**
 * Reads a folder's `run.json` as every command should: a run left `running` by a dead process is
 * `interrupted`. Not a run folder: bad input naming `flag` (or the folder).
 */
export async function readRunInfo(dir: string, flag?: string): Promise<RunInfo> {
  let info: RunInfo;
  try {
    info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo;
  } catch (error) {
    throw new InvalidConfigError([
      { path: flag ?? dir, message: `${dir} is not a run folder (${errorMessage(error)})` },
    ]);
  }
  return effectiveRunInfo(dir, info);
}
