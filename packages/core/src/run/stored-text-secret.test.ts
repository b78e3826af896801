import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../common/secrets.js';
import { writeReport } from '../report/write-report.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { defaultItemTextChars } from './line-storage.js';
import { storedLines } from './result-line-fixture.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-stored-text-secret-'));
afterAll(() => {
  clearSecrets();
  rmSync(folder, { recursive: true, force: true });
});

describe("an item's text kept in results.jsonl", () => {
  it('is redacted before it is cut: a secret across the cut leaves none of its characters', async () => {
    const secret = 'sk-live-QWERTYUIOPASDFGHJKLZXCVBNM0123456789';
    registerSecret(secret);
    // The secret starts 14 characters before the cut at 2,000 (as the report's quote of a trace did).
    const text = `${'x'.repeat(defaultItemTextChars - 14)}${secret} a card`;
    const data = join(folder, 'data.jsonl');
    writeFileSync(data, `${JSON.stringify({ id: 'a', text, Card: 'yes' })}\n`);
    const yaml = 'name: Cards\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const card = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({ scorecard: card, data, outDir: out, cache: false });
    const [line] = storedLines(out);
    expect(line!.text_length).toBe(text.length);
    expect(line!.text!.length).toBeLessThanOrEqual(defaultItemTextChars);
    // The first 14 characters of the secret, alone, are what a cut before redaction kept.
    expect(line!.text).not.toContain(secret.slice(0, 14));
    expect(line!.text!.startsWith('x'.repeat(defaultItemTextChars - 14))).toBe(true);
    await writeReport(out);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain(secret.slice(0, 14));
  });
});
