import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeedbackFile } from './feedback-file.js';

// Reviews saved by a spreadsheet in a form other than comma-separated UTF-8 were told "no column
// item_id, score, label, reviewer, reviewed_at", though every column was there.
const folder = mkdtempSync(join(tmpdir(), 'plexus-feedback-saved-'));
const rows = ['item_id,score,label,reviewer,reviewed_at,comment', '1,Topic,yes,ann,2026-01-01,'];

async function messageOf(name: string, bytes: Buffer): Promise<string> {
  const file = join(folder, name);
  writeFileSync(file, bytes);
  try {
    await readFeedbackFile(file);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('a feedback file saved otherwise than as comma-separated UTF-8', () => {
  it('with semicolons (Excel in many languages) is told its separator', async () => {
    const message = await messageOf(
      'semi.csv',
      Buffer.from(`${rows.map((row) => row.replaceAll(',', ';')).join('\n')}\n`),
    );
    expect(message).toContain('separated by semicolons, not commas');
    expect(message).toContain('CSV UTF-8 (Comma delimited)');
  });

  it('in UTF-16 (Excel\'s "Unicode Text") is told its encoding', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf16le'),
    ]);
    const message = await messageOf('wide.csv', utf16);
    expect(message).toContain('is UTF-16');
    expect(message).toContain('CSV UTF-8');
  });

  it('as comma-separated UTF-8 is read (one review, by hand)', async () => {
    const file = join(folder, 'fine.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    expect((await readFeedbackFile(file)).records).toHaveLength(1);
  });
});
