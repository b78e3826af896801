// Optimizer answers a model really gives: a number as the prompt, a text as the descriptions, more
// candidates than asked, JSON after prose with braces. Each is dropped or read with its reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, prizePrompt, project, rarePrompt } from './optimize-project.js';

afterEach(closeServers);

interface Logged {
  rounds: {
    outcome: string;
    candidates: {
      node: string | null;
      validation_accuracy: number | null;
      dropped: string | null;
    }[];
  }[];
}

it('drops a malformed candidate with its reason, and lists the ones past --candidates', async () => {
  const { args, env, dir } = await project([
    {
      candidates: [
        { node: 'Spam', prompt: 123, label_descriptions: { spam: 'prize offers' }, reason: 'a' },
        { node: 'Spam', label_descriptions: 'prize offers', reason: 'b' },
        edit(prizePrompt, 'name prize offers as spam'),
        edit(rarePrompt, 'one more than asked'),
      ],
    },
  ]);
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  // Before: "plexus: prompt.trimEnd is not a function", exit 1, and again on every --resume.
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as Logged;
  const [round] = log.rounds;
  expect(round!.outcome).toBe('accepted');
  expect(round!.candidates.map((candidate) => candidate.dropped)).toEqual([
    '"prompt" is the number 123, not text',
    '"label_descriptions" is the text "prize offers", not {"<label>": "<what it means>"}',
    null,
    'beyond the 3 asked for (--candidates): not evaluated',
  ]);
  // Only the valid one was evaluated (a text as descriptions was, adding "- 0: p" lines).
  expect(round!.candidates.map((candidate) => candidate.validation_accuracy !== null)).toEqual([
    false,
    false,
    true,
    false,
  ]);
  const markdown = readFileSync(join(dir, 'out', 'changelog.md'), 'utf8');
  expect(markdown).toContain('- candidate 4, Spam ("one more than asked"): dropped: beyond the 3');
}, 120_000);

it('says why a candidate that fails on every item scored 0 on validation', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit('prize offers {% include "x" %} {{ text }}', 'reads a file')] },
  ]);
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as Logged;
  // Before: "validation accuracy 0.000, not above the current 0.421", as if it were a bad prompt.
  expect(log.rounds[0]!.candidates[0]!.dropped).toMatch(
    /^validation accuracy 0\.000 \(19 of 19 failed, counted wrong; the first: .+\), not above the current 0\.421$/,
  );
}, 120_000);

it('says the optimizer proposed nothing when its list is empty', async () => {
  const { args, env, dir } = await project([{ candidates: [] }]);
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const markdown = readFileSync(join(dir, 'out', 'changelog.md'), 'utf8');
  // Before: "no candidate validated and beat the current version on validation".
  expect(markdown).toContain('Round 1: the optimizer proposed no candidate.');
  expect(result.stderr).toContain(
    'round 1: no valid candidate: the optimizer proposed no candidate',
  );
}, 120_000);

it("names a graph's prompted nodes when an edit names the graph itself or a logic node", async () => {
  const { args, env, dir } = await project(
    [
      {
        candidates: [
          { node: 'Spam', prompt: prizePrompt, reason: 'the graph itself' },
          { node: 'verdict', prompt: prizePrompt, reason: 'a logic node' },
        ],
      },
    ],
    0,
    true,
  );
  const card = join(dir, 'spam.yaml');
  const logic =
    '      - name: verdict\n        type: logic\n        rules: [{ when: \'nodes["decide"] == "spam"\', label: spam }]\n        otherwise: ham\n';
  writeFileSync(
    card,
    readFileSync(card, 'utf8').replace(
      '    labels: [spam, ham]\n    label_column',
      `${logic}    labels: [spam, ham]\n    label_column`,
    ),
  );
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as Logged;
  // Before: "does not validate: scores[0].prompt: unknown setting "prompt"; known: name, class, ..."
  expect(log.rounds[0]!.candidates.map((candidate) => candidate.dropped)).toEqual([
    '"Spam" is an llm/graph score: name the node to change (its nodes with a prompt: decide)',
    'node "verdict" has no prompt to change (its nodes with a prompt: decide)',
  ]);
}, 120_000);
