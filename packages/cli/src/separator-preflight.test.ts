// A semicolon CSV whose columns do not name "text" (`Message ID;Message;Label`) was told at
// validate and evaluate `no "text" column; columns are: Message ID;Message;Label. Set
// data.text_column`: no setting reads it. Both say the separator, how to save the file, and then
// which column to name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const write = fileWriter(mkdtempSync(join(tmpdir(), 'plexus-separator-preflight-')));
const data = write('sms.csv', 'Message ID;Message;Label\n1;hello there;ham\n2;win cash now;spam\n');
const card = write(
  'card.yaml',
  'name: Semi\nscores:\n  - { name: Spam Words, class: heuristic/keywords, labels: [spam, ham], phrases: [win] }\n',
);

it('validate and evaluate name the separator of a one-column header, and the column to set', async () => {
  for (const command of ['validate', 'evaluate']) {
    const out = command === 'evaluate' ? ['--out', `${data}-run`] : [];
    const run = await runMain([command, card, '--data', data, ...out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('its names are separated by semicolons, not commas');
    expect(run.stderr).toContain('save it as "CSV UTF-8 (Comma delimited)"');
    expect(run.stderr).toContain(
      'then set data.text_column to one of its columns (Message ID, Message, Label)',
    );
    expect(run.stderr).not.toContain('Set data.text_column in the scorecard');
  }
});
