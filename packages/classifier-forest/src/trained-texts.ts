import { createHash } from 'node:crypto';

/** Hex digits kept of a text's SHA-256: 64 bits (two texts share them about once in 2^64). */
const kept = 16;

/** The first 64 bits of the SHA-256 of a text, as hex: how a model remembers what it was trained on. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, kept);
}

/**
 * `training.text_hashes` of a model: `textHash` of every training item's text, sorted, joined.
 * Absent when a shard did not record them (Spark training records them too).
 */
export function trainedTextsField(shards: readonly { textHashes?: string[] }[]): {
  text_hashes?: string;
} {
  if (shards.some((shard) => shard.textHashes === undefined)) return {};
  const all = new Set(shards.flatMap((shard) => shard.textHashes!));
  return { text_hashes: [...all].sort().join('') };
}

/**
 * Whether a text was a training item's, by the model's `text_hashes`; undefined when the model
 * does not record them. Evaluating a model on the items it was trained on gives the accuracy of
 * remembering, not of predicting: each such result says so (`trace.in_training`).
 */
export function trainedTexts(
  textHashes: string | undefined,
): ((text: string) => boolean) | undefined {
  if (textHashes === undefined || textHashes.length % kept !== 0) return undefined;
  const known = new Set<string>();
  for (let at = 0; at < textHashes.length; at += kept) known.add(textHashes.slice(at, at + kept));
  return (text) => known.has(textHash(text));
}
