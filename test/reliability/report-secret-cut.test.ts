// A secret in an item's text never reaches report.html, not even a piece of it. The page is
// redacted whole when written, but its previews (the first 240 characters of a text, the head and
// tail of a long prompt) were cut first: a cut inside the secret kept most of it. The real CLI,
// a keywords score and an LLM score against the OpenAI-compatible test server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const secret = 'sk-cut-secret-0123456789abcdef';
const dir = workDir('report-secret-cut');
const env = { CUT_API_KEY: secret, MLFLOW_TRACKING_URI: '' };
const server = await startTestServer({ seed: 9 });
afterAll(() => server.close());

/** The longest piece of the secret (from its start) found in `text`, in characters. */
function longestPiece(text: string): number {
  let longest = 0;
  for (let length = 1; length <= secret.length; length += 1)
    if (text.includes(secret.slice(0, length))) longest = length;
  return longest;
}

describe('report.html and a secret in the data', () => {
  it('has no piece of it where a preview cuts the text or a long prompt', async () => {
    // Item t1: the secret from character 226 of a 400-character text (the preview shows 240).
    // Item p1: the secret from character 2,657 of its prompt (a report shows 2,667 + 1,333).
    const text = `free ${'a'.repeat(220)} ${secret} ${'b'.repeat(150)}`;
    const long = `${'c'.repeat(2650)} ${secret} ${'d'.repeat(3000)} [[spam]]`;
    writeFileSync(join(dir, 'items.csv'), `id,text,label\nt1,${text},ham\np1,${long},ham\n`);
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      `name: Cut\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free] }\n  - { name: Asks, class: llm/classifier, labels: [spam, ham], label_column: label, model: gpt-4o-mini, base_url: "${server.url}", api_key_env: CUT_API_KEY, prompt: "Spam? {{ text }}" }\n`,
    );
    const out = join(dir, 'run');
    const result = await runCli(
      ['evaluate', card, '--data', join(dir, 'items.csv'), '--out', out, '--no-cache'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8');
    // The premise: both items are misclassified (listed with their text), the stored lines redacted.
    expect(lines).toContain('[redacted]');
    expect(longestPiece(lines)).toBeLessThan(4);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('data-item="t1"');
    expect(report).toContain('data-item="p1"');
    expect(report).toContain('[redacted]');
    // "sk-" alone is no piece of this secret; "sk-c" is.
    expect(longestPiece(report)).toBeLessThan(4);
    // plexus report rewrites it from results.jsonl: no piece either.
    expect((await runCli(['report', out], env)).code).toBe(0);
    expect(longestPiece(readFileSync(join(out, 'report.html'), 'utf8'))).toBeLessThan(4);
  });
});
