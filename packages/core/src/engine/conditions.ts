import type { ScoreDependency } from '../scorecard/loaded-scorecard.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { normalizedLabel } from '../text/labels.js';
import { nameValue } from '../text/name-records.js';

/**
 * Why a score must be skipped for an item given its upstream results, or undefined to run it.
 * An upstream that is not `ok` skips the score unless the dependency is optional; conditions
 * compare labels case-insensitively; `confidenceBelow` needs a confidence under the threshold.
 */
export function skipReason(
  dependencies: readonly ScoreDependency[],
  results: Readonly<Record<string, ScoreOutputV1>>,
): string | undefined {
  for (const dependency of dependencies) {
    const upstream = nameValue(results, dependency.score);
    if (upstream?.status !== 'ok') {
      if (dependency.optional) continue;
      return `${dependency.score} is ${upstream?.status ?? 'missing'}`;
    }
    if (dependency.confidenceBelow !== undefined) {
      const confidence = upstream.confidence ?? 1;
      if (confidence >= dependency.confidenceBelow)
        return `${dependency.score} is confident enough (${confidence.toFixed(2)} ≥ ${dependency.confidenceBelow})`;
    }
    if (!dependency.operator || !dependency.values) continue;
    const value = normalizedLabel(upstream.value ?? '');
    const wanted = dependency.values.map((label) => normalizedLabel(label));
    const met =
      dependency.operator === '=='
        ? value === wanted[0]
        : dependency.operator === '!='
          ? value !== wanted[0]
          : dependency.operator === 'in'
            ? wanted.includes(value)
            : !wanted.includes(value);
    if (!met) {
      return `condition ${dependency.score} ${dependency.operator} ${dependency.values.join(', ')} not met (got ${upstream.value})`;
    }
  }
  return undefined;
}
