import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { agreementFile } from './agreement-section.js';
import { writeReport } from './write-report.js';

describe('the report with agreement from reviewers', () => {
  it('shows each reviewed score its alpha, kappa, human ceiling and model vs majority', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-agreement-report-'));
    const data = join(folder, 'data.csv');
    writeFileSync(data, 'id,text,Card\n1,card,yes\n2,hello,no\n');
    const yaml = 'name: Agreement\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({ scorecard, data, outDir: out, cache: false });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('<h3>Reviewers');
    const pair = { n: 12, accuracy: 0.75, cohen_kappa: 0.5, gwet_ac1: 0.6 };
    writeFileSync(
      join(out, agreementFile),
      JSON.stringify({
        computed_at: '2026-12-06T18:00:00.000Z',
        scores: {
          Card: {
            items: 14,
            reviewers: 3,
            krippendorff_alpha: 0.6789,
            fleiss_kappa: null,
            human_ceiling: pair,
            model_vs_majority: null,
          },
        },
      }),
    );
    const html = readFileSync(await writeReport(out), 'utf8');
    expect(html).toContain("14 items, 3 reviewers; Krippendorff's alpha 0.679, Fleiss' kappa —");
    expect(html).toContain(
      '<td class="number">12</td><td class="number">0.750</td><td class="number">0.500</td><td class="number">0.600</td>',
    );
    expect(html).toMatch(/model vs reviewers’ majority<\/td><td colspan="4">—/);
  });
});
