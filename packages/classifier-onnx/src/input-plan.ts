import { configError, describeValues, type ModelStage, type ValueInfo } from './model-stage.js';
import type { OnnxSettings } from './onnx-settings.js';

/** How items become the model's input tensors. */
export type InputPlan =
  | { kind: 'text'; name: string; rank: number }
  | { kind: 'tabular'; name: string; fields: readonly string[]; type: 'float32' | 'float64' }
  | { kind: 'tokens'; ids: string; mask?: string; typeIds?: string };

const floatTypes = new Set(['float32', 'float64']);

function mismatch(stage: ModelStage, gives: string, at: string): never {
  throw configError(
    at,
    `model file ${stage.path} expects inputs [${describeValues(stage.inputs)}], but this score gives ${gives}; set input (text, tokens, tabular) and input_name to match the model`,
  );
}

function chosenInput(
  stage: ModelStage,
  settings: OnnxSettings,
  at: string,
  wanted: (value: ValueInfo) => boolean,
): ValueInfo | undefined {
  if (settings.input_name) {
    const named = stage.inputs.find((input) => input.name === settings.input_name);
    if (!named)
      throw configError(
        at,
        `model file ${stage.path} has no input "${settings.input_name}"; its inputs are [${describeValues(stage.inputs)}]`,
      );
    return named;
  }
  return stage.inputs.find(wanted);
}

function checkFed(stage: ModelStage, fed: readonly string[], gives: string, at: string): void {
  const unfed = stage.inputs.filter((input) => !fed.includes(input.name));
  if (unfed.length > 0) mismatch(stage, gives, at);
}

function inputKind(stage: ModelStage, settings: OnnxSettings): OnnxSettings['input'] {
  if (settings.input !== 'auto') return settings.input;
  const first = stage.inputs.find((input) => input.name === settings.input_name) ?? stage.inputs[0];
  if (first?.type === 'string') return 'text';
  if (first?.type === 'int64' || first?.type === 'int32') return 'tokens';
  return 'tabular';
}

/** Checks the model's inputs against what the settings will feed, naming both on a mismatch. */
export function planInput(stage: ModelStage, settings: OnnxSettings, at: string): InputPlan {
  const kind = inputKind(stage, settings);
  if (kind === 'text') {
    const input = chosenInput(stage, settings, at, (value) => value.type === 'string');
    const gives = `${settings.input_name ?? input?.name ?? 'text'}: string [batch, 1] (input: text)`;
    if (input?.type !== 'string') mismatch(stage, gives, at);
    checkFed(stage, [input!.name], gives, at);
    return { kind, name: input!.name, rank: Math.max(1, input!.shape.length) };
  }
  if (kind === 'tabular') {
    const input = chosenInput(stage, settings, at, (value) => floatTypes.has(value.type));
    const gives = `${settings.input_name ?? input?.name ?? 'input'}: float32 [batch, ${settings.numeric_fields.length}] from numeric_fields (input: tabular)`;
    if (!input || !floatTypes.has(input.type) || settings.numeric_fields.length === 0)
      mismatch(stage, gives, at);
    const width = input!.shape[1];
    if (typeof width === 'number' && width >= 0 && width !== settings.numeric_fields.length)
      mismatch(stage, gives, at);
    checkFed(stage, [input!.name], gives, at);
    return {
      kind,
      name: input!.name,
      fields: settings.numeric_fields,
      type: input!.type as 'float32' | 'float64',
    };
  }
  const integer = (name: string) =>
    stage.inputs.find(
      (input) => input.name === name && (input.type === 'int64' || input.type === 'int32'),
    );
  const ids = settings.input_name ?? 'input_ids';
  const gives = `${ids}, attention_mask, token_type_ids: int64 [batch, tokens] from the tokenizer (input: tokens)`;
  if (!integer(ids)) mismatch(stage, gives, at);
  const plan: InputPlan = { kind: 'tokens', ids };
  if (integer('attention_mask')) plan.mask = 'attention_mask';
  if (integer('token_type_ids')) plan.typeIds = 'token_type_ids';
  checkFed(stage, [ids, plan.mask ?? '', plan.typeIds ?? ''], gives, at);
  return plan;
}
