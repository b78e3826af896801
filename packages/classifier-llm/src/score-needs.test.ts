import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem, InvalidConfigError, parseScorecard } from '@plexus/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { templateVariables } from './score-needs.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-llm-needs-'));
const data = join(folder, 'calls.csv');
writeFileSync(data, 'id,text,agent_name,label\n1,hello,Ann,yes\n');

async function problemsOf(source: string, checkData?: string): Promise<string[]> {
  try {
    await parseScorecard(source, {
      file: join(folder, 'card.yaml'),
      displayName: 'card.yaml',
      plugins: [plugin],
      cacheDir: folder,
      checkData,
    });
    return [];
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    return error.problems.map(formatProblem);
  }
}

const local = 'base_url: http://127.0.0.1:9/v1';
let savedKey: string | undefined;
beforeEach(() => {
  savedKey = process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_API_KEY;
});
afterEach(() => {
  if (savedKey !== undefined) process.env.OPENAI_API_KEY = savedKey;
});

describe('what LLM scores read, checked before a run', () => {
  it('lists the variables a template reads from outside, not the ones it assigns', () => {
    expect(
      templateVariables(
        '{{ txt }} {{ metadata.x }} {{ results["S"].value }} {% for t in metadata.turns %}{{ t.a }}{% endfor %}{% assign z = text %}{{ z }}',
      ),
    ).toEqual([
      ['txt'],
      ['metadata', 'x'],
      ['metadata', 'turns'],
      ['results', 'S', 'value'],
      ['text'],
    ]);
    expect(templateVariables('{{ unclosed')).toBeUndefined();
  });

  it('refuses {{ txt }} in a prompt, with a did-you-mean', async () => {
    const problems = await problemsOf(`name: X
scores:
  - name: A
    class: llm/classifier
    labels: [yes, no]
    model: gpt-4o-mini
    ${local}
    prompt: "Is this polite? {{ txt }}"
`);
    expect(problems).toEqual([
      'card.yaml:8:13: scores[0].prompt: {{ txt }} is not a template variable; did you mean {{ text }}? (variables: text, metadata, results, id; dataset columns are metadata.<column>)',
    ]);
  });

  it('checks metadata fields against the dataset and results against the scores', async () => {
    const card = `name: X
scores:
  - name: Base
    class: llm/classifier
    labels: [yes, no]
    model: m
    ${local}
    prompt: "{{ text }}"
  - name: A
    class: llm/graph
    labels: [yes, no]
    model: m
    ${local}
    depends_on: [Base]
    nodes:
      - name: ask
        type: classifier
        labels: [yes, no]
        prompt: "{{ metadata.agentname }} said {{ text }}; base said {{ results.Bsae.value }}"
`;
    expect(await problemsOf(card, data)).toEqual([
      'card.yaml:19:17: scores[1].nodes[0].prompt: results["Bsae"]: no score named "Bsae"; did you mean "Base"?',
      `card.yaml:19:17: scores[1].nodes[0].prompt: no column "agentname" for metadata field "agentname" in ${data}; did you mean "agent_name"? (columns: id, text, agent_name, label)`,
    ]);
  });

  it('says which environment variable to set when a provider needs a key', async () => {
    const problems = await problemsOf(`name: X
scores:
  - name: A
    class: llm/classifier
    labels: [yes, no]
    model: gpt-4o-mini
    prompt: "{{ text }}"
  - name: B
    class: llm/classifier
    labels: [yes, no]
    provider: huggingface
    api_key_env: MY_HF_TOKEN_FOR_TESTS
    model: some/model
    prompt: "{{ text }}"
`);
    expect(problems).toEqual([
      'card.yaml:3:5: scores[0].provider: the OpenAI API needs a key (or set base_url for a local server): set OPENAI_API_KEY in the environment',
      'card.yaml:12:18: scores[1].api_key_env: Hugging Face needs a key (or set base_url for a local server): set MY_HF_TOKEN_FOR_TESTS in the environment',
    ]);
    process.env.OPENAI_API_KEY = 'sk-test';
    process.env.MY_HF_TOKEN_FOR_TESTS = 'hf-test';
    try {
      expect(
        await problemsOf(
          'name: X\nscores:\n  - name: A\n    class: llm/classifier\n    labels: [yes, no]\n    model: gpt-4o-mini\n    prompt: "{{ text }}"\n',
        ),
      ).toEqual([]);
    } finally {
      delete process.env.MY_HF_TOKEN_FOR_TESTS;
    }
  });
});
