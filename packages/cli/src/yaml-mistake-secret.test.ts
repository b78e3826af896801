import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from './output.js';
import { runMain } from './test-packages.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-yaml-mistake-secret-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const password = 'Yaml-Mistake-Pw-8841';

// A YAML mistake's fix quotes its line. The password of a URL on that line was printed: the file
// did not parse, so its settings (where such passwords are found) were never read.
describe('a scorecard with a YAML mistake on the line of a URL with a password', () => {
  it.each([
    ['a missing colon', `    base_url http://bob:${password}@127.0.0.1:9/v1\n`],
    [
      'a missing colon, encoded',
      `    base_url http://bob:${encodeURIComponent(`${password}/x`)}@127.0.0.1:9/v1\n`,
    ],
  ])('%s: the error names the fix without the password', async (_case, line) => {
    const card = join(folder, 'card.yaml');
    writeFileSync(
      card,
      `name: K\nscores:\n  - name: Spam LLM\n    class: llm/classifier\n    labels: [spam, ham]\n    model: gpt-4o-mini\n${line}    prompt: "Is this spam? {{ text }}"\n`,
    );
    for (const args of [
      ['validate', card, '--no-data'],
      ['evaluate', card],
      ['validate', card, '--json'],
    ]) {
      const { code, stdout, stderr } = await runMain(args);
      expect(code).toBe(2);
      // As the process prints them (`processIo`: every write through `printable`).
      const printed = printable(stdout + stderr);
      expect(printed).toContain("missing ':' after `base_url`");
      expect(printed).toContain('[redacted]');
      expect(printed).not.toContain(password);
      expect(printed).not.toContain(encodeURIComponent(password));
    }
  });
});
