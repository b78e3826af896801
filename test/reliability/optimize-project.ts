// Shared by the optimize tests: a project (items, scorecard, test server in its optimize scenario)
// and readers of the changelog.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { optimizeScenario, startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { workDir } from './harness.js';

export const basePrompt = 'Is this SMS spam or ham?\n\nSMS: {{ text }}';
export const prizePrompt = `Spam includes prize offers. ${basePrompt}`;
export const rarePrompt = `Spam includes prize offers and rare lottery codes. ${basePrompt}`;

export type Kind = 'ham' | 'prize' | 'rare';
/** 40 ham (always right), 50 prize spam (right once the prompt names prize offers), 5 rare spam. */
export const kinds: Kind[] = [
  ...Array<Kind>(40).fill('ham'),
  ...Array<Kind>(50).fill('prize'),
  ...Array<Kind>(5).fill('rare'),
];
const markers: Record<Kind, string> = {
  ham: '[[gold:ham]] see you at six',
  prize: '[[gold:spam]] [[needs:prize offers]] you won, call now',
  rare: '[[gold:spam]] [[needs:rare lottery codes]] code 7731 wins',
};

const servers: TestServer[] = [];
/** Closes the test servers `project` started (call it in `afterEach`). */
export async function closeServers(): Promise<void> {
  for (const server of servers.splice(0)) await server.close();
}

export function edit(prompt: string, reason: string) {
  return { node: 'Spam', prompt, reason };
}

/** The score's lines: an llm/classifier, or an llm/graph whose one classifier node is "decide". */
function scoreLines(graph: boolean): string[] {
  if (!graph) return ['    class: llm/classifier', `    prompt: ${JSON.stringify(basePrompt)}`];
  return [
    '    class: llm/graph',
    '    nodes:',
    '      - name: decide',
    '        type: classifier',
    '        labels: [spam, ham]',
    `        prompt: ${JSON.stringify(basePrompt)}`,
  ];
}

/**
 * `customColumns`: the items' id and text are in `key` and `body`, named by the scorecard's `data`.
 * `name`: the scorecard's file name, without `.yaml` (MLflow's experiment is `plexus/<name>`).
 */
export async function project(
  answers: object[],
  latencyMs = 0,
  graph = false,
  customColumns = false,
  name = 'spam',
) {
  const scenario = optimizeScenario({
    optimizerAnswers: answers.map((answer) => JSON.stringify(answer)),
  });
  const server = await startTestServer({
    decide: scenario.decide,
    answer: scenario.answer,
    latencyMs,
  });
  servers.push(server);
  const dir = workDir('optimize');
  const rows = kinds.map((kind, index) =>
    JSON.stringify({
      [customColumns ? 'key' : 'id']: `i${index}`,
      [customColumns ? 'body' : 'text']: `${markers[kind]} #${index}`,
      label: kind === 'ham' ? 'ham' : 'spam',
    }),
  );
  writeFileSync(join(dir, 'items.jsonl'), `${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, `${name}.yaml`),
    [
      'name: Spam check',
      ...(customColumns ? ['data: { id_column: key, text_column: body, format: jsonl }'] : []),
      'scores:',
      '  - name: Spam',
      ...scoreLines(graph),
      '    labels: [spam, ham]',
      '    label_column: label',
      '    model: test-model',
      `    base_url: ${server.url}`,
      '    pricing: { input_per_million: 1, output_per_million: 2 }',
      '    max_concurrency: 4',
      '',
    ].join('\n'),
  );
  const args = (out: string) => [
    'optimize',
    join(dir, `${name}.yaml`),
    '--score',
    'Spam',
    '--data',
    join(dir, 'items.jsonl'),
    '--optimizer-model',
    'test-optimizer',
    '--optimizer-base-url',
    server.url,
    '--optimizer-price',
    '1,2',
    '--out',
    join(dir, out),
    '--candidates',
    '3',
  ];
  const env = {
    PLEXUS_CACHE_DIR: join(dir, 'cache'),
    OPENAI_API_KEY: 'sk-test-optimize',
    MLFLOW_TRACKING_URI: '',
  };
  return { scenario, server, dir, args, env };
}

export interface Entry {
  round: number;
  outcome: string;
  version: string | null;
  p_value: number | null;
  metrics: { holdout: { current: number | null; candidate: number | null; items: number | null } };
  dropped: { node: string | null; reason: string }[];
}

export function readLog(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'changelog.json'), 'utf8')) as {
    rounds: Entry[];
    spent_usd: number | null;
  };
}

/** Holdout items of each kind, counted from split.json (independent of the changelog). */
