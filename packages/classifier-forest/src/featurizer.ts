import { numericField } from '@plexus/core';
import { z } from 'zod';
import { forEachTerm, type TermOptions, termHash } from './text-terms.js';

/** A sparse feature vector: ascending feature indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** A text and metadata to featurize. */
export interface FeatureSource {
  text: string;
  metadata: Readonly<Record<string, unknown>>;
}

const range = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

/** The featurizer as saved in a model file. */
export const featurizerJsonSchema = z.object({
  word_ngrams: range,
  char_ngrams: range.nullable(),
  lowercase: z.boolean(),
  sublinear_tf: z.boolean(),
  vocabulary: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('learned'), terms: z.array(z.string()) }),
    z.object({ kind: z.literal('hashing'), bits: z.number().int().min(4).max(24) }),
  ]),
  /** Inverse document frequency per text feature; null without IDF weighting. */
  idf: z.array(z.number()).nullable(),
  numeric_fields: z.array(z.string()),
});
export type FeaturizerJson = z.infer<typeof featurizerJsonSchema>;

export interface FitOptions {
  wordNgrams: readonly [number, number];
  charNgrams: readonly [number, number] | null;
  lowercase: boolean;
  sublinearTf: boolean;
  idf: boolean;
  /** Learned vocabulary: keep the most frequent terms, at most this many. */
  maxFeatures: number;
  /** Learned vocabulary: terms must appear in at least this many documents. */
  minDf: number;
  /** Hashing instead of a learned vocabulary: 2^bits features. */
  hashingBits: number | null;
  numericFields: readonly string[];
}

/** Thrown when an item lacks what the featurizer needs (a numeric field). */
export class FeatureError extends Error {}

/** Turns text and numeric metadata into the sparse TF-IDF vectors a forest splits on. */
export class Featurizer {
  private readonly termIndex: Map<string, number> | null;
  readonly textFeatures: number;

  constructor(readonly json: FeaturizerJson) {
    const { vocabulary } = json;
    this.termIndex =
      vocabulary.kind === 'learned'
        ? new Map(vocabulary.terms.map((term, index) => [term, index]))
        : null;
    this.textFeatures =
      vocabulary.kind === 'learned' ? vocabulary.terms.length : 2 ** vocabulary.bits;
  }

  get featureCount(): number {
    return this.textFeatures + this.json.numeric_fields.length;
  }

  private get termOptions(): TermOptions {
    return {
      wordNgrams: this.json.word_ngrams,
      charNgrams: this.json.char_ngrams,
      lowercase: this.json.lowercase,
    };
  }

  private indexOf(term: string): number | undefined {
    if (this.termIndex) return this.termIndex.get(term);
    return termHash(term) % this.textFeatures;
  }

  /** Term counts of a text by feature index. */
  private counts(text: string): Map<number, number> {
    const counts = new Map<number, number>();
    forEachTerm(text, this.termOptions, (term) => {
      const index = this.indexOf(term);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    });
    return counts;
  }

  /** The feature vector of one item; throws `FeatureError` when a numeric field is missing. */
  transform(source: FeatureSource): SparseVector {
    const entries = [...this.counts(source.text)].sort((left, right) => left[0] - right[0]);
    const values = entries.map(([index, count]) => {
      const tf = this.json.sublinear_tf ? 1 + Math.log(count) : count;
      return tf * (this.json.idf?.[index] ?? 1);
    });
    const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
    const indices = entries.map(([index]) => index);
    const scaled = values.map((value) => (norm > 0 ? value / norm : value));
    this.json.numeric_fields.forEach((field, offset) => {
      const read = numericField(source.metadata, field);
      if ('problem' in read) throw new FeatureError(read.problem);
      if (read.value !== 0) {
        indices.push(this.textFeatures + offset);
        scaled.push(read.value);
      }
    });
    return { indices: Int32Array.from(indices), values: Float64Array.from(scaled) };
  }

  /** A readable name for a feature: the term, `hash:N` or the metadata field. */
  featureName(index: number): string {
    if (index >= this.textFeatures) return this.json.numeric_fields[index - this.textFeatures]!;
    const { vocabulary } = this.json;
    if (vocabulary.kind === 'hashing') return `hash:${index}`;
    const term = vocabulary.terms[index]!;
    return term.startsWith('#') ? `chars "${term.slice(1)}"` : `"${term}"`;
  }

  /** Learns the vocabulary and document frequencies from training items. */
  static fit(sources: readonly FeatureSource[], options: FitOptions): Featurizer {
    const base = {
      word_ngrams: [...options.wordNgrams] as [number, number],
      char_ngrams: options.charNgrams ? ([...options.charNgrams] as [number, number]) : null,
      lowercase: options.lowercase,
      sublinear_tf: options.sublinearTf,
      numeric_fields: [...options.numericFields],
    };
    let vocabulary: FeaturizerJson['vocabulary'];
    if (options.hashingBits !== null) vocabulary = { kind: 'hashing', bits: options.hashingBits };
    else vocabulary = { kind: 'learned', terms: learnVocabulary(sources, options) };
    const draft = new Featurizer({ ...base, vocabulary, idf: null });
    if (!options.idf) return draft;
    const documentFrequency = new Float64Array(draft.textFeatures);
    for (const source of sources)
      for (const index of draft.counts(source.text).keys()) documentFrequency[index]! += 1;
    // scikit-learn's smooth IDF: ln((1 + n) / (1 + df)) + 1.
    const idf = Array.from(
      documentFrequency,
      (frequency) => Math.log((1 + sources.length) / (1 + frequency)) + 1,
    );
    return new Featurizer({ ...base, vocabulary, idf });
  }
}

function learnVocabulary(sources: readonly FeatureSource[], options: FitOptions): string[] {
  const total = new Map<string, number>();
  const documents = new Map<string, number>();
  const termOptions = {
    wordNgrams: options.wordNgrams,
    charNgrams: options.charNgrams,
    lowercase: options.lowercase,
  };
  for (const source of sources) {
    const seen = new Set<string>();
    forEachTerm(source.text, termOptions, (term) => {
      total.set(term, (total.get(term) ?? 0) + 1);
      seen.add(term);
    });
    for (const term of seen) documents.set(term, (documents.get(term) ?? 0) + 1);
  }
  const kept = [...total]
    .filter(([term]) => (documents.get(term) ?? 0) >= options.minDf)
    .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
    .slice(0, options.maxFeatures)
    .map(([term]) => term);
  return kept.sort();
}
