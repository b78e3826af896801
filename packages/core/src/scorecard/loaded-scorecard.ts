import { errorMessage } from '../common/errors.js';
import { thrownError } from '../engine/output-check.js';
import { scorePackageOf } from '../engine/output-fields.js';
import type { ProcessorConfig } from '../processors/processors.js';
import type { ScoreFactoryV1, ScoreV1 } from '../spec/score-spec.js';
import type { LabelNormalization } from '../text/labels.js';
import type { DataConfig } from './scorecard-schema.js';

/** A dependency of a score, with the condition on the upstream label if any. */
export interface ScoreDependency {
  score: string;
  /** Absent: the dependency only orders scores and passes results. */
  operator?: '==' | '!=' | 'in' | 'not in';
  values?: readonly string[];
  /** Run only when the upstream's confidence is below this. */
  confidenceBelow?: number;
  /** Run even when the upstream is not `ok`. */
  optional?: boolean;
}

/** A score of a loaded scorecard: its configuration and the created score. */
export interface LoadedScore {
  name: string;
  className: string;
  labels: readonly string[];
  labelColumn: string | undefined;
  /** `gold: feedback`: the gold label comes from reviewers' labels, not the dataset. */
  gold?: 'dataset' | 'feedback';
  dependsOn: readonly ScoreDependency[];
  processors: readonly ProcessorConfig[];
  disabled: boolean;
  /** How gold and predicted labels are compared. */
  normalization: LabelNormalization | undefined;
  settings: unknown;
  factory: ScoreFactoryV1;
  /** The score package's name, version and code hash (`packageCode`); none for a plugin given in code. */
  code?: string;
  /** Present unless the scorecard was loaded with `create: false`. */
  score: ScoreV1 | undefined;
  /** Hash of the score's own fingerprint, its package's code, labels, processors and conditions. */
  fingerprint: string;
}

/** A validated scorecard whose scores are in dependency order. */
export interface LoadedScorecard {
  name: string;
  key: string;
  description: string | undefined;
  /** Absolute path of the file, or a label for in-memory sources. */
  path: string;
  baseDir: string;
  /** SHA-256 of the file's text. */
  hash: string;
  source: string;
  data: DataConfig | undefined;
  scores: LoadedScore[];
}

/**
 * Closes every created score, each even when another's `close` fails; then throws one error naming
 * each score (and its package) whose `close` failed (a bare "close boom" named none, and left the
 * scores after it open).
 */
export async function closeScorecard(scorecard: LoadedScorecard): Promise<void> {
  const closing = scorecard.scores.map(async (entry) => entry.score?.close?.());
  const failed = (await Promise.allSettled(closing)).flatMap((outcome, index) => {
    if (outcome.status === 'fulfilled') return [];
    const entry = scorecard.scores[index]!;
    const packageName = scorePackageOf(entry);
    const error = thrownError(outcome.reason, entry.name, packageName);
    return [`score "${entry.name}" (${packageName}) failed to close: ${errorMessage(error)}`];
  });
  if (failed.length > 0)
    throw new Error(`${failed.join('; ')} (what it stored or printed before is kept)`);
}
