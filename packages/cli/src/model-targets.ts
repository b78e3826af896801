import {
  checkModelOverwrite,
  type LoadedScorecard,
  modelWriteTarget,
  trainedModelKinds,
} from '@plexus/core';

/**
 * Checks, before any work, where training will write the models of these scores: inside the
 * scorecard's folder or `--out`, and never over a file that is not a model of the same kind.
 * Throws `InvalidConfigError` (exit 2) naming the path and `--out`. The trainers check again as
 * they write; this makes a long job (a sweep, a Spark job) fail at once instead of at its end.
 */
export function checkModelTargets(
  card: LoadedScorecard,
  names: readonly string[],
  outDir: string | undefined,
): void {
  for (const entry of card.scores) {
    if (!names.includes(entry.name)) continue;
    const kind = trainedModelKinds[entry.className];
    const model = (entry.settings as { model?: unknown } | undefined)?.model;
    if (!kind || typeof model !== 'string' || model.startsWith('models:/')) continue;
    checkModelOverwrite(modelWriteTarget(model, card.baseDir, outDir), kind);
  }
}
