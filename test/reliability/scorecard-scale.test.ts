// Scale of scorecards (issue 22): a keywords score with 100,000 phrases validates and scores
// (it took 20 s to load with a regex per phrase; timings are in bench/keywords-scale.mjs), and the
// probe's 900,000-phrase scorecard is refused at once by the size limit, naming it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'plexus-scorecard-scale-'));

/** `count` distinct phrases `w<n> x<n>`, written as a keywords scorecard. */
function writeCard(name: string, count: number): string {
  const lines = ['name: Scale', 'scores:', '  - name: Many', '    class: heuristic/keywords'];
  lines.push('    labels: [yes, no]', '    phrases:');
  for (let index = 0; index < count; index += 1) lines.push(`      - "w${index} x${index}"`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('scorecard scale', () => {
  it('validates and scores a keywords score with 100,000 phrases', async () => {
    const card = writeCard('many.yaml', 100_000);
    const checked = await runCli(['validate', card]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('valid scorecard');

    const data = join(dir, 'items.jsonl');
    const texts = ['no phrase here', 'the last one, W99999   x99999!', 'w5 x6 and w7 x7', 'w1x1'];
    writeFileSync(
      data,
      texts.map((text, index) => JSON.stringify({ id: `i${index}`, text })).join('\n'),
    );
    const out = join(dir, 'run');
    const run = await runCli(['evaluate', card, '--data', data, '--out', out, '--no-cache']);
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { item_id: string; value: string; explanation: string });
    expect(lines.map((line) => [line.item_id, line.value])).toEqual([
      ['i0', 'no'],
      ['i1', 'yes'],
      ['i2', 'yes'],
      ['i3', 'no'],
    ]);
    expect(lines[1]!.explanation).toContain('found "w99999 x99999" in the text');
    expect(lines[1]!.explanation).toContain('W99999   x99999');
    expect(lines[2]!.explanation).toContain('found "w7 x7"');
    // A miss names 50 phrases and counts the rest, not 100,000 of them.
    expect(lines[0]!.explanation).toMatch(/"w49 x49" and 99950 more$/);
  }, 120_000);

  it('refuses the 900,000-phrase probe at once, naming the size limit', async () => {
    const card = writeCard('huge.yaml', 900_000);
    const started = performance.now();
    const result = await runCli(['validate', card]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /huge\.yaml: the scorecard is \d+\.\d MB, over the 10\.0 MB limit/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack
  }, 120_000);
});
