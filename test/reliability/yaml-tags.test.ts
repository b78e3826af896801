import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

// A tag YAML does not know (`!Ref`, a CloudFormation habit; `!!python/object/apply:os.system`) was
// dropped in silence and the value after it read as if it were not there: the scorecard was valid.
describe('a scorecard with a YAML tag Plexus does not read', () => {
  it.each([
    ['!Ref', '!Ref Greeting'],
    ['!!python/object/apply:os.system', '!!python/object/apply:os.system [ls]'],
  ])('is refused at the tag, naming it: %s', async (tag, value) => {
    const dir = workDir('yaml-tags');
    writeFileSync(join(dir, 'd.csv'), 'id,text,label\n1,free,yes\n');
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      `name: T\nkey: t\ndata:\n  path: d.csv\nscores:\n  - name: S\n    class: heuristic/keywords\n    phrases: [free]\n    description: ${value}\n    label_column: label\n`,
    );
    const run = await runCli(['validate', card]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('card.yaml:9:18:');
    expect(run.stderr).toContain(`the YAML tag ${tag} is not one Plexus reads`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
