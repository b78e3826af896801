import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

const spam = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));
const saved = process.env.MLFLOW_TRACKING_URI;
afterEach(() => {
  if (saved === undefined) delete process.env.MLFLOW_TRACKING_URI;
  else process.env.MLFLOW_TRACKING_URI = saved;
});

/** A local port nothing listens on (taken, then let go). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('train --register with MLflow unreachable prints the held-out metrics, then why it is not registered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-train-register-down-'));
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Reg\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: spam.forest.json, trees: 5 }\n',
  );
  process.env.MLFLOW_TRACKING_URI = `http://127.0.0.1:${await deadPort()}`;
  const args = [
    'train',
    card,
    '--data',
    spam,
    '--register',
    '--test-fraction',
    '0.3',
    '--seed',
    '1',
  ];
  const result = await runMain(args);
  expect(result.code).toBe(1);
  // The metrics went with the error: the model was written, and what it measured was not said.
  expect(result.stdout).toContain('Held-out test metrics:');
  expect(result.stdout).toMatch(/Forest +335 +0\.\d{3}/);
  expect(result.stderr).toContain('the model was trained and written but not registered');
});
