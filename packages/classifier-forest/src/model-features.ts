import type { FeaturizerJson } from './featurizer.js';
import type { ForestSettings } from './forest-settings.js';

const shown = (fields: readonly string[]) => `[${fields.join(', ')}]`;

/**
 * How a model's numeric fields differ from those its score sets, as `numeric_fields: [dur] in the
 * model, [] in the score`; undefined when they agree. Scoring reads the model's fields while the
 * checks before a run look at the score's: a model needing `dur` under a score without it
 * validated, then failed on every item. The model's text settings (n-grams, vocabulary) are its
 * own and scored as they are: a sweep's best model, registered as `@challenger`, may have others
 * than the scorecard.
 */
export function featureDifference(
  features: ForestSettings['features'],
  model: FeaturizerJson,
): string | undefined {
  const theirs = model.numeric_fields;
  const ours = features.numeric_fields;
  if (theirs.length === ours.length && theirs.every((field, index) => field === ours[index]))
    return undefined;
  return `numeric_fields: ${shown(theirs)} in the model, ${shown(ours)} in the score`;
}
