import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { interruptedWith, storedLines } from './result-line-fixture.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-stored-lines-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const yaml = 'name: Cards\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
// Ten items: the odd ones hold "card"; gold agrees with the score on all but i8 (gold yes).
const data = join(folder, 'data.csv');
writeFileSync(
  data,
  `id,text,Card\n${Array.from({ length: 10 }, (_, index) => `i${index},${index % 2 ? 'a card' : 'hello'},${index % 2 || index === 8 ? 'yes' : 'no'}`).join('\n')}\n`,
);

describe('a resume reading results.jsonl', () => {
  it('scores again lines Plexus would not write and sets "correct" from value and label', async () => {
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const card = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({ scorecard: card, data, outDir: out, cache: false });
    // Tampered as a hand edit or another version might leave it, and marked interrupted.
    const edited = storedLines(out).map((line) => {
      if (line.item_id === 'i1') return { ...line, status: 'weird' };
      if (line.item_id === 'i2') return { ...line, value: 'maybe' };
      if (line.item_id === 'i8') return { ...line, correct: true }; // the score said no, gold yes
      return line;
    });
    interruptedWith(out, edited);
    const warnings: string[] = [];
    const summary = await evaluate({
      scorecard: card,
      outDir: undefined,
      resumeDir: out,
      cache: false,
      onWarning: (message) => warnings.push(message),
    });
    const byItem = new Map(storedLines(out).map((line) => [line.item_id, line]));
    expect(byItem.size).toBe(10);
    expect(byItem.get('i1')).toMatchObject({ status: 'ok', value: 'yes', correct: true });
    expect(byItem.get('i2')).toMatchObject({ status: 'ok', value: 'no', correct: true });
    expect(byItem.get('i8')).toMatchObject({ value: 'no', label: 'yes', correct: false });
    // By hand: nine of ten right (i8 wrong).
    expect(summary.scores.Card).toMatchObject({ n: 10, accuracy: 0.9 });
    expect(warnings).toEqual([
      `${out}/results.jsonl: 2 stored results are not as Plexus writes them and were scored again ("i1" / Card: status "weird" is not ok, skipped, error or disabled; "i2" / Card: value "maybe" is not one of the score's labels (yes, no)); 1 stored result had a "correct" that its value and label do not give; set from them`,
    ]);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).warnings).toEqual(warnings);
  });
});

describe('a resume dropping a stored line', () => {
  it('scores again the lines downstream of it too (their answers came from the dropped one)', async () => {
    const downstream = `name: Cards
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: lost, depends_on: [Card] }
`;
    const file = join(folder, 'downstream.yaml');
    writeFileSync(file, downstream);
    const card = await parseScorecard(downstream, {
      file,
      plugins: [testPlugin],
      cacheDir: folder,
    });
    const out = join(folder, 'downstream-run');
    await evaluate({ scorecard: card, data, outDir: out, cache: false });
    // i1's Card line is refused (a label the score lacks); its Lost line is a valid line, marked
    // so that a kept copy shows; i3's Lost line, downstream of a kept Card line, is marked too.
    const edited = storedLines(out).map((line) => {
      if (line.item_id === 'i1' && line.score === 'Card') return { ...line, value: 'maybe' };
      if ((line.item_id === 'i1' || line.item_id === 'i3') && line.score === 'Lost')
        return { ...line, explanation: 'stored before' };
      return line;
    });
    interruptedWith(out, edited);
    await evaluate({ scorecard: card, resumeDir: out, cache: false, onWarning: () => {} });
    const lost = new Map(
      storedLines(out)
        .filter((line) => line.score === 'Lost')
        .map((line) => [line.item_id, line.explanation]),
    );
    expect(lost.size).toBe(10);
    expect(lost.get('i1')).not.toBe('stored before');
    expect(lost.get('i3')).toBe('stored before');
  });
});
