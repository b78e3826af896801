import type { ConfusionCell } from './measure.js';

/** Marks an optimizer request (the test server's optimize scenario recognises it). */
export const optimizerMarker = 'PLEXUS-OPTIMIZER-REQUEST';

function cellText(cell: ConfusionCell): string {
  const examples = cell.examples.map(
    (example) =>
      `  - item ${example.id}: ${JSON.stringify(example.text)}${example.explanation ? `\n    model's explanation: ${JSON.stringify(example.explanation)}` : ''}`,
  );
  return [
    `gold "${cell.gold}" answered "${cell.predicted}": ${cell.count} items, for example`,
    ...examples,
  ].join('\n');
}

/** The optimizer's messages: the scorecard, the largest confusions with examples, and the answer's shape. */
export function optimizerPrompt(options: {
  source: string;
  score: string;
  cells: readonly ConfusionCell[];
  candidates: number;
}): { role: string; content: string }[] {
  const system = [
    `${optimizerMarker}`,
    'You improve the prompts of LLM classification scores. You see a scorecard (YAML) and the',
    'largest groups of training items the score got wrong. Propose edits that describe the',
    'misclassified classes better, in general terms: never quote the items.',
    `Answer with JSON only: {"candidates": [{"node": "<score name, or a graph node's name>",`,
    '"prompt": "<the whole new prompt, keeping its {{ text }} placeholder>",',
    '"label_descriptions": {"<label>": "<what it means>"} (optional; added to the prompt),',
    '"reason": "<one line: why this helps>"}]}. Give "prompt", "label_descriptions" or both.',
    `Give at most ${options.candidates} candidates.`,
  ].join('\n');
  const errors =
    options.cells.length === 0
      ? 'The score made no mistakes on the training items.'
      : options.cells.map(cellText).join('\n\n');
  const user = [
    optimizerMarker,
    `Score to improve: "${options.score}".`,
    '',
    'Scorecard:',
    '```yaml',
    options.source.trimEnd(),
    '```',
    '',
    'Largest confusions on the training items:',
    errors,
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
