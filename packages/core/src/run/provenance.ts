import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { errorMessage } from '../common/errors.js';
import { fmix32 } from '../common/hash.js';
import { normalizedLabel } from '../text/labels.js';
import { hasName, nameRecord } from '../text/name-records.js';
import type { ResultLine } from './result-line.js';

/** A score's gold labels in a run, as one value: equal digests, equal gold on every item. */
export interface GoldDigest {
  /** `gold-v1:` and 32 hex digits; see `GoldDigests` for how it is computed. */
  digest: string;
  /** Items with a gold label for the score. */
  labelled: number;
}

/** What run.json records to prove which data and gold a run scored. */
export interface DataProvenance {
  /** SHA-256 of the dataset file's bytes, or null with `sha256_unknown` saying why. */
  sha256: string | null;
  sha256_unknown?: string;
  /** Size of the dataset file in bytes (null with the hash). */
  bytes: number | null;
  /** Data rows in the file (items read plus rows skipped as malformed), or null with `rows_unknown`. */
  rows: number | null;
  rows_unknown?: string;
  /** Per score, a digest of the gold labels of the run's items. */
  gold: Record<string, GoldDigest>;
}

/** SHA-256 and size of a file, streamed in 1 MiB chunks. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** `hashFile`, or null and the reason it could not be computed. */
export async function tryHashFile(
  path: string,
): Promise<{ sha256: string; bytes: number } | { sha256: null; bytes: null; reason: string }> {
  try {
    return await hashFile(path);
  } catch (error) {
    return { sha256: null, bytes: null, reason: `cannot read ${path}: ${errorMessage(error)}` };
  }
}

const multipliers = [0x01000193, 0x5bd1e995, 0xcc9e2d51, 0x1b873593] as const;
const seeds = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35] as const;
const modulus = 4294967296;
const tab = 9;

/**
 * Digests of the gold labels per score, independent of the order lines arrive in (a run scores
 * items concurrently and a resume appends), in constant memory per score. Definition (gold-v1):
 * for each result line with a gold label, the text `item_id + "\t" + normalizeLabel(gold)` is
 * hashed over its UTF-16 code units `u` into four 32-bit lanes `k`: `h = seed[k]`, then per unit
 * `h = (h XOR u) * multiplier[k] mod 2^32`, then `h = fmix32(h XOR length)` (MurmurHash3's
 * finaliser). Each lane is summed modulo 2^32 over the lines; the digest is `gold-v1:` and the
 * four sums in hex, 8 digits each. The constants are in this file.
 */
export class GoldDigests {
  private readonly sums = new Map<string, { lanes: Float64Array; labelled: number }>();

  add(line: Pick<ResultLine, 'item_id' | 'score' | 'label'>): void {
    let entry = this.sums.get(line.score);
    if (!entry) {
      entry = { lanes: new Float64Array(4), labelled: 0 };
      this.sums.set(line.score, entry);
    }
    if (line.label === null) return;
    // The units of `item_id + "\t" + label`, read from the two strings (no joined string per line).
    const id = line.item_id;
    const label = normalizedLabel(line.label);
    const length = id.length + 1 + label.length;
    let a: number = seeds[0];
    let b: number = seeds[1];
    let c: number = seeds[2];
    let d: number = seeds[3];
    for (let index = 0; index < length; index += 1) {
      const unit =
        index < id.length
          ? id.charCodeAt(index)
          : index === id.length
            ? tab
            : label.charCodeAt(index - id.length - 1);
      a = Math.imul(a ^ unit, multipliers[0]);
      b = Math.imul(b ^ unit, multipliers[1]);
      c = Math.imul(c ^ unit, multipliers[2]);
      d = Math.imul(d ^ unit, multipliers[3]);
    }
    const { lanes } = entry;
    lanes[0] = (lanes[0]! + fmix32(a ^ length)) % modulus;
    lanes[1] = (lanes[1]! + fmix32(b ^ length)) % modulus;
    lanes[2] = (lanes[2]! + fmix32(c ^ length)) % modulus;
    lanes[3] = (lanes[3]! + fmix32(d ^ length)) % modulus;
    entry.labelled += 1;
  }

  /** The digests per score (every score seen, labelled or not). */
  result(): Record<string, GoldDigest> {
    const digests = nameRecord<GoldDigest>();
    for (const [score, { lanes, labelled }] of this.sums) {
      const hex = [...lanes].map((lane) => lane.toString(16).padStart(8, '0')).join('');
      digests[score] = { digest: `gold-v1:${hex}`, labelled };
    }
    return digests;
  }
}

/** Whether two runs' recorded digests prove the same gold for a pair of scores. */
export function sameGold(
  a: Readonly<Record<string, GoldDigest>> | undefined,
  scoreA: string,
  b: Readonly<Record<string, GoldDigest>> | undefined,
  scoreB: string,
): boolean {
  if (!a || !b || !hasName(a, scoreA) || !hasName(b, scoreB)) return false;
  return a[scoreA]!.digest === b[scoreB]!.digest && a[scoreA]!.labelled === b[scoreB]!.labelled;
}
