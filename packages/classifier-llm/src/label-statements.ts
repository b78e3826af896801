import { matchLabel } from '@plexus/core';

/** The labels a line states, and whether it names one only to ask about it. */
export interface LineLabels {
  /** Distinct labels named outside questions, in the order first named. */
  stated: string[];
  /** Some label was named in a sentence that ends with `?` ("Spam?", "Is it spam or ham?"). */
  asked: boolean;
}

const stops = '.!?';

/**
 * The labels a line names (`pattern`: any label on word boundaries, global), leaving out those in
 * a question: a sentence whose closing run of `.!?` holds a `?`. Linear: each label's sentence end
 * is found by one scan forward, shared by the labels before it.
 */
export function lineLabels(line: string, pattern: RegExp, labels: readonly string[]): LineLabels {
  const stated = new Set<string>();
  let asked = false;
  // The first stop at or after the last label read, and whether its run holds a `?`.
  let stop = -1;
  let question = false;
  for (const match of line.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (end > stop) {
      stop = end;
      while (stop < line.length && !stops.includes(line[stop]!)) stop += 1;
      question = false;
      for (let at = stop; at < line.length && stops.includes(line[at]!); at += 1)
        if (line[at] === '?') question = true;
    }
    if (question) asked = true;
    else stated.add(matchLabel(match[1]!, labels)!);
  }
  return { stated: [...stated], asked };
}

/** Whether a line's text (markup and quotes off) is a question: "Spam?" asks, it does not answer. */
export function asks(text: string): boolean {
  return text.endsWith('?');
}

/** Whether a `?` follows `at` (after closing markup and quotes): the label before it is asked. */
export function askedAfter(text: string, at: number): boolean {
  let next = at;
  while (next < text.length && next - at < 8 && ' \t*"\'`_'.includes(text[next]!)) next += 1;
  return text[next] === '?';
}
