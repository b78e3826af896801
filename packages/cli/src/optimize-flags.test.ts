import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decimalNumber, positiveNumber } from './arguments.js';
import { runMain } from './test-packages.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-optimize-flags-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const card = join(folder, 'card.yaml');
writeFileSync(
  card,
  `name: Flags
data: { path: data.csv }
scores:
  - name: Spam LLM
    class: llm/classifier
    labels: [spam, ham]
    label_column: label
    base_url: http://127.0.0.1:9/v1
    model: gpt-4o-mini
    prompt: "Is this spam? {{ text }}"
`,
);
writeFileSync(join(folder, 'data.csv'), 'id,text,label\n1,win cash,spam\n2,hi mum,ham\n');

async function optimizeWith(flag: string, value: string) {
  const out = join(folder, `out-${flag.slice(2)}-${encodeURIComponent(value)}`);
  const args = ['optimize', card, '--score', 'Spam LLM', '--optimizer-model', 'gpt-5-mini'];
  const result = await runMain([
    ...args,
    '--optimizer-base-url',
    'http://127.0.0.1:9/v1',
    '--out',
    out,
    flag,
    value,
  ]);
  return { ...result, wrote: existsSync(out) };
}

// Number('') is 0: `--optimizer-price ,` was a price of $0 (every optimizer call free), and an
// empty --alpha or --max-cost-increase was 0; `--alpha 0` can never accept anything (p < 0).
describe('plexus optimize number flags', () => {
  it.each([
    ['--optimizer-price', ','],
    ['--optimizer-price', ''],
    ['--optimizer-price', '1,'],
    ['--optimizer-price', ' ,2'],
    ['--optimizer-price', 'Infinity,1'],
    ['--optimizer-price', '0x10,1'],
    ['--optimizer-price', '1e999,1'],
    ['--alpha', ''],
    ['--alpha', '0'],
    ['--alpha', 'NaN'],
    ['--max-cost-increase', ''],
    ['--max-cost-increase', '-0.1'],
    ['--split', ',,'],
    ['--split', '0x1,0,0'],
  ])('%s %j is refused (exit 2) before anything is written', async (flag, value) => {
    const { code, stderr, wrote } = await optimizeWith(flag, value);
    expect(code).toBe(2);
    expect(stderr).toContain(flag);
    expect(wrote).toBe(false);
  });

  it('reads decimal numbers only', () => {
    expect(decimalNumber('0.25')).toBe(0.25);
    expect(decimalNumber(' 2 ')).toBe(2);
    expect(decimalNumber('.5')).toBe(0.5);
    expect(decimalNumber('1e-3')).toBe(0.001);
    for (const text of ['', ' ', '0x10', 'Infinity', '1e999', '1,5', 'NaN', '0b1'])
      expect(decimalNumber(text), JSON.stringify(text)).toBeNaN();
    expect(() => positiveNumber('--max-usd')('0x10')).toThrow('--max-usd');
  });

  it('calibrate refuses a target precision above 1', async () => {
    const { code, stderr } = await runMain([
      'calibrate',
      card,
      '--score',
      'Spam LLM',
      '--target-precision',
      '7',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--target-precision');
  });
});
