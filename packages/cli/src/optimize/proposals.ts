import { join } from 'node:path';
import { redact } from '@plexus/core';
import { buildCandidates, type Candidate, parseEdits, recordedEdit } from './candidates.js';
import { largestConfusions, type Measurement } from './measure.js';
import { askOptimizer, type OptimizerEndpoint, worstCaseUsd } from './optimizer-client.js';
import { optimizerPrompt } from './prompt.js';

/** What a round needs to ask the optimizer and build its candidates. */
export interface ProposalSettings {
  file: string;
  score: string;
  outDir: string;
  candidates: number;
  endpoint: OptimizerEndpoint;
  answerSchema?: object;
  spendOptimizer: (answer: { key: string; usd: number | null; cached: boolean }) => void;
  checkBudget: () => void;
  /** Throws when a call that may cost `usd` (null: unknown) does not fit in what is left. */
  reserve: (usd: number | null, what: string) => void;
}

/** The optimizer asked once (from the train errors), its edits built into candidates or dropped. */
export async function proposals(settings: ProposalSettings, source: string, train: Measurement) {
  settings.checkBudget();
  const cells = largestConfusions(train.lines, 3, 5);
  // The optimizer is a third party: the scorecard goes to it without its credentials (a key in
  // base_url's query, a URL password, any secret registered), as everything Plexus writes does.
  const messages = optimizerPrompt({
    source,
    score: settings.score,
    cells,
    candidates: settings.candidates,
  }).map((message) => ({ ...message, content: redact(message.content) }));
  const { endpoint } = settings;
  const answer = await askOptimizer(
    endpoint,
    messages,
    join(settings.outDir, 'optimizer-cache'),
    settings.answerSchema,
    () =>
      settings.reserve(
        endpoint.provider === 'llama-cpp' ? 0 : worstCaseUsd(endpoint, messages),
        'the optimizer call',
      ),
  );
  settings.spendOptimizer({ key: answer.key, usd: answer.paidUsd, cached: answer.cached });
  const parsed = parseEdits(answer.content);
  const candidates: Candidate[] = await buildCandidates({
    edits: parsed.edits.slice(0, settings.candidates),
    source,
    file: settings.file,
    score: settings.score,
  });
  // Edits past --candidates are listed, not left out in silence (one may be the answer's best).
  for (const value of parsed.edits.slice(settings.candidates))
    candidates.push({
      edit: recordedEdit(value),
      dropped: `beyond the ${settings.candidates} asked for (--candidates): not evaluated`,
    });
  return { candidates, problem: parsed.problem };
}
