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

  /** Feature index of a term; undefined when the learned vocabulary does not have it. */
  indexOf(term: string): number | undefined {
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
    return Featurizer.fromStatistics(termStatistics(sources, options), options);
  }

  /**
   * The featurizer that `fit` gives for the items whose statistics these are (summed over parts
   * of the data: Spark adds up each partition's).
   */
  static fromStatistics(statistics: TermStatistics, options: FitOptions): Featurizer {
    const base = {
      word_ngrams: [...options.wordNgrams] as [number, number],
      char_ngrams: options.charNgrams ? ([...options.charNgrams] as [number, number]) : null,
      lowercase: options.lowercase,
      sublinear_tf: options.sublinearTf,
      numeric_fields: [...options.numericFields],
    };
    const vocabulary: FeaturizerJson['vocabulary'] =
      options.hashingBits === null
        ? { kind: 'learned', terms: learnVocabulary(statistics, options) }
        : { kind: 'hashing', bits: options.hashingBits };
    if (!options.idf) return new Featurizer({ ...base, vocabulary, idf: null });
    const draft = new Featurizer({ ...base, vocabulary, idf: null });
    const documentFrequency = new Float64Array(draft.textFeatures);
    for (const [key, , documents] of statistics.terms) {
      const index = vocabulary.kind === 'learned' ? draft.indexOf(key) : Number(key);
      if (index !== undefined) documentFrequency[index]! += documents;
    }
    // scikit-learn's smooth IDF: ln((1 + n) / (1 + df)) + 1.
    const idf = Array.from(
      documentFrequency,
      (frequency) => Math.log((1 + statistics.documents) / (1 + frequency)) + 1,
    );
    return new Featurizer({ ...base, vocabulary, idf });
  }
}

/**
 * What fitting a featurizer needs from a set of texts: the number of texts and, per term
 * (learned vocabulary) or per hash bucket (hashing, keyed by its number), its count and the number
 * of texts it occurs in. Statistics of parts of the data add up to those of the whole.
 */
export interface TermStatistics {
  documents: number;
  /** [term or bucket, occurrences, documents]. */
  terms: [string, number, number][];
}

/** Term statistics of texts; only document counts for a hashing vocabulary. */
export function termStatistics(
  sources: readonly FeatureSource[],
  options: FitOptions,
): TermStatistics {
  const total = new Map<string, number>();
  const documents = new Map<string, number>();
  const termOptions = {
    wordNgrams: options.wordNgrams,
    charNgrams: options.charNgrams,
    lowercase: options.lowercase,
  };
  const hashing = options.hashingBits !== null;
  const buckets = 2 ** (options.hashingBits ?? 0);
  for (const source of sources) {
    const seen = new Set<string>();
    forEachTerm(source.text, termOptions, (term) => {
      const key = hashing ? String(termHash(term) % buckets) : term;
      total.set(key, (total.get(key) ?? 0) + 1);
      seen.add(key);
    });
    for (const key of seen) documents.set(key, (documents.get(key) ?? 0) + 1);
  }
  return {
    documents: sources.length,
    terms: [...total].map(([key, count]) => [key, count, documents.get(key) ?? 0]),
  };
}

/** The most frequent terms (ties by term) that occur in at least `minDf` texts, sorted. */
function learnVocabulary(statistics: TermStatistics, options: FitOptions): string[] {
  const kept = statistics.terms
    .filter(([, , documents]) => documents >= options.minDf)
    .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
    .slice(0, options.maxFeatures)
    .map(([term]) => term);
  return kept.sort();
}
