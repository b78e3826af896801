import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey } from './cache.js';

/** The key as written down: SHA-256 of each part then a NUL, metadata and upstream as sorted JSON. */
function byHand(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part}\u0000`, 'utf8');
  return hash.digest('hex');
}

describe('cacheKey', () => {
  it('is the SHA-256 of fingerprint, text, sorted metadata and upstream JSON, each NUL-ended', () => {
    const fingerprint = 'f'.repeat(64);
    expect(cacheKey({ fingerprint, text: 'hi', metadata: {}, upstream: {} })).toBe(
      byHand([fingerprint, 'hi', '{}', '{}']),
    );
    const metadata = JSON.parse('{"b":1,"__proto__":"p","a":{"z":[2,"é"],"y":null}}');
    expect(
      cacheKey({
        fingerprint,
        text: 'naïve 日本\n',
        metadata,
        upstream: { Up: 'yes', Down: null },
      }),
    ).toBe(
      byHand([
        fingerprint,
        'naïve 日本\n',
        '{"__proto__":"p","a":{"y":null,"z":[2,"é"]},"b":1}',
        '{"Down":null,"Up":"yes"}',
      ]),
    );
  });

  it('differs when any part moves across a separator', () => {
    const base = { fingerprint: 'f', text: 'ab', metadata: {}, upstream: {} };
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, fingerprint: 'fa', text: 'b' }));
  });
});
