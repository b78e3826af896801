import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a third-party score package into `<project>/node_modules/plexus-score-slow`, found by
 * its npm name from a scorecard in `project`. It sleeps `delay_ms` per batch of 10, so a run lasts
 * long enough to be interrupted halfway; the label is the parity of the text.
 */
export function writeSlowPackage(project: string): void {
  const slowPackage = join(project, 'node_modules', 'plexus-score-slow');
  mkdirSync(slowPackage, { recursive: true });
  writeFileSync(
    join(slowPackage, 'package.json'),
    JSON.stringify({ name: 'plexus-score-slow', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(slowPackage, 'index.js'),
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
