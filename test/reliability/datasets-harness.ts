// The hostile-datasets tests' shared parts: a work folder with a keywords scorecard, and the
// terminal controls no printed line may carry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workDir } from './harness.js';

export const dir = workDir('hostile-datasets');
export const card = join(dir, 'card.yaml');
writeFileSync(
  card,
  'name: Hostile\nscores:\n  - { name: Greeting, class: heuristic/keywords, labels: [yes, no], phrases: [hello] }\n',
);

/** Terminal controls: C0 but tab and newline, DEL, C1 (the progress line's leading \r aside). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the test
export const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
