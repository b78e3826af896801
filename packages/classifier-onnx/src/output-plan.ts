import { matchLabel, setName } from '@plexus/core';
import { configError, describeValues, type ModelStage } from './model-stage.js';
import type { Tensor } from './onnx-runtime.js';
import type { OnnxSettings } from './onnx-settings.js';

/** Which outputs hold the label and the class scores, and which label each column or integer is. */
export interface OutputPlan {
  labelOutput?: string;
  probabilityOutput?: string;
  /** Declared label of each probability column, and of each integer class (by its position). */
  columnLabels: string[];
  /** The model's own class values (as strings) when it names them, for integer label outputs. */
  modelClasses: string[];
  scores: OnnxSettings['scores'];
}

/** One item's reading of the outputs. */
export interface Prediction {
  label?: string;
  probabilities?: Record<string, number>;
}

const isInteger = (value: string) => /^-?\d+$/.test(value);

/** Finds the label and probability outputs and maps the model's classes to the declared labels. */
export function planOutputs(
  stage: ModelStage,
  settings: OnnxSettings,
  declared: readonly string[],
  at: string,
): OutputPlan {
  const { outputs } = stage;
  const named = (name: string | undefined, what: string) => {
    if (name === undefined) return undefined;
    if (!outputs.some((output) => output.name === name) && name !== stage.zipMap?.output)
      throw configError(
        at,
        `model file ${stage.path} has no output "${name}" (${what}); its outputs are [${describeValues(outputs)}]`,
      );
    return name;
  };
  const labelOutput =
    named(settings.label_output, 'label_output') ??
    outputs.find(
      (output) => ['string', 'int64', 'int32'].includes(output.type) && output.shape.length <= 1,
    )?.name;
  const probabilityOutput =
    named(settings.probability_output, 'probability_output') ??
    stage.zipMap?.output ??
    outputs.find(
      (output) => ['float32', 'float64'].includes(output.type) && output.shape.length === 2,
    )?.name;
  if (!labelOutput && !probabilityOutput)
    throw configError(
      at,
      `model file ${stage.path} has no label output (string or integer [batch]) and no class score output (float [batch, classes]); its outputs are [${describeValues(outputs)}]`,
    );
  const modelClasses =
    stage.zipMap?.labels ?? stage.nodes.find((node) => node.classLabels)?.classLabels ?? [];
  const named_ = modelClasses.length > 0 && !modelClasses.every(isInteger);
  const columnLabels = settings.class_labels ?? (named_ ? modelClasses : [...declared]);
  if (modelClasses.length > 0 && columnLabels.length !== modelClasses.length)
    throw configError(
      at,
      `model file ${stage.path} has ${modelClasses.length} classes [${modelClasses.join(', ')}] but ${columnLabels.length} labels map them [${columnLabels.join(', ')}]; set class_labels to one label per class`,
    );
  if (declared.length > 0) {
    const unknown = columnLabels.filter((label) => matchLabel(label, declared) === undefined);
    if (unknown.length > 0)
      throw configError(
        at,
        `model file ${stage.path} predicts [${columnLabels.join(', ')}] but the score declares [${declared.join(', ')}]; declare the model's labels or map them with class_labels`,
      );
  }
  const plan: OutputPlan = {
    columnLabels: columnLabels.map((label) => matchLabel(label, declared) ?? label),
    modelClasses,
    scores: settings.scores,
  };
  if (labelOutput) plan.labelOutput = labelOutput;
  if (probabilityOutput) plan.probabilityOutput = probabilityOutput;
  return plan;
}

function softmax(row: number[]): number[] {
  const top = Math.max(...row);
  const exps = row.map((value) => Math.exp(value - top));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

function looksLikeProbabilities(row: readonly number[]): boolean {
  const sum = row.reduce((total, value) => total + value, 0);
  return row.every((value) => value >= 0 && value <= 1) && Math.abs(sum - 1) < 1e-3;
}

/** Reads `count` items' labels and class scores from a run's outputs. */
export function readPredictions(
  plan: OutputPlan,
  results: Record<string, Tensor>,
  count: number,
): Prediction[] {
  const predictions: Prediction[] = Array.from({ length: count }, () => ({}));
  if (plan.probabilityOutput) {
    const tensor = results[plan.probabilityOutput]!;
    const width = Number(tensor.dims[tensor.dims.length - 1] ?? 1);
    const data = tensor.data as Float32Array | Float64Array;
    for (let item = 0; item < count; item += 1) {
      let row = Array.from(data.subarray(item * width, (item + 1) * width));
      if (plan.scores === 'logits' || (plan.scores === 'auto' && !looksLikeProbabilities(row)))
        row = softmax(row);
      const probabilities: Record<string, number> = {};
      row.forEach((value, column) => {
        // A label may be named `__proto__`: an own key, not the prototype.
        setName(probabilities, plan.columnLabels[column] ?? String(column), value);
      });
      predictions[item]!.probabilities = probabilities;
    }
  }
  if (plan.labelOutput) {
    const data = results[plan.labelOutput]!.data as ArrayLike<string | number | bigint>;
    for (let item = 0; item < count; item += 1) {
      const raw = String(data[item]);
      let label = raw;
      if (isInteger(raw)) {
        const position =
          plan.modelClasses.length > 0 ? plan.modelClasses.indexOf(raw) : Number(raw);
        label = plan.columnLabels[position] ?? raw;
      } else {
        const column = plan.modelClasses.indexOf(raw);
        label = column >= 0 ? (plan.columnLabels[column] ?? raw) : raw;
      }
      predictions[item]!.label = label;
    }
  }
  return predictions;
}
