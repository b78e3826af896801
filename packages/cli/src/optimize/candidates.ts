import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  errorMessage,
  InvalidConfigError,
  type LoadedScorecard,
  parseScorecard,
} from '@plexus/core';
import { parseDocument } from 'yaml';

/** One edit the optimizer proposes: a node's new prompt and/or label descriptions, and why. */
export interface CandidateEdit {
  node: string;
  prompt?: string;
  label_descriptions?: Record<string, string>;
  reason: string;
}

/** A candidate that became a valid scorecard, or was dropped with the reason. */
export type Candidate =
  | { edit: CandidateEdit; source: string; scorecard: LoadedScorecard; dropped?: undefined }
  | { edit: Partial<CandidateEdit>; dropped: string };

/** The candidates in an optimizer answer: `{"candidates": [...]}` (a bare list is taken too). */
export function parseEdits(content: string): { edits: unknown[]; problem?: string } {
  const parsed = jsonIn(content);
  if (parsed.problem !== undefined) return { edits: [], problem: parsed.problem };
  if (Array.isArray(parsed.value)) return { edits: parsed.value };
  const list = (parsed.value as { candidates?: unknown } | null)?.candidates;
  if (Array.isArray(list)) return { edits: list };
  return { edits: [], problem: 'the optimizer answer has no "candidates" list' };
}

/** Openings tried: prose before the JSON may hold braces of its own ("I would {maybe} ..."). */
const openingsTried = 20;

/**
 * The JSON of an answer: from its first `{` or `[` to the last `}` or `]` that closes it, else
 * from a later opening (the answer `Sure, {maybe}: {"candidates": ...}` was dropped as invalid).
 */
function jsonIn(content: string): { value?: unknown; problem?: string } {
  const openings = [...content.matchAll(/[{[]/g)].slice(0, openingsTried);
  if (openings.length === 0) return { problem: 'the optimizer answered no JSON' };
  let firstError: unknown;
  for (const opening of openings) {
    const start = opening.index;
    const end = content.lastIndexOf(opening[0] === '{' ? '}' : ']');
    if (end < start) continue;
    try {
      return { value: JSON.parse(content.slice(start, end + 1)) as unknown };
    } catch (error) {
      firstError ??= error;
    }
  }
  return {
    problem:
      firstError === undefined
        ? 'the optimizer answered no whole JSON (an opening { or [ is never closed: cut short?)'
        : `the optimizer answered invalid JSON: ${errorMessage(firstError)}`,
  };
}

/** Whether `value` is `{"<label>": "<text>", ...}`. */
function isDescriptions(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === 'string')
  );
}

function checkEdit(value: unknown): CandidateEdit | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'a candidate is not an object';
  const edit = value as Partial<CandidateEdit>;
  if (typeof edit.node !== 'string') return 'no "node" (the score or graph node to change)';
  if (edit.prompt === undefined && edit.label_descriptions === undefined)
    return 'neither "prompt" nor "label_descriptions"';
  // A number as the prompt stopped the run (prompt.trimEnd is not a function), on every resume
  // too (the answer is cached); a text as the descriptions added "- 0: p", "- 1: r", ... to it.
  if (edit.prompt !== undefined && typeof edit.prompt !== 'string')
    return `"prompt" is ${describe(edit.prompt)}, not text`;
  if (edit.label_descriptions !== undefined && !isDescriptions(edit.label_descriptions))
    return `"label_descriptions" is ${describe(edit.label_descriptions)}, not {"<label>": "<what it means>"}`;
  if (typeof edit.reason !== 'string' || edit.reason.trim() === '') return 'no one-line "reason"';
  return edit as CandidateEdit;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object with a value that is not text';
  return `${typeof value === 'string' ? 'the text' : `the ${typeof value}`} ${JSON.stringify(value).slice(0, 40)}`;
}

/** A proposed edit as far as it can be recorded: its node and reason when they are text. */
export function recordedEdit(value: unknown): Partial<CandidateEdit> {
  const edit = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  return {
    ...(typeof edit.node === 'string' ? { node: edit.node } : {}),
    ...(typeof edit.reason === 'string' ? { reason: edit.reason } : {}),
  };
}

/** The prompt with a paragraph saying what each label means (the scores have no field for it). */
function withDescriptions(
  prompt: string,
  descriptions: Record<string, string> | undefined,
): string {
  if (!descriptions || Object.keys(descriptions).length === 0) return prompt;
  const lines = Object.entries(descriptions).map(([label, text]) => `- ${label}: ${text}`);
  return `${prompt.trimEnd()}\n\nWhat each label means:\n${lines.join('\n')}\n`;
}

/** The scorecard text with the edit applied to the score (or graph node) named `edit.node`. */
function applyEdit(
  source: string,
  score: string,
  edit: CandidateEdit,
): string | { problem: string } {
  const document = parseDocument(source);
  type Prompted = { name?: string; prompt?: unknown };
  const scores = document.toJS().scores as (Prompted & { nodes?: Prompted[] })[];
  const index = scores.findIndex((entry) => entry.name === score);
  const path: (string | number)[] = ['scores', index];
  const nodes = scores[index]?.nodes;
  // A graph's prompts are its nodes': naming the score (or a logic node) gave a validator's list
  // of 38 settings ("unknown setting prompt"), not the names to use.
  const prompted = `its nodes with a prompt: ${(nodes ?? [])
    .filter((node) => typeof node.prompt === 'string')
    .map((node) => node.name)
    .join(', ')}`;
  if (edit.node === score && Array.isArray(nodes))
    return { problem: `"${score}" is an llm/graph score: name the node to change (${prompted})` };
  if (edit.node !== score) {
    const nodeIndex = (nodes ?? []).findIndex((node) => node.name === edit.node);
    if (nodeIndex < 0) return { problem: `no node "${edit.node}" in score "${score}"` };
    if (typeof nodes![nodeIndex]!.prompt !== 'string')
      return { problem: `node "${edit.node}" has no prompt to change (${prompted})` };
    path.push('nodes', nodeIndex);
  }
  const prompt = edit.prompt ?? String(document.getIn([...path, 'prompt']) ?? '');
  document.setIn([...path, 'prompt'], withDescriptions(prompt, edit.label_descriptions));
  return document.toString();
}

/** Each proposed edit applied and validated as a scorecard; an invalid one is dropped with its reason. */
export async function buildCandidates(options: {
  edits: readonly unknown[];
  source: string;
  file: string;
  score: string;
}): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const value of options.edits) {
    const edit = checkEdit(value);
    if (typeof edit === 'string') {
      candidates.push({ edit: recordedEdit(value), dropped: edit });
      continue;
    }
    const source = applyEdit(options.source, options.score, edit);
    if (typeof source !== 'string') {
      candidates.push({ edit, dropped: source.problem });
      continue;
    }
    try {
      const scorecard = await parseScorecard(source, {
        file: options.file,
        searchFrom: [dirname(fileURLToPath(import.meta.url))],
        scores: [options.score],
      });
      candidates.push({ edit, source, scorecard });
    } catch (error) {
      const reason =
        error instanceof InvalidConfigError
          ? error.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')
          : errorMessage(error);
      candidates.push({ edit, dropped: `does not validate: ${reason}` });
    }
  }
  return candidates;
}
