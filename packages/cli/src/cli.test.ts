import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileWriter, writeSlowPackage } from './test-packages.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-cli-'));
const write = fileWriter(project);

writeSlowPackage(project);

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const numbers = write(
  'numbers.csv',
  `id,text,Parity\n${Array.from({ length: 4000 }, (_, index) => `n${index},${index},${index % 2 ? 'odd' : 'even'}`).join('\n')}\n`,
);
const slowCard = write(
  'slow.yaml',
  `name: Slow
scores:
  - { name: Parity, class: plexus-score-slow/parity, labels: [even, odd], delay_ms: 25 }
  - { name: Long, class: heuristic/keywords, phrases: ["1"], whole_word: false, depends_on: [Parity] }
`,
);

/**
 * The (item, score) of each whole line of results.jsonl. A SIGKILL during a write leaves the part
 * written (Linux stops between pages, and the file grows page by page while the test watches its
 * size): that last line, without its newline, is no result, as for `--resume`.
 */
function resultKeys(dir: string): string[] {
  const text = readFileSync(join(dir, 'results.jsonl'), 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parsed = JSON.parse(line) as { item_id: string; score: string };
      return `${parsed.item_id}:${parsed.score}`;
    });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resumes a cut-short slow run: it completes with exactly one result per item and score. */
