import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../dataset/dataset.js';
import { seededRandom } from '../dataset/sampling.js';
import { normalizeLabel } from '../text/labels.js';
import { GoldDigests, hashFile, sameGold } from './provenance.js';

/**
 * The gold-v1 definition computed another way: BigInt arithmetic modulo 2^32 instead of
 * Math.imul and doubles, lines hashed one lane at a time.
 */
function referenceDigest(lines: readonly { item_id: string; label: string | null }[]): string {
  const multipliers = [0x01000193n, 0x5bd1e995n, 0xcc9e2d51n, 0x1b873593n];
  const seeds = [0x811c9dc5n, 0x9e3779b9n, 0x85ebca6bn, 0xc2b2ae35n];
  const mask = 0xffffffffn;
  const fmix = (value: bigint) => {
    let h = value;
    h ^= h >> 16n;
    h = (h * 0x85ebca6bn) & mask;
    h ^= h >> 13n;
    h = (h * 0xc2b2ae35n) & mask;
    h ^= h >> 16n;
    return h;
  };
  const sums = [0n, 0n, 0n, 0n];
  for (const line of lines) {
    if (line.label === null) continue;
    const text = `${line.item_id}\t${normalizeLabel(line.label)}`;
    for (let lane = 0; lane < 4; lane += 1) {
      let h = seeds[lane]!;
      for (let index = 0; index < text.length; index += 1)
        h = ((h ^ BigInt(text.charCodeAt(index))) * multipliers[lane]!) & mask;
      sums[lane] = (sums[lane]! + fmix(h ^ BigInt(text.length))) & mask;
    }
  }
  return `gold-v1:${sums.map((sum) => sum.toString(16).padStart(8, '0')).join('')}`;
}

function randomLines(count: number, seed: number) {
  const random = seededRandom(seed);
  const labels = ['Yes', 'no', ' YES. ', 'spam', 'ham', 'n/a', 'é', '🙂'];
  return Array.from({ length: count }, (_, index) => ({
    item_id: `id-${index}-${Math.floor(random() * 1e6)}`,
    score: 'S',
    label: random() < 0.1 ? null : labels[Math.floor(random() * labels.length)]!,
  }));
}

describe('gold digests', () => {
  it('match an independent computation of the documented definition', () => {
    const lines = randomLines(2000, 7);
    const digests = new GoldDigests();
    for (const line of lines) digests.add(line);
    const result = digests.result().S!;
    expect(result.digest).toBe(referenceDigest(lines));
    expect(result.labelled).toBe(lines.filter((line) => line.label !== null).length);
  });

  it('do not depend on the order of the lines, and change with one gold label', () => {
    const lines = randomLines(500, 11);
    const forward = new GoldDigests();
    const backward = new GoldDigests();
    for (const line of lines) forward.add(line);
    for (const line of [...lines].reverse()) backward.add(line);
    expect(backward.result().S).toEqual(forward.result().S);
    const changed = new GoldDigests();
    for (const [index, line] of lines.entries())
      changed.add(index === 250 ? { ...line, label: `${line.label ?? 'x'}-other` } : line);
    expect(changed.result().S!.digest).not.toBe(forward.result().S!.digest);
    // Labels are normalised as compare normalises them.
    const cased = new GoldDigests();
    for (const line of lines)
      cased.add({ ...line, label: line.label === null ? null : ` ${line.label.toUpperCase()} ` });
    expect(cased.result().S).toEqual(forward.result().S);
  });

  it('keys scores by name, any name', () => {
    const digests = new GoldDigests();
    for (const score of ['__proto__', 'toString', 'constructor'])
      digests.add({ item_id: '1', score, label: 'yes' });
    const result = digests.result();
    expect(Object.keys(result).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(sameGold(result, '__proto__', result, 'toString')).toBe(true);
    expect(sameGold(result, 'valueOf', result, 'toString')).toBe(false);
  });
});

it('hashFile streams the SHA-256 and size of a file', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'plexus-hash-')), 'data.bin');
  const bytes = Buffer.alloc(3 * (1 << 20) + 17, 'abc\n');
  writeFileSync(path, bytes);
  expect(await hashFile(path)).toEqual({
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
  });
});

it('a dataset read with a byte tap gives the same items, and the tap sees every byte once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-tap-'));
  // Multi-byte characters on every 64 KiB boundary and a quoted field across several chunks.
  const rows = Array.from(
    { length: 3000 },
    (_, index) =>
      `r${index},"é🙂 ${'ü'.repeat(index % 97)} ""q"", line\nnext",${index % 2 ? 'yes' : 'no'}`,
  );
  for (const [name, text] of [
    ['data.csv', `id,text,label\n${rows.join('\n')}\n`],
    [
      'data.jsonl',
      `${rows.map((row, index) => JSON.stringify({ id: `j${index}`, text: row })).join('\n')}\n`,
    ],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const plain = [];
    for await (const item of readDataset({ path, gold: { S: ['label'] } })) plain.push(item);
    const hash = createHash('sha256');
    let bytes = 0;
    const tapped = [];
    for await (const item of readDataset({
      path,
      gold: { S: ['label'] },
      onBytes: (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      },
    }))
      tapped.push(item);
    expect(tapped).toEqual(plain);
    expect(plain).toHaveLength(3000);
    expect(bytes).toBe(Buffer.byteLength(text));
    expect(hash.digest('hex')).toBe(createHash('sha256').update(text).digest('hex'));
  }
});
