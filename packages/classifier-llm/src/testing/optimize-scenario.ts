// A test server mode for `plexus optimize`: the scored model is right only on items whose class the
// prompt describes, and the optimizer model answers with given edits.

/** Marks an optimizer request: the optimizer's prompt contains it (see `plexus optimize`). */
export const optimizerMarker = 'PLEXUS-OPTIMIZER-REQUEST';

export interface OptimizeScenarioOptions {
  /**
   * The optimizer's answers, in order (one per optimizer request; the last repeats): JSON text,
   * e.g. `{"candidates": [{"node": "Spam", "prompt": "...", "reason": "..."}]}`.
   */
  optimizerAnswers: readonly string[];
}

export interface OptimizeScenario {
  /** For `startTestServer({ decide, answer })`. */
  decide: (request: { labels: string[]; text: string }) => string;
  answer: (request: { labels: string[]; text: string; structured: boolean }) => string | undefined;
  /** Optimizer requests answered so far. */
  optimizerRequests(): number;
}

const markerPattern = /\[\[(gold|needs):([^\]]+)\]\]/g;

/**
 * Items carry their class as `[[gold:LABEL]]` and, when the model needs help, `[[needs:PHRASE]]`.
 * The model answers the gold label when the item needs nothing, or when the rest of the prompt
 * (the item's markers left out) contains PHRASE, case-insensitively; otherwise it answers the
 * first other label. Without a gold marker it answers the first label.
 */
function scenarioDecide({ labels, text }: { labels: string[]; text: string }): string {
  const gold = /\[\[gold:([^\]]+)\]\]/.exec(text)?.[1];
  if (!gold) return labels[0] ?? 'NONE';
  const needs = [...text.matchAll(/\[\[needs:([^\]]+)\]\]/g)].map((match) => match[1]!);
  const prompt = text.replace(markerPattern, '').toLowerCase();
  const described = needs.every((phrase) => prompt.includes(phrase.toLowerCase()));
  if (described) return gold;
  return labels.find((label) => label !== gold) ?? gold;
}

/** The scored model and the optimizer model of an optimize test (see `OptimizeScenarioOptions`). */
export function optimizeScenario(options: OptimizeScenarioOptions): OptimizeScenario {
  let answered = 0;
  return {
    decide: scenarioDecide,
    answer: ({ text }) => {
      if (!text.includes(optimizerMarker)) return undefined;
      const index = Math.min(answered, options.optimizerAnswers.length - 1);
      answered += 1;
      return options.optimizerAnswers[index] ?? '{"candidates": []}';
    },
    optimizerRequests: () => answered,
  };
}
