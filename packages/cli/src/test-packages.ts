import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';

/** Writes `text` to `name` in `dir` and returns its path (a test's data, scorecards). */
export function fileWriter(dir: string): (name: string, text: string) => string {
  return (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
}

/** Writes a score package named `name` into `<project>/node_modules/<name>` with `index.js` as its source. */
export function writeScorePackage(project: string, name: string, source: string): void {
  const folder = join(project, 'node_modules', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name, type: 'module', exports: './index.js' }),
  );
  writeFileSync(join(folder, 'index.js'), source);
}

/**
 * Writes a third-party score package into `<project>/node_modules/plexus-score-slow`, found by
 * its npm name from a scorecard in `project`. It sleeps `delay_ms` per batch of 10, so a run lasts
 * long enough to be interrupted halfway; the label is the parity of the text.
 */
export function writeSlowPackage(project: string): void {
  writeScorePackage(
    project,
    'plexus-score-slow',
    `const settingsSchema = { safeParse: (value) => ({ success: true, data: value }) };
  export const plugin = {
    specificationVersion: 'v1',
    name: 'plexus-score-slow',
    factories: [{
      specificationVersion: 'v1',
      kind: 'parity',
      settingsSchema,
      create: (settings, env) => ({
        specificationVersion: 'v1', kind: 'plexus-score-slow/parity', name: env.name, labels: ['even', 'odd'],
        fingerprint: 'parity-' + (settings.delay_ms ?? 0), maxBatchSize: 10,
        async doScore({ items, signal }) {
          await new Promise((resolve) => setTimeout(resolve, settings.delay_ms ?? 0));
          signal.throwIfAborted();
          return items.map((item) => ({ value: Number(item.text) % 2 ? 'odd' : 'even', status: 'ok' }));
        },
      }),
    }],
  };
  `,
  );
}

/**
 * Writes a third-party score package into `<project>/node_modules/plexus-score-echo`: it answers
 * the label and confidence written in the text ("yes 0.83").
 */
export function writeEchoPackage(project: string): void {
  writeScorePackage(
    project,
    'plexus-score-echo',
    `export const plugin = {
  specificationVersion: 'v1',
  name: 'plexus-score-echo',
  factories: [{
    specificationVersion: 'v1',
    kind: 'echo',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-echo/echo', name: env.name,
      labels: ['yes', 'no'], fingerprint: 'echo-1',
      async doScore({ items }) {
        return items.map((item) => {
          const [value, confidence] = item.text.split(' ');
          return { value, confidence: Number(confidence), status: 'ok' };
        });
      },
    }),
  }],
};
`,
  );
}

/** The CLI run in this process (`main`), its exit code and what it printed. */
export async function runMain(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTty: false,
  });
  return { code, stdout, stderr };
}
