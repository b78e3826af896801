import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const composed = (text: string) => text.normalize('NFC');
const decomposed = (text: string) => text.normalize('NFD');

async function valuesOf(settings: string, texts: string[]): Promise<ScoreOutputV1['value'][]> {
  const yaml = `name: T\nscores:\n  - name: K\n    class: heuristic/keywords\n${settings}`;
  const card = await parseScorecard(yaml, {
    file: '/tmp/keywords-nfc.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  const outputs = await card.scores[0]!.score!.doScore({
    items: texts.map((text, index) => ({ id: String(index), text, metadata: {}, results: {} })),
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return outputs.map((output) => output.value);
}

// "café" typed in a scorecard is one character é; a text from a Mac, a PDF or an ASR system may
// hold e and a combining accent. Keywords compared code units: such a text had no hit ("no").
describe('heuristic/keywords: phrases and texts in either Unicode form', () => {
  const texts = [
    composed('un café noir'),
    decomposed('un café noir'),
    decomposed('Agent: bonjour\nCustomer: un CAFÉ, merci'),
    'un cafe noir', // no accent: another word
  ];
  // By hand: the first three hold café (in either form, any case); the fourth does not.
  const expected = ['yes', 'yes', 'yes', 'no'];

  it.each([
    ['a phrase written composed', composed('café')],
    ['a phrase written decomposed', decomposed('café')],
  ])('%s finds the word in both forms', async (_, phrase) => {
    expect(await valuesOf(`    phrases: [${JSON.stringify(phrase)}]\n`, texts)).toEqual(expected);
  });

  it('with many phrases (one index) and with fuzzy matching too', async () => {
    const many = Array.from({ length: 40 }, (_, index) => `filler${index}`);
    const phrases = JSON.stringify([...many, decomposed('café')]);
    expect(await valuesOf(`    phrases: ${phrases}\n`, texts)).toEqual(expected);
    const fuzzy = `    phrases: [${JSON.stringify(composed('café noir'))}]\n    fuzzy: { threshold: 95 }\n`;
    expect(await valuesOf(fuzzy, texts.slice(0, 2))).toEqual(['yes', 'yes']);
  });

  it('a negation word in the other form still negates', async () => {
    const settings = `    phrases: [refund]\n    negation: { words: [${JSON.stringify(composed('déjà'))}], window: 2 }\n`;
    expect(await valuesOf(settings, [decomposed('déjà refund'), 'refund please'])).toEqual([
      'no',
      'yes',
    ]);
  });

  it('heuristic/logic: "café" in text holds for a text in either form', async () => {
    const yaml = `name: T\nscores:\n  - name: L\n    class: heuristic/logic\n    rules:\n      - when: '"${composed('café')}" in text'\n        label: "yes"\n    otherwise: "no"\n`;
    const card = await parseScorecard(yaml, {
      file: '/tmp/logic-nfc.yaml',
      plugins: [plugin],
      cacheDir: '/tmp',
    });
    const outputs = await card.scores[0]!.score!.doScore({
      items: texts.map((text, index) => ({ id: String(index), text, metadata: {}, results: {} })),
      signal: new AbortController().signal,
      context: { scorecard: 'T' },
    });
    expect(outputs.map((output) => output.value)).toEqual(expected);
  });
});
