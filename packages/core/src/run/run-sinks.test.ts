import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import type { RunSinkV1, RunStartV1, RunSummaryV1 } from '../spec/run-sink-spec.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { type ExternalLine, externalResults } from './external-results.js';
import type { ResultLine } from './result-line.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-sinks-'));
const data = join(folder, 'data.csv');
writeFileSync(
  data,
  `id,text,Card,Lost\n${Array.from({ length: 40 }, (_, index) => `i${index},${index % 2 ? 'lost card' : 'hello'} ${index},${index % 2 ? 'yes' : 'no'},${index % 3 ? 'yes' : 'no'}`).join('\n')}\n`,
);
const yaml = `name: Sinks
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: lost, depends_on: { Card: { operator: "==", value: "yes" } } }
`;

function card() {
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  return parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
}

function stored(dir: string): ResultLine[] {
  return readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
}

/** A user's sink, written as a library user would: it records every call in order. */
function recordingSink() {
  const calls: string[] = [];
  const restored: ResultLine[] = [];
  const added: ResultLine[] = [];
  let start: RunStartV1 | undefined;
  let summary: RunSummaryV1 | undefined;
  const sink: RunSinkV1 = {
    specificationVersion: 'v1',
    name: 'recorder',
    begin(run) {
      calls.push('begin');
      start = run;
    },
    restore(line) {
      calls.push('restore');
      restored.push(line);
    },
    add(line) {
      calls.push('add');
      added.push(line);
    },
    finish(end) {
      calls.push('finish');
      summary = end;
    },
  };
  return { sink, calls, restored, added, start: () => start, summary: () => summary };
}

