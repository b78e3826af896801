import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { loadScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { redact, registerUrlCredentialsInText } from './secrets.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-url-secrets-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('credentials in the query of a URL', () => {
  it("a scorecard URL's ?api-key= value is a secret: redacted in what is printed and in the run folder", async () => {
    // Before: printed in "Models: ... at https://gateway/v1?api-key=..." and copied into the run
    // folder's scorecard.yaml (an MLflow artifact), as a password in a URL would not be.
    const key = 'QueryKey-5521-abcd';
    const file = join(folder, 'card.yaml');
    writeFileSync(
      file,
      `name: Query\ndescription: "gateway https://gateway.example/v1?deployment=a&design=design-long-value&keyword=keyword-long-value&api-key=${key}"\nscores:\n  - { name: Free, class: test/contains, word: free, labels: [spam, ham], label_column: label }\n`,
    );
    writeFileSync(join(folder, 'data.csv'), 'id,text,label\n1,free cash,spam\n2,hi mum,ham\n');
    const scorecard = await loadScorecard(file, { plugins: [testPlugin], checkData: false });
    expect(redact(`at https://gateway.example/v1?api-key=${key}`)).toBe(
      'at https://gateway.example/v1?api-key=[redacted]',
    );
    // Other parameters are not secrets, whatever letters their names hold.
    expect(redact('design-long-value keyword-long-value')).toBe(
      'design-long-value keyword-long-value',
    );
    const out = join(folder, 'run');
    await evaluate({ scorecard, data: join(folder, 'data.csv'), outDir: out });
    expect(readFileSync(join(out, 'scorecard.yaml'), 'utf8')).not.toContain(key);
  });

  it('the text scan stays linear and takes a bounded number of URLs', () => {
    const started = process.cpuUsage();
    registerUrlCredentialsInText('://'.repeat(2_000_000));
    registerUrlCredentialsInText(`http://h/?${'a'.repeat(3_000_000)}`);
    const urls = Array.from(
      { length: 1000 },
      (_, index) => `http://h/v1?token=Tok-${index}-padding`,
    );
    registerUrlCredentialsInText(urls.join('\n'));
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(2);
    expect(redact('Tok-0-padding')).toBe('[redacted]');
    expect(redact('Tok-999-padding')).toBe('Tok-999-padding');
  });
});
