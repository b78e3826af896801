import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  checkModelOverwrite,
  defineScoreFactory,
  errorMessage,
  fileSystemError,
  forestModelKind,
  hashValue,
  InvalidConfigError,
  modelWriteTarget,
  resolveModelPath,
  type ScoreEnvV1,
  type ScoreOutputV1,
  setName,
  sha256,
} from '@plexus/core';
import { FeatureError } from './featurizer.js';
import { type ForestFile, ForestModel, NewerModelError } from './forest-model.js';
import { type ForestSettings, forestSettingsSchema } from './forest-settings.js';
import { trainForest } from './forest-trainer.js';
import { featureDifference } from './model-features.js';
import { trainedTexts } from './trained-texts.js';

function checkWritable(settings: ForestSettings): void {
  if (settings.model.startsWith('models:/'))
    throw configError(
      'plexus train writes a file: set model to a path (and register it with plexus train --register)',
    );
}

function configError(message: string): InvalidConfigError {
  return new InvalidConfigError([{ path: 'model', message }]);
}

/** The largest model file read: V8's longest string (2^29 - 24 characters), in whole MB. */
const maxModelBytes = 511 * 2 ** 20;

/** Reads and checks a model file for a score; every failure names the file and the fix. */
export async function loadForestModel(
  path: string,
  env: ScoreEnvV1,
): Promise<{ model: ForestModel; hash: string }> {
  let text: string;
  try {
    const { size } = await stat(path);
    // Node reads at most about 512 MB as one string: a larger model failed after reading it all,
    // with "Invalid string length".
    if (size > maxModelBytes)
      throw configError(
        `model file ${path} is ${Math.round(size / 2 ** 20)} MB, more than the ${maxModelBytes / 2 ** 20} MB a model file can be read as text; train fewer or shallower trees (trees, max_depth, min_samples_leaf)`,
      );
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InvalidConfigError) throw error;
    if ((error as { code?: unknown }).code !== 'ENOENT')
      throw configError(
        fileSystemError(error, path, 'read the model file', { reading: true }).message,
      );
    throw configError(
      `model file ${path} not found; train it with: plexus train <scorecard> --data FILE --score "${env.name}"`,
    );
  }
  let model: ForestModel;
  try {
    model = ForestModel.parse(text);
  } catch (error) {
    throw configError(
      error instanceof NewerModelError
        ? `model file ${path} is ${error.message}`
        : `model file ${path} is ${errorMessage(error)}; train it again with plexus train`,
    );
  }
  const declared = env.labels;
  const missing = declared.filter((label) => !model.labels.includes(label));
  const extra = model.labels.filter((label) => !declared.includes(label));
  if (declared.length > 0 && (missing.length > 0 || extra.length > 0))
    throw configError(
      `model file ${path} was trained for labels [${model.labels.join(', ')}] but the score declares [${declared.join(', ')}]; train it again for these labels`,
    );
  return { model, hash: sha256(text) };
}

function describe(model: ForestModel, influences: { feature: number; value: number }[]): string {
  const numeric = model.featurizer.textFeatures;
  return influences
    .map(({ feature, value }) => {
      const name = model.featurizer.featureName(feature);
      if (feature >= numeric) return `${name} = ${value}`;
      return `${name} (${value > 0 ? 'present' : 'absent'})`;
    })
    .join(', ');
}