function expectResumedToCompletion(out: string): void {
  const resumed = run([
    'evaluate',
    slowCard,
    '--data',
    numbers,
    '--resume',
    out,
    '--json',
    '--no-cache',
  ]);
  expect(resumed.code).toBe(0);
  const summary = JSON.parse(resumed.stdout);
  expect(summary).toMatchObject({ status: 'completed', items: 4000, results: 8000, errors: 0 });
  expect(summary.scores.Parity).toMatchObject({ n: 4000, n_results: 4000, accuracy: 1 });
  const keys = resultKeys(out);
  expect(keys).toHaveLength(8000);
  expect(new Set(keys).size).toBe(8000);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('plexus', () => {
  it('prints help and exits 0; unknown flags exit 2', () => {
    expect(run(['--help'])).toMatchObject({ code: 0 });
    expect(run(['evaluate', '--help']).stdout).toMatch(/--resume <dir>/);
    const bad = run(['evaluate', 'x.yaml', '--limt', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown option '--limt'/);
    expect(run(['evaluate', 'x.yaml', '--limit', 'many']).stderr).toMatch(
      /--limit: expected a whole number >= 1, got "many"/,
    );
  });

  it('validate lists an unknown class, a setting typo and a cycle with lines, exit 2', () => {
    const card = write(
      'broken.yaml',
      `name: Broken
scores:
  - name: Greeting
    class: heuristic/keywordz
    phrases: [hello]
  - name: Help
    class: heuristic/keywords
    phrases: [help]
    speeker: agent
  - name: A
    class: heuristic/keywords
    phrases: [a]
    depends_on: [B]
  - name: B
    class: heuristic/keywords
    phrases: [b]
    depends_on: [A]
`,
    );
    const result = run(['validate', card]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('3 problems:');
    expect(result.stderr).toContain(
      `${card}:4:12: scores[0].class: unknown kind "keywordz" in @plexus/classifier-heuristic; it provides: keywords, regex, threshold, logic`,
    );
    expect(result.stderr).toContain(
      `${card}:9:5: scores[1].speeker: unknown setting "speeker"; did you mean "speaker"?`,
    );
    expect(result.stderr).toContain(
      `${card}:13:17: scores[2].depends_on: dependency cycle: A → B → A`,
    );
  });

  it('evaluate finishes past a broken CSV row, reports its line and scores every other item', () => {
    const data = write(
      'calls.csv',
      'id,text,Greeting\n1,"Agent: hello, Harper Valley Bank",yes\n2,"Agent: "hi" there",no\n3,Agent: good morning,no\n4,x,y,z\n5,Agent: welcome to harper valley,yes\n',
    );
    const card = write(
      'greeting.yaml',
      'name: Greeting\nscores:\n  - { name: Greeting, class: heuristic/keywords, phrases: [harper valley], speaker: agent }\n',
    );
    const out = join(project, 'run-broken');
    const result = run(['evaluate', card, '--data', data, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `${data}:3: row skipped: unexpected "h" after a closing quote on line 3`,
    );
    expect(result.stderr).toContain(`${data}:5: row skipped: has 4 fields, the header has 3`);
    expect(result.stdout).toMatch(/Greeting\s+3\s+1\.000\s+1\.000\s+1\.000\s+0\s+0\s+0\s+0\.0000/);
    expect(result.stdout).toContain('3 items, 3 results, 0 errors, 2 rows skipped');
    expect(resultKeys(out).sort()).toEqual(['1:Greeting', '3:Greeting', '5:Greeting']);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'completed', counts: { items: 3, malformed_rows: 2 } });
    expect(readFileSync(join(out, 'dataset-errors.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      2,
    );
  });

  it('evaluate exits 2 naming the fix when there is no dataset or no text column', () => {
    const card = write(
      'nodata.yaml',
      'name: N\nscores:\n  - { name: A, class: heuristic/keywords, phrases: [x] }\n',
    );
    expect(run(['evaluate', card])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--data: no dataset: pass --data FILE or set data.path/),
    });
    const data = write('body.csv', 'id,body\n1,x\n');
    expect(
      run(['evaluate', card, '--data', data, '--out', join(project, 'run-nodata')]),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /no "text" column; columns are: id, body\. Set data.text_column/,
      ),
    });
  });

  it('resumes a run killed with SIGKILL: every item has exactly one result per score', async () => {
    const out = join(project, 'run-killed');
    const child = spawn(
      process.execPath,
      [bin, 'evaluate', slowCard, '--data', numbers, '--out', out, '--quiet', '--no-cache'],
      { cwd: project, stdio: 'ignore' },
    );
    const results = join(out, 'results.jsonl');
    await waitFor(() => existsSync(results) && statSync(results).size > 60_000, 20_000);
    child.kill('SIGKILL');
    await exited(child);
    const before = resultKeys(out).length;
    expect(before).toBeGreaterThan(100);
    expect(before).toBeLessThan(8000);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('running');
    expectResumedToCompletion(out);
  });

  it('stops gracefully on SIGINT, marks the run interrupted, and resumes', async () => {
    const out = join(project, 'run-interrupted');
    const child = spawn(
      process.execPath,
      [bin, 'evaluate', slowCard, '--data', numbers, '--out', out, '--quiet', '--no-cache'],
      { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const results = join(out, 'results.jsonl');
    await waitFor(() => existsSync(results) && statSync(results).size > 30_000, 20_000);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain(
      `Run interrupted; continue it with: plexus evaluate ${slowCard} --resume ${out}`,
    );
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('interrupted');
    expectResumedToCompletion(out);
  });

  it('compares runs of two scorecards over the same data and names the significant difference', () => {
    const exact = write(
      'parity-exact.yaml',
      'name: Exact\nscores:\n  - { name: Parity, class: plexus-score-slow/parity, labels: [even, odd] }\n',
    );
    const guess = write(
      'parity-guess.yaml',
      'name: Guess\nscores:\n  - { name: Parity Guess, class: heuristic/regex, patterns: ["[13]$"], labels: [odd, even], label_column: Parity }\n',
    );
    const sample = ['--data', numbers, '--sample', '600', '--seed', '5', '--stratify'];
    expect(
      run(['evaluate', exact, ...sample, 'Parity', '--out', join(project, 'run-exact'), '--quiet'])
        .code,
    ).toBe(0);
    expect(
      run([
        'evaluate',
        guess,
        ...sample,
        'Parity Guess',
        '--out',
        join(project, 'run-guess'),
        '--quiet',
      ]).code,
    ).toBe(0);
    const compared = run([
      'compare',
      join(project, 'run-guess'),
      join(project, 'run-exact'),
      '--pair',
      'Parity Guess=Parity',
    ]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toContain('Parity Guess vs Parity: 600 items scored by both');
    expect(compared.stdout).toMatch(
      /significant: Parity \(run B\) is more accurate by \d+\.\d points/,
    );
    const json = JSON.parse(
      run([
        'compare',
        join(project, 'run-guess'),
        join(project, 'run-exact'),
        '--pair',
        'Parity Guess=Parity',
        '--json',
      ]).stdout,
    );
    expect(json.scores[0]).toMatchObject({
      n: 600,
      accuracy_b: 1,
      only_a_correct: 0,
      significant: true,
    });
    // Each run has one score: they pair without --pair.
    expect(
      run(['compare', join(project, 'run-guess'), join(project, 'run-exact')]).stdout,
    ).toContain('Parity Guess vs Parity: 600 items');
    const report = run(['report', join(project, 'run-guess')]);
    expect(report).toMatchObject({
      code: 0,
      stdout: `Report: ${join(project, 'run-guess', 'report.html')}\n`,
    });
    expect(readFileSync(join(project, 'run-guess', 'report.html'), 'utf8')).toContain(
      '<h2>Parity Guess</h2>',
    );
  });

  it('predict prints one JSON line per score', () => {
    const card = write(
      'predict.yaml',
      'name: P\nscores:\n  - { name: Bank, class: heuristic/keywords, phrases: [harper valley] }\n',
    );
    const result = run(['predict', card, '--text', 'Agent: this is Harper Valley']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      item_id: 'text',
      score: 'Bank',
      value: 'yes',
      status: 'ok',
    });
    expect(run(['predict', card])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/exactly one of --text TEXT or --data FILE/),
    });
  });
});
