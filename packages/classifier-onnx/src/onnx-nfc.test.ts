import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxClassifierFactory } from './onnx-score.js';
import { onnxSettingsSchema } from './onnx-settings.js';
import { runScript, temporaryDir } from './test-models.js';

const dir = temporaryDir();

// A TF-IDF model trained to tell `café` from `thé` by scripts/train_tfidf.py answered `coffee` to
// both: the graph's tokenizer (RE2, ASCII \w) cut them to `caf` and `th`. And a text with e and a
// combining accent (a Mac, a PDF, an ASR system) gave the graph other tokens again.
beforeAll(() => {
  const rows = ['id,text,label'];
  const ends = ['ce matin', 'au bureau', 'avec toi', 'chaud'];
  for (let index = 0; index < 40; index += 1) {
    const coffee = index % 2 === 0;
    rows.push(
      `m${index + 1},je prends un ${coffee ? 'café' : 'thé'} ${ends[index % 4]},${coffee ? 'coffee' : 'tea'}`,
    );
  }
  writeFileSync(join(dir, 'drinks.csv'), `${rows.join('\n')}\n`);
  runScript('train_tfidf.py', [join(dir, 'drinks.csv'), join(dir, 'drinks.onnx')]);
});

describe('onnx/classifier with text input: words with accents', () => {
  it('are read as scikit-learn reads them, in either Unicode form', async () => {
    const created = await onnxClassifierFactory.create(
      onnxSettingsSchema.parse({ model: 'drinks.onnx' }),
      { name: 'Drink', labels: ['coffee', 'tea'], baseDir: dir, cacheDir: dir, dependsOn: [] },
    );
    const texts = ['je prends un café ce soir', 'je prends un thé ce soir'];
    const items = [...texts, ...texts.map((text) => text.normalize('NFD'))].map((text, index) => ({
      id: String(index),
      text,
      metadata: {},
      results: {},
    }));
    const outputs = await created.doScore({
      items,
      signal: new AbortController().signal,
      context: { scorecard: 'test' },
    });
    // By hand (and scikit-learn's own pipeline): café is coffee, thé is tea, whatever the form.
    expect(outputs.map((output) => output.value)).toEqual(['coffee', 'tea', 'coffee', 'tea']);
    expect(outputs[3]!.probabilities).toEqual(outputs[1]!.probabilities);
  });
});