/** `forest/random-forest`: a random forest on TF-IDF n-grams and numeric metadata. */
export const randomForestFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'random-forest',
  settingsSchema: forestSettingsSchema,
  needs: (settings) => ({
    fields: settings.features.numeric_fields.map((name, index) => ({
      path: `features.numeric_fields.${index}`,
      name,
    })),
  }),
  async create(settings, env) {
    const path = await resolveModelPath(settings.model, env);
    const { model, hash } = await loadForestModel(path, env);
    const difference = featureDifference(settings.features, model.featurizer.json);
    if (difference)
      throw configError(
        `model file ${path} was trained with other numeric fields than the score sets (${difference}); train it again: plexus train <scorecard> --data FILE --score "${env.name}", or set features.numeric_fields as the model has them`,
      );
    const labels = model.labels;
    const inTraining = trainedTexts(model.file.training.text_hashes);
    const positive = settings.positive_label ?? env.labels[0] ?? labels[0]!;
    if (settings.threshold !== undefined && (labels.length !== 2 || !labels.includes(positive)))
      throw configError(
        `threshold needs two labels and positive_label among them (labels: ${labels.join(', ')})`,
      );
    const scoreOne = (item: {
      text: string;
      metadata: Readonly<Record<string, unknown>>;
    }): ScoreOutputV1 => {
      let prediction: ReturnType<ForestModel['predict']>;
      try {
        prediction = model.predict(model.featurizer.transform(item), true);
      } catch (error) {
        if (!(error instanceof FeatureError)) throw error;
        return {
          value: null,
          status: 'error',
          error: {
            message: `${error.message}; every item needs the model's numeric fields`,
            code: 'missing_feature',
            retryable: false,
          },
        };
      }
      const probabilities: Record<string, number> = {};
      labels.forEach((label, index) => {
        setName(probabilities, label, prediction.probabilities[index]!); // a label may be `__proto__`
      });
      let chosen = 0;
      prediction.probabilities.forEach((probability, index) => {
        if (probability > prediction.probabilities[chosen]!) chosen = index;
      });
      let value = labels[chosen]!;
      if (settings.threshold !== undefined)
        value =
          probabilities[positive]! >= settings.threshold
            ? positive
            : labels.find((label) => label !== positive)!;
      const confidence = probabilities[value]!;
      return {
        value,
        status: 'ok',
        confidence,
        probabilities,
        explanation: `${value} (p=${confidence.toFixed(2)}); most influential: ${describe(model, prediction.influences) || 'no split features'}`,
        ...(inTraining?.(item.text) ? { trace: { in_training: true } } : {}),
      };
    };
    return {
      specificationVersion: 'v1',
      kind: 'forest/random-forest',
      name: env.name,
      labels,
      fingerprint: hashValue({ kind: 'random-forest', settings, model: hash }),
      model: basename(path),
      maxBatchSize: 256,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map(scoreOne);
      },
    };
  },
  async train({ settings, env, items, outDir, signal, onProgress }) {
    const target = forestModelTarget(settings, env, outDir);
    const { file, problems } = trainForest({
      settings,
      labels: env.labels,
      items,
      signal,
      onProgress,
    });
    await writeForestModel(target, file);
    return {
      modelPath: target,
      settings: { ...settings, model: target },
      problems,
      facts: [forestFacts(file), ...absentLabelFacts(items, env.labels)],
    };
  },
});

/**
 * Labels no training item has: the model never answers them (trained on one label, it answers it
 * for every item), said beside the facts; it was said nowhere (the held-out test may not show it).
 */
export function absentLabelFacts(
  items: readonly { label: string }[],
  labels: readonly string[],
): string[] {
  const present = new Set(items.map((item) => item.label));
  const absent = labels.filter((label) => !present.has(label));
  if (absent.length === 0) return [];
  const named = absent.map((label) => JSON.stringify(label)).join(', ');
  return [
    `no training item is labelled ${named}: the model never answers ${absent.length === 1 ? 'it' : 'them'}; train on items of every label`,
  ];
}

/**
 * Where training writes a score's model: its `model` path, which must be inside the scorecard's
 * folder, or that file name in `outDir`; a file there that is not a plexus-forest model is refused.
 */
export function forestModelTarget(settings: ForestSettings, env: ScoreEnvV1, outDir?: string) {
  checkWritable(settings);
  const target = modelWriteTarget(settings.model, env.baseDir, outDir);
  checkModelOverwrite(target, forestModelKind);
  return target;
}

/** Writes a model file; write then rename, so a crash never leaves a truncated model where scores load it. */
export async function writeForestModel(target: string, file: ForestFile): Promise<void> {
  checkModelOverwrite(target, forestModelKind);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, ForestModel.serialize(file));
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw fileSystemError(error, target, 'write the model');
  }
}

/** One line about a trained model: items, features, trees and their size. */
export function forestFacts(file: ForestFile): string {
  const nodes = file.trees.reduce((sum, tree) => sum + tree.feature.length, 0);
  return `${file.training.items} items, ${Number(file.training.feature_count)} features, ${file.trees.length} trees (${Math.round(nodes / file.trees.length)} nodes each on average)`;
}
