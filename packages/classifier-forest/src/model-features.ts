import type { FeaturizerJson } from './featurizer.js';
import type { ForestSettings } from './forest-settings.js';

const shown = (value: unknown) =>
  Array.isArray(value) ? `[${value.join(', ')}]` : value === null ? 'none' : String(value);

/**
 * How a model's features differ from those its score sets, as `numeric_fields: [dur] in the
 * model, [] in the score`; undefined when they agree. A model trained with other features is one
 * of another task or an older scorecard: scoring used its features in silence, and the checks
 * before a run looked at the score's (a model needing `dur` validated, then failed on every item).
 */
export function featureDifference(
  features: ForestSettings['features'],
  model: FeaturizerJson,
): string | undefined {
  const pairs: [string, unknown, unknown][] = [
    ['numeric_fields', model.numeric_fields, features.numeric_fields],
  ];
  const textFeatures = model.vocabulary.kind === 'hashing' || model.vocabulary.terms.length > 0;
  if (features.text && textFeatures)
    pairs.push(
      ['word_ngrams', model.word_ngrams, features.word_ngrams],
      ['char_ngrams', model.char_ngrams, features.char_ngrams],
      ['lowercase', model.lowercase, features.lowercase],
      ['sublinear_tf', model.sublinear_tf, features.sublinear_tf],
      ['vocabulary', model.vocabulary.kind, features.vocabulary],
      ['idf', model.idf !== null, features.idf],
    );
  if (features.text && model.vocabulary.kind === 'hashing' && features.vocabulary === 'hashing')
    pairs.push(['hashing_bits', model.vocabulary.bits, features.hashing_bits]);
  // A text model under `text: false` (a model without text terms under `text: true` may have
  // had a text without any term frequent enough: not told apart).
  if (!features.text && textFeatures) pairs.push(['text', true, false]);
  const differ = pairs.filter(([, theirs, ours]) => shown(theirs) !== shown(ours));
  if (differ.length === 0) return undefined;
  return differ
    .map(
      ([name, theirs, ours]) =>
        `${name}: ${shown(theirs)} in the model, ${shown(ours)} in the score`,
    )
    .join('; ');
}
