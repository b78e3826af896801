import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigProblem, formatProblem, InvalidConfigError } from '../common/errors.js';
import { definePlugin, defineScoreFactory } from '../spec/score-spec.js';
import { parseScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-gold-reads-'));
const file = join(folder, 'card.yaml');
const data = join(folder, 'data.csv');
writeFileSync(
  data,
  'id,text,Spam,Urgent,channel\n1,win money,spam,no,sms\n2,hi mom,ham,yes,email\n',
);

/** A score that reads one dataset field, declared as real kinds declare theirs (`needs`). */
const readerFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'reader',
  settingsSchema: z.object({ field: z.string() }).strict(),
  outputLabels: (_settings, env) => env.labels,
  needs: (settings) => ({ fields: [{ path: 'field', name: settings.field }] }),
  create: (_settings, env) => ({
    specificationVersion: 'v1',
    kind: 'test/reader',
    name: env.name,
    fingerprint: 'reader',
    doScore: async ({ items }) => items.map(() => ({ value: 'spam', status: 'ok' as const })),
  }),
});
const plugins = [
  definePlugin({ specificationVersion: 'v1', name: 'test', factories: [readerFactory] }),
];

async function check(source: string): Promise<{ problems: string[]; warnings: string[] }> {
  const warnings: ConfigProblem[] = [];
  try {
    await parseScorecard(source, {
      file,
      displayName: 'card.yaml',
      plugins,
      cacheDir: folder,
      checkData: data,
      onWarning: (warning) => warnings.push(warning),
    });
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    return { problems: error.problems.map(formatProblem), warnings: warnings.map(formatProblem) };
  }
  return { problems: [], warnings: warnings.map(formatProblem) };
}

describe('scores that read a gold label column', () => {
  it('refuses a score that reads its own gold label (its accuracy would come from the answer key)', async () => {
    const { problems } = await check(`name: Leak
scores:
  - name: Spam
    class: test/reader
    labels: [spam, ham]
    field: Spam
`);
    expect(problems).toEqual([
      'card.yaml:6:12: scores[0].field: reads column "Spam", the gold label of "Spam" itself: its answers would come from the answer key and its accuracy would mean nothing. Stop reading field "Spam" here, or measure the score against another column (label_column)',
    ]);
  });

  it('refuses it through label_column and a nested field too', async () => {
    const { problems } = await check(`name: Leak
scores:
  - name: Junk
    class: test/reader
    labels: [spam, ham]
    label_column: Spam
    field: Spam.first
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('reads column "Spam", the gold label of "Junk" itself');
  });

  it("warns when a score reads another score's gold label, and says nothing of other columns", async () => {
    const { problems, warnings } = await check(`name: Two
scores:
  - name: Spam
    class: test/reader
    labels: [spam, ham]
    field: Urgent
  - name: Urgent
    class: test/reader
    labels: [yes, no]
    field: channel
`);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      'card.yaml:6:12: scores[0].field: reads column "Urgent", the gold label of score "Urgent": "Spam" sees that answer key. Fine when the column is an input you will also have when scoring new items; otherwise the metrics of "Spam" are better than it will be',
    ]);
  });

  it('leaves a score whose gold comes from reviews alone', async () => {
    const { problems } = await check(`name: Reviews
scores:
  - name: Spam
    class: test/reader
    labels: [spam, ham]
    gold: feedback
    field: Spam
`);
    expect(problems).toEqual([]);
  });
});
