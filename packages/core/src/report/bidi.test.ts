import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../common/secrets.js';
import { isolatedText } from './bidi.js';

afterEach(() => clearSecrets());

describe('isolatedText', () => {
  it('escapes the text and isolates each quoted phrase, the quotes outside', () => {
    expect(isolatedText('not found: "שלום עולם", "<b>", “refund”; 2 more')).toBe(
      'not found: &quot;<bdi>שלום עולם</bdi>&quot;, &quot;<bdi>&lt;b&gt;</bdi>&quot;, “<bdi>refund</bdi>”; 2 more',
    );
    // A quote whose pair is on another line is left as it is.
    expect(isolatedText('said "yes\nand no')).toBe('said &quot;yes\nand no');
  });

  it('redacts first: a secret holding a quote is not cut in two by the isolation', () => {
    registerSecret('pa"ss-word-123');
    const html = isolatedText('found "pa"ss-word-123" in turn 2');
    expect(html).not.toContain('ss-word-123');
    expect(html).toContain('[redacted]');
  });
});
