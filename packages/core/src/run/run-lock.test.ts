import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { lockState, RunLock } from './run-lock.js';

const folder = () => mkdtempSync(join(tmpdir(), 'plexus-lock-'));

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

it('one holder at a time: a second writer is refused naming the first, until it releases', () => {
  const dir = folder();
  const lock = RunLock.acquire(dir, 'evaluate');
  const holder = JSON.parse(readFileSync(join(dir, 'run.lock'), 'utf8'));
  expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: 'evaluate' });
  expect(lockState(dir)?.state).toBe('live');
  let refused: unknown;
  try {
    RunLock.acquire(dir, 'evaluate --resume');
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(InvalidConfigError);
  expect((refused as Error).message).toContain(`in use by process ${process.pid} on ${hostname()}`);
  lock.release();
  lock.release();
  expect(existsSync(join(dir, 'run.lock'))).toBe(false);
  RunLock.acquire(dir, 'evaluate --resume').release();
});

it('takes over a stale lock (a dead process of this host, or an unreadable file)', () => {
  const dir = folder();
  const pid = deadPid();
  writeFileSync(
    join(dir, 'run.lock'),
    JSON.stringify({ pid, host: hostname(), started_at: 'x', command: 'evaluate' }),
  );
  expect(lockState(dir)?.state).toBe('stale');
  const lock = RunLock.acquire(dir, 'evaluate --resume');
  expect(JSON.parse(readFileSync(join(dir, 'run.lock'), 'utf8')).pid).toBe(process.pid);
  lock.release();
  writeFileSync(join(dir, 'run.lock'), '{"pid": ');
  expect(lockState(dir)?.state).toBe('stale');
  RunLock.acquire(dir, 'evaluate').release();
});

it("does not take over another host's lock: it cannot tell whether that process runs", () => {
  const dir = folder();
  writeFileSync(
    join(dir, 'run.lock'),
    JSON.stringify({ pid: 1, host: 'elsewhere', started_at: 'x', command: 'evaluate' }),
  );
  expect(() => RunLock.acquire(dir, 'evaluate')).toThrow(/process 1 on elsewhere.*delete/);
});