describe('sinks attached to evaluate()', () => {
  it('a custom sink receives every line the run folder stores, begin first and finish last', async () => {
    const out = join(folder, 'custom');
    const recorder = recordingSink();
    const summary = await evaluate({
      scorecard: await card(),
      data,
      outDir: out,
      cache: false,
      sinks: [recorder.sink],
    });
    const lines = stored(out);
    // 40 items x Card, and Lost on the 20 card items (the other 20 skipped): 80 lines.
    expect(lines).toHaveLength(80);
    expect(recorder.added).toEqual(lines);
    expect(recorder.calls[0]).toBe('begin');
    expect(recorder.calls.at(-1)).toBe('finish');
    expect(recorder.calls.filter((call) => call === 'add')).toHaveLength(80);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(recorder.start()).toMatchObject({
      id: run.id,
      dir: out,
      resumed: false,
      scorecard: { name: 'Sinks', key: run.scorecard.key, hash: run.scorecard.hash },
      fingerprints: run.fingerprints,
      data: { path: data },
    });
    // finish sees the closed folder: the summary is what evaluate returns and run.json ended with.
    expect(recorder.summary()).toBe(summary);
    expect(summary).toMatchObject({ id: run.id, status: 'completed', items: 40, results: 80 });
    expect(summary.data.sha256).toBe(run.data.sha256);
    expect(summary.report).toBe(join(out, 'report.html'));
    // Independent count: every stored line judged correct by hand from the CSV's gold.
    const correct = lines.filter((line) => line.correct === true).length;
    expect(recorder.added.filter((line) => line.correct === true)).toHaveLength(correct);
  });

  it('on resume, the kept lines go to restore and the new ones to add: together the whole file', async () => {
    const out = join(folder, 'resumed');
    await evaluate({ scorecard: await card(), data, outDir: out, cache: false });
    const path = join(out, 'results.jsonl');
    const full = readFileSync(path, 'utf8');
    truncateSync(path, full.split('\n').slice(0, 30).join('\n').length + 1);
    const recorder = recordingSink();
    const summary = await evaluate({
      scorecard: await card(),
      resumeDir: out,
      cache: false,
      sinks: [recorder.sink],
    });
    expect(summary.status).toBe('completed');
    expect(recorder.restored).toHaveLength(30);
    expect(recorder.added).toHaveLength(50);
    expect([...recorder.restored, ...recorder.added]).toEqual(stored(out));
    expect(recorder.calls.indexOf('restore')).toBeGreaterThan(recorder.calls.indexOf('begin'));
    expect(recorder.calls.lastIndexOf('restore')).toBeLessThan(recorder.calls.indexOf('add'));
    expect(recorder.start()).toMatchObject({ resumed: true, data: { path: data } });
  });

  it('waits for a slow sink before the next line (back-pressure) and keeps the order', async () => {
    const out = join(folder, 'slow');
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const slow: RunSinkV1 = {
      specificationVersion: 'v1',
      name: 'slow',
      async add(line) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(`${line.item_id}:${line.score}`);
        inFlight -= 1;
      },
    };
    // A synchronous sink after the slow one sees each line only once the slow one finished it.
    const after: string[] = [];
    const next: RunSinkV1 = {
      specificationVersion: 'v1',
      name: 'next',
      add: (line) => {
        after.push(`${line.item_id}:${line.score}`);
        expect(seen.at(-1)).toBe(`${line.item_id}:${line.score}`);
      },
    };
    await evaluate({
      scorecard: await card(),
      data,
      outDir: out,
      cache: false,
      sinks: [slow, next],
    });
    expect(most).toBe(1);
    const order = stored(out).map((line) => `${line.item_id}:${line.score}`);
    expect(seen).toEqual(order);
    expect(after).toEqual(order);
  });

  it('refuses an object that is not a RunSinkV1 before the run folder is made', async () => {
    const out = join(folder, 'refused');
    const notASink = { specificationVersion: 'v2', name: 'future', add() {} };
    await expect(
      evaluate({
        scorecard: await card(),
        data,
        outDir: out,
        sinks: [notASink as unknown as RunSinkV1],
      }),
    ).rejects.toThrow(InvalidConfigError);
    await expect(
      evaluate({ scorecard: await card(), data, outDir: out, sinks: [notASink as never] }),
    ).rejects.toThrow(/sinks\[0\] \(future\): not a RunSinkV1/);
    expect(() => readFileSync(join(out, 'run.json'))).toThrow();
  });

  it('results computed elsewhere come in through the external-results item source', async () => {
    const source = join(folder, 'computed');
    await evaluate({ scorecard: await card(), data, outDir: source, cache: false });
    const computed = stored(source);
    async function* elsewhere(): AsyncGenerator<ExternalLine> {
      yield { problem: { line: 7, message: 'unreadable row' } };
      for (const line of computed) yield line;
    }
    const out = join(folder, 'external');
    const recorder = recordingSink();
    const summary = await evaluate({
      scorecard: await card(),
      data,
      outDir: out,
      items: externalResults(elsewhere()),
      sinks: [recorder.sink],
    });
    expect(stored(out)).toEqual(computed);
    expect(recorder.added).toEqual(computed);
    expect(summary).toMatchObject({
      status: 'completed',
      items: 40,
      results: 80,
      malformedRows: 1,
    });
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    // The dataset is hashed for provenance though Spark, not this process, read it.
    expect(run.data.sha256).toBe(
      JSON.parse(readFileSync(join(source, 'run.json'), 'utf8')).data.sha256,
    );
    expect(run.data.rows).toBe(41);
    expect(readFileSync(join(out, 'dataset-errors.jsonl'), 'utf8')).toContain('unreadable row');
  });
});

describe('a sink whose finish throws', () => {
  it('does not keep the sinks after it from finishing; evaluate then throws its error', async () => {
    const out = join(folder, 'finish-throws');
    const recorder = recordingSink();
    const throwing: RunSinkV1 = {
      specificationVersion: 'v1',
      name: 'throws at the end',
      add() {},
      finish() {
        throw new Error('cannot upload');
      },
    };
    await expect(
      evaluate({
        scorecard: await card(),
        data,
        outDir: out,
        cache: false,
        sinks: [throwing, recorder.sink],
      }),
    ).rejects.toThrow('cannot upload');
    expect(recorder.summary()).toMatchObject({ status: 'completed', results: 80 });
    // The run folder was complete before any finish.
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('completed');
    expect(stored(out)).toHaveLength(80);
  });
});
