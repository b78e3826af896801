import { matchLabel } from '@plexus/core';

/** The label an answer gives, or undefined when it gives none of the labels. */
export function parseLabel(answer: string, labels: readonly string[]): string | undefined {
  const trimmed = answer.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { label?: unknown };
      if (typeof parsed.label === 'string') return matchLabel(parsed.label, labels);
    } catch {
      // not JSON after all: read it as text
    }
  }
  return lastLabel(trimmed, labels);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The label mentioned last, on word boundaries and ignoring case: models reason first and answer
 * last, so "not spam... Answer: ham" gives ham. Longer labels win over labels they contain.
 */
export function lastLabel(text: string, labels: readonly string[]): string | undefined {
  const ordered = [...labels].sort((left, right) => right.length - left.length);
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_])(${ordered.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`,
    'giu',
  );
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last === undefined ? undefined : matchLabel(last, labels);
}

/** The reasoning of a JSON answer, or the answer itself (shortened). */
export function explanationOf(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { reasoning?: unknown };
    if (typeof parsed.reasoning === 'string') return parsed.reasoning;
  } catch {
    // plain text answer
  }
  return answer.length > 1000 ? `${answer.slice(0, 1000)}…` : answer;
}

/** The instruction added to every labelled question. */
export function labelInstruction(labels: readonly string[]): string {
  return `Reason briefly, then answer with exactly one label. Labels: ${labels.join(', ')}`;
}
