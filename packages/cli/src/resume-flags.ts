// What `plexus evaluate --resume` takes from the run it resumes: the selection it started with
// (`--score`, `--limit`, `--sample`) and whether it sent batches.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRunInfo, resumedSelection } from '@plexus/core';
import type { CliIo } from './output.js';

/** The flags of `evaluate` a resume may fill in. */
export interface ResumableFlags {
  resume?: string;
  score?: string[];
  limit?: number;
  sample?: number;
  seed: number;
  stratify?: string;
}

/**
 * A resume's flags: `--score`, `--limit` and `--sample` as the run started with them unless given
 * again (core's `resumedSelection`; `evaluate` applies it too), said on stderr when taken from it.
 */
export async function resumeFlags(flags: ResumableFlags, io: CliIo): Promise<void> {
  if (flags.resume === undefined) return;
  const recorded = (await readRunInfo(flags.resume, '--resume')).options;
  const given = {
    scores: flags.score,
    limit: flags.limit,
    sample: flags.sample === undefined ? undefined : { size: flags.sample, seed: flags.seed },
  };
  const kept = resumedSelection(given, recorded);
  const taken: string[] = [];
  if (flags.score === undefined && kept.scores) {
    flags.score = [...kept.scores];
    taken.push(kept.scores.map((name) => `--score ${JSON.stringify(name)}`).join(' '));
  }
  if (flags.limit === undefined && kept.limit !== undefined) {
    flags.limit = kept.limit;
    taken.push(`--limit ${kept.limit}`);
  }
  if (flags.sample === undefined && kept.sample) {
    Object.assign(flags, {
      sample: kept.sample.size,
      seed: kept.sample.seed,
      stratify: kept.sample.stratify,
    });
    taken.push(`--sample ${kept.sample.size} --seed ${kept.sample.seed}`);
  }
  if (taken.length > 0) io.stderr(`resuming with the run's own ${taken.join(' ')}\n`);
}

/** Whether the run folder being resumed sent batches (`batches.jsonl`): `--batch` is then implied. */
export function resumesBatches(resume: string | undefined): boolean {
  return resume !== undefined && existsSync(join(resume, 'batches.jsonl'));
}
