import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, type PluginV1, parseScorecard, type RunSummary } from '@plexus/core';

/**
 * A score for tests of the viewer: it answers the item's `guess` column (`FAIL`: an error) with
 * a JSON explanation quoting the text and a trace of what it was "asked", as LLM scores do.
 */
export const guessPlugin: PluginV1 = {
  specificationVersion: 'v1',
  name: 'echo',
  factories: [
    {
      specificationVersion: 'v1',
      kind: 'guess',
      settingsSchema: { safeParse: (value: unknown) => ({ success: true, data: value }) } as never,
      create: (_settings, env) => ({
        specificationVersion: 'v1',
        kind: 'echo/guess',
        name: env.name,
        labels: env.labels,
        fingerprint: 'echo',
        maxBatchSize: 64,
        async doScore({ items }) {
          return items.map((item) =>
            item.metadata.guess === 'FAIL'
              ? {
                  value: null,
                  status: 'error' as const,
                  error: { message: `failed on ${item.text}` },
                }
              : {
                  value: String(item.metadata.guess),
                  status: 'ok' as const,
                  confidence: 0.75,
                  explanation: JSON.stringify({ label: item.metadata.guess, quote: item.text }),
                  trace: {
                    prompts: [
                      {
                        messages: [{ role: 'user', content: `Classify: ${item.text}` }],
                        answer: String(item.metadata.guess),
                      },
                    ],
                  },
                },
          );
        },
      }),
    },
  ],
};

export interface TestRow {
  id: string;
  text: string;
  gold: string;
  guess: string;
}

function csvField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Writes a dataset and scores it into `root/name` with one score, `Intent`, answering `guess`. */
export async function writeTestRun(
  root: string,
  name: string,
  rows: readonly TestRow[],
  options: { scorecard?: string; labels?: readonly string[]; now?: () => Date } = {},
): Promise<RunSummary> {
  const data = join(root, `${name}.csv`);
  const lines = rows.map((row) =>
    [csvField(row.id), csvField(row.text), csvField(row.guess), csvField(row.gold)].join(','),
  );
  writeFileSync(data, `id,text,guess,Intent\n${lines.join('\n')}\n`);
  const labels = options.labels ?? [...new Set(rows.map((row) => row.gold))];
  const file = join(root, `${name}.yaml`);
  const source = `name: ${JSON.stringify(options.scorecard ?? 'Intents')}\nscores:\n  - name: Intent\n    class: echo/guess\n    labels: ${JSON.stringify(labels)}\n`;
  writeFileSync(file, source);
  const scorecard = await parseScorecard(source, { file, plugins: [guessPlugin], cacheDir: root });
  return evaluate({
    scorecard,
    data,
    outDir: join(root, 'runs', name),
    cache: false,
    now: options.now,
  });
}
