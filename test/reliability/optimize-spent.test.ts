// `plexus optimize`'s spent_usd against the dollars the server was asked for, counted by a meter
// in front of it and priced by hand: a run killed mid-evaluation and resumed, and --max-usd.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli, sleep, startCli } from './harness.js';
import { type Meter, startMeter, throughMeter } from './optimize-meter.js';
import {
  basePrompt,
  closeServers,
  edit,
  prizePrompt,
  project,
  readLog,
} from './optimize-project.js';

const meters: Meter[] = [];
afterEach(async () => {
  for (const meter of meters.splice(0)) await meter.close();
  await closeServers();
});

async function metered(answers: object[], latencyMs: number) {
  const setup = await project(answers, latencyMs);
  const meter = await startMeter(setup.server.url);
  meters.push(meter);
  const args = (out: string) =>
    throughMeter(setup.dir, setup.server.url, meter.url, setup.args(out));
  return { ...setup, meter, args };
}

it('spent_usd of a whole run is what the server was asked for, to the last digit', async () => {
  const { meter, args, env, dir } = await metered(
    [{ candidates: [edit(prizePrompt, 'name prize offers as spam')] }, { candidates: [] }],
    0,
  );
  const result = await runCli(args('out'), env);
  expect(result.code, result.stderr).toBe(0);
  expect(readLog(join(dir, 'out')).spent_usd).toBeCloseTo(meter.usd(), 12);
}, 120_000);

// 57 train, 19 validation items; the optimizer is the 77th call, candidate validation follows,
// then its train (96-152), both holdouts (153-190) and round 2's optimizer call (191).
it.each([30, 70, 90, 150, 185])(
  'killed after %i paid calls and resumed, spent_usd counts the calls paid before the kill',
  async (killAfter) => {
    const { meter, server, args, env, dir } = await metered(
      [{ candidates: [edit(prizePrompt, 'name prize offers as spam')] }, { candidates: [] }],
      20,
    );
    const run = startCli(args('out'), env);
    while (meter.requests < killAfter) await sleep(10);
    run.child.kill('SIGKILL');
    await run.done;
    await sleep(300); // the calls in flight at the kill are answered (and paid) all the same
    const resumed = await runCli([...args('out'), '--resume'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const log = readLog(join(dir, 'out'));
    // 4 calls in flight at the kill may be paid and never recorded (max_concurrency 4).
    const byHand = meter.usd();
    // Before, the killed evaluation's calls were never counted (their items came back from the
    // cache at $0): $0.02359 where the meter gave over $0.02734 (killed after 30 calls).
    const oneCall = byHand / meter.requests;
    expect(log.spent_usd).toBeLessThanOrEqual(byHand + 1e-12);
    expect(log.spent_usd).toBeGreaterThanOrEqual(byHand - 4 * 1.5 * oneCall);
    // Nothing paid twice but the calls in flight at the kill.
    const repeated = [...server.stats.byBody.values()].reduce((sum, count) => sum + count - 1, 0);
    expect(repeated).toBeLessThanOrEqual(4);
    expect(log.rounds.map((entry) => entry.outcome)).toEqual(['accepted', 'no valid candidate']);
  },
  120_000,
);

it('--max-usd is not exceeded by the optimizer call', async () => {
  // An answer of ~450 tokens (a long prompt): about $0.0014 where $0.0112 leaves about $0.0008
  // once train and validation are paid ($0.0104). Before: $0.0118 spent of $0.0112.
  const longPrompt = `Spam includes prize offers. ${'Read the message carefully. '.repeat(60)}${basePrompt}`;
  const { meter, args, env, dir } = await metered([{ candidates: [edit(longPrompt, 'long')] }], 0);
  const result = await runCli([...args('out'), '--max-usd', '0.0112'], env);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('--max-usd');
  const log = readLog(join(dir, 'out'));
  expect(meter.usd()).toBeLessThanOrEqual(0.0112);
  expect(log.spent_usd).toBeCloseTo(meter.usd(), 12);
}, 120_000);

it('refuses --max-usd without the optimizer price, before anything is paid', async () => {
  const { meter, args, env } = await metered([{ candidates: [] }], 0);
  const given = args('out');
  const at = given.indexOf('--optimizer-price');
  const unpriced = [...given.slice(0, at), ...given.slice(at + 2)];
  // Before: train and validation paid, the optimizer asked, then "the spending is unknown".
  const result = await runCli([...unpriced, '--max-usd', '1'], env);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("--max-usd needs the optimizer's price");
  expect(meter.requests).toBe(0);
}, 60_000);

it.each([0.002, 0.0105, 0.02, 0.035])(
  '--max-usd %f: the server is asked for no more, and spent_usd is what it was asked for',
  async (budget) => {
    const { meter, args, env, dir } = await metered(
      [{ candidates: [edit(prizePrompt, 'name prize offers as spam')] }, { candidates: [] }],
      0,
    );
    const result = await runCli([...args('out'), '--max-usd', String(budget)], env);
    const log = readLog(join(dir, 'out'));
    expect(meter.usd()).toBeLessThanOrEqual(budget);
    expect(log.spent_usd).toBeCloseTo(meter.usd(), 12);
    if (result.code !== 0) expect(result.stderr).toContain('--max-usd');
  },
  120_000,
);
