// Random forest vs scikit-learn's RandomForestClassifier on the same TF-IDF features and split.
// Banking77 (train.csv → test.csv) and SMS spam (seeded stratified 80/20 split).
// Usage: node forest-vs-sklearn.mjs [trees]   (scikit-learn from PyPI in .cache/venv-python)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Featurizer,
  ForestModel,
  forestSettingsSchema,
  trainForest,
} from '@plexus/classifier-forest';
import { readDataset, stratifiedSplit } from '@plexus/core';

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.PLEXUS_SHARED_DATA ?? join(here, '../../shared/data');
const trees = Number(process.argv[2] ?? 100);
const work = join(here, '../.cache/bench-forest');
mkdirSync(work, { recursive: true });

async function load(path, labelColumn) {
  const items = [];
  for await (const row of readDataset({ path, gold: { label: [labelColumn] } }))
    items.push({ id: row.id, text: row.text, metadata: {}, label: row.labels.label });
  return items;
}

function svmlight(path, featurizer, items, labels) {
  const lines = items.map((item) => {
    const vector = featurizer.transform(item);
    const pairs = Array.from(
      vector.indices,
      (index, position) => `${index}:${vector.values[position]}`,
    );
    return `${labels.indexOf(item.label)} ${pairs.join(' ')}`;
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function compare(name, train, test) {
  const labels = [...new Set(train.map((item) => item.label))].sort();
  const settings = forestSettingsSchema.parse({ model: 'unused', trees, seed: 0 });
  let started = performance.now();
  const { file } = trainForest({ settings, labels, items: train });
  const trainS = (performance.now() - started) / 1000;
  const model = new ForestModel(file);
  const vectors = test.map((item) => model.featurizer.transform(item));
  started = performance.now();
  let correct = 0;
  vectors.forEach((vector, index) => {
    const { probabilities } = model.predict(vector);
    let best = 0;
    probabilities.forEach((value, position) => {
      if (value > probabilities[best]) best = position;
    });
    if (labels[best] === test[index].label) correct += 1;
  });
  const predictS = (performance.now() - started) / 1000;
  const featurizer = new Featurizer(file.featurizer);
  svmlight(join(work, `${name}-train.svm`), featurizer, train, labels);
  svmlight(join(work, `${name}-test.svm`), featurizer, test, labels);
  const python = execFileSync(
    join(here, '../scripts/python-venv.sh'),
    ['sklearn', 'scikit-learn==1.7.*', 'numpy'],
    { encoding: 'utf8' },
  ).trim();
  const sklearn = JSON.parse(
    execFileSync(
      python,
      [join(here, 'forest_sklearn.py'), work, name, String(featurizer.featureCount), String(trees)],
      { encoding: 'utf8' },
    ),
  );
  return {
    name,
    trainItems: train.length,
    testItems: test.length,
    features: featurizer.featureCount,
    plexus: { accuracy: correct / test.length, trainS, predictPerS: test.length / predictS },
    sklearn,
  };
}

const banking = await compare(
  'banking77',
  await load(join(data, 'banking77/train.csv'), 'category'),
  await load(join(data, 'banking77/test.csv'), 'category'),
);
const sms = stratifiedSplit(await load(join(data, 'sms-spam/sms.csv'), 'label'), 0.2, 0);
const spam = await compare('sms-spam', sms.train, sms.test);
for (const result of [banking, spam]) {
  const { plexus, sklearn } = result;
  console.log(
    `| ${result.name} | ${result.trainItems}/${result.testItems} | ${result.features} | ${(plexus.accuracy * 100).toFixed(2)} | ${(sklearn.accuracy * 100).toFixed(2)} | ${((plexus.accuracy - sklearn.accuracy) * 100).toFixed(2)} | ${plexus.trainS.toFixed(1)} / ${sklearn.train_s.toFixed(1)} (${(sklearn.train_s / plexus.trainS).toFixed(2)}x) | ${plexus.predictPerS.toFixed(0)} / ${sklearn.predict_per_s.toFixed(0)} (${(plexus.predictPerS / sklearn.predict_per_s).toFixed(2)}x) |`,
  );
}
