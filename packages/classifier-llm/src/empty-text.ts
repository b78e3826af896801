import { InvalidConfigError, matchLabel, type ScoreOutputV1 } from '@plexus/core';
import { z } from 'zod';
import { emptyUsage } from './usage-tally.js';

/** `empty_text_label`: the label an empty text means (nothing relevant was found). */
export const emptyTextSetting = {
  /**
   * The label of an item whose text is empty (a relevance filter kept nothing, the item has no
   * text): given without a model call. Without it, such an item is a `no_text` error.
   */
  empty_text_label: z.string().min(1).optional(),
};

/** Refuses an `empty_text_label` that is not one of the score's labels. */
export function checkEmptyTextLabel(label: string | undefined, labels: readonly string[]): void {
  if (label === undefined || matchLabel(label, labels) !== undefined) return;
  throw new InvalidConfigError([
    {
      path: 'empty_text_label',
      message: `"${label}" is not one of the labels (${labels.join(', ')})`,
    },
  ]);
}

/** The variable `text` inside a Liquid tag (`{{ text }}`, `{{text | upcase}}`, `{% if text %}`). */
const textVariable = /\{[{%][^}]*?(?<![.\w])text\b[^}]*[}%]\}/;

/**
 * Whether templates show the item's text (`{{ text }}`): an empty one then leaves nothing to ask.
 * The word in plain wording ("Is this text spam? {{ metadata.body }}") or a field named so
 * (`{{ metadata.text }}`) is not the item's text.
 */
export function showsText(templates: readonly (string | undefined)[]): boolean {
  return templates.some((template) => template !== undefined && textVariable.test(template));
}

const emptyText = 'the text is empty (the processors kept nothing, or the item has no text)';

/**
 * The result for an item whose text is empty, with no model call (it was asked and paid for, its
 * label resting on no evidence): `empty_text_label` when the score names one, else a `no_text`
 * error saying what to set.
 */
export function emptyTextOutput(
  label: string | undefined,
  labels: readonly string[],
): ScoreOutputV1 {
  const usage = emptyUsage();
  const trace = { empty_text: true };
  if (label !== undefined) {
    const value = matchLabel(label, labels)!;
    return {
      value,
      status: 'ok',
      explanation: `nothing to read: ${emptyText}; empty_text_label gives "${value}" (no model call)`,
      usage,
      trace,
    };
  }
  return {
    value: null,
    status: 'error',
    usage,
    trace,
    error: {
      message: `${emptyText}: nothing was sent to the model. Set empty_text_label to the label an empty text means, or fallback: full on the window or semantic processor to send the whole text`,
      code: 'no_text',
      retryable: false,
    },
  };
}
