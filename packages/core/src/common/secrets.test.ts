import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSecrets,
  redact,
  registerAuthorization,
  registerEnvironmentSecrets,
  registerSecret,
  registerUrlCredentials,
  registerUrlCredentialsIn,
} from './secrets.js';

afterEach(() => clearSecrets());

describe('secrets', () => {
  it('replaces every occurrence of a registered secret, as written, JSON-escaped and URL-encoded', () => {
    const secret = 'sk-a"b/c+d=1234';
    registerSecret(secret);
    const line = JSON.stringify({ message: `key ${secret} and again ${secret}` });
    expect(JSON.parse(redact(line))).toEqual({ message: 'key [redacted] and again [redacted]' });
    expect(redact(`?key=${encodeURIComponent(secret)}`)).toBe('?key=[redacted]');
    expect(redact('nothing here')).toBe('nothing here');
  });

  it('keeps the scheme of an Authorization value and decodes Basic credentials', () => {
    registerAuthorization('Bearer tok-1234567890');
    expect(redact('you sent Bearer tok-1234567890')).toBe('you sent Bearer [redacted]');
    registerAuthorization(`Basic ${Buffer.from('alice:pa55word-xyz').toString('base64')}`);
    expect(redact('password pa55word-xyz')).toBe('password [redacted]');
    expect(redact(Buffer.from('alice:pa55word-xyz').toString('base64'))).toBe('[redacted]');
  });

  it('registers URL passwords and environment variables named like secrets, nothing shorter than 8', () => {
    registerUrlCredentials('https://bob:s3cret%2Fpass@example.com/v1');
    expect(redact('s3cret/pass and s3cret%2Fpass')).toBe('[redacted] and [redacted]');
    registerEnvironmentSecrets({
      ACME_API_KEY: 'acme-key-0001',
      GH_TOKEN: 'ghp_000000001',
      DB_PASSWORD: 'db-pass-0001',
      HOME: '/home/someone-long',
      SORT_KEY: 'explanation',
      SHORT_TOKEN: 'abc',
    });
    expect(redact('acme-key-0001 ghp_000000001 db-pass-0001')).toBe(
      '[redacted] [redacted] [redacted]',
    );
    expect(redact('/home/someone-long explanation abc')).toBe('/home/someone-long explanation abc');
  });

  it('finds URL passwords anywhere in a parsed scorecard, and nothing in other strings', () => {
    const shared = { base_url: 'https://user:card-pass-0001@llm.example/v1' };
    registerUrlCredentialsIn({
      scores: [shared, shared, { prompt: 'see https://example.com/a:b@c and user:pass@host' }],
    });
    expect(redact('card-pass-0001 user:pass@host')).toBe('[redacted] user:pass@host');
  });
});
