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
  const json = /\{[\s\S]*\}|\[[\s\S]*\]/.exec(content)?.[0];
  if (!json) return { edits: [], problem: 'the optimizer answered no JSON' };
  try {
    const parsed = JSON.parse(json) as unknown;
    if (Array.isArray(parsed)) return { edits: parsed };
    const list = (parsed as { candidates?: unknown }).candidates;
    if (Array.isArray(list)) return { edits: list };
    return { edits: [], problem: 'the optimizer answer has no "candidates" list' };
  } catch (error) {
    return { edits: [], problem: `the optimizer answered invalid JSON: ${errorMessage(error)}` };
  }
}

function checkEdit(value: unknown): CandidateEdit | string {
  if (typeof value !== 'object' || value === null) return 'a candidate is not an object';
  const edit = value as Partial<CandidateEdit>;
  if (typeof edit.node !== 'string') return 'no "node" (the score or graph node to change)';
  if (edit.prompt === undefined && edit.label_descriptions === undefined)
    return 'neither "prompt" nor "label_descriptions"';
  if (typeof edit.reason !== 'string' || edit.reason.trim() === '') return 'no one-line "reason"';
  return edit as CandidateEdit;
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
  const scores = document.toJS().scores as { name?: string; nodes?: { name?: string }[] }[];
  const index = scores.findIndex((entry) => entry.name === score);
  const path: (string | number)[] = ['scores', index];
  if (edit.node !== score) {
    const nodeIndex = (scores[index]?.nodes ?? []).findIndex((node) => node.name === edit.node);
    if (nodeIndex < 0) return { problem: `no node "${edit.node}" in score "${score}"` };
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
      candidates.push({ edit: (value ?? {}) as Partial<CandidateEdit>, dropped: edit });
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
