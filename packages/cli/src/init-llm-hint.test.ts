import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

describe('plexus init --template llm, with the @plexus packages installed', () => {
  it('names the missing node-llama-cpp without the hint about unpublished @plexus packages', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'plexus-init-llm-hint-')), 'my-llm');
    const init = await runMain(['init', folder, '--template', 'llm', '--no-fetch']);
    expect(init.code, init.stderr).toBe(0);
    // In this repository every @plexus package resolves (beside the CLI or from the root), and
    // node-llama-cpp, which pnpm install does not link at the root, does not.
    expect(init.stdout).toContain('install what it needs first: npm install node-llama-cpp\n');
    expect(init.stdout).not.toContain('until @plexus/* is published');
    expect(init.stdout).toContain('next, from');
  });
});
