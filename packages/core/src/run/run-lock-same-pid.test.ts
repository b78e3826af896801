// A container restarted with the same host name numbers its processes alike: the resumed CLI can
// have the very pid of the killed run that left the lock (pid 1 each time). It was told "in use by
// process 1; wait for it to end", for ever.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { lockState, RunLock } from './run-lock.js';

function lockedBy(startedAt: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-lock-pid-'));
  writeFileSync(
    join(dir, 'run.lock'),
    JSON.stringify({
      pid: process.pid,
      host: hostname(),
      started_at: startedAt,
      command: 'evaluate',
    }),
  );
  return dir;
}

it("a lock naming this process's pid, taken before it began, is an earlier life's: taken over", () => {
  const dir = lockedBy('2020-01-01T00:00:00.000Z');
  expect(lockState(dir)?.state).toBe('stale');
  const lock = RunLock.acquire(dir, 'evaluate --resume');
  const holder = JSON.parse(readFileSync(join(dir, 'run.lock'), 'utf8'));
  expect(holder.command).toBe('evaluate --resume');
  // Held by this process now: live, and a second taker in this process is refused.
  expect(lockState(dir)?.state).toBe('live');
  expect(() => RunLock.acquire(dir, 'evaluate --resume')).toThrow(InvalidConfigError);
  lock.release();
  expect(lockState(dir)).toBeUndefined();
});

it('a lock naming this pid with a time that cannot be read stays live (nothing says it is old)', () => {
  expect(lockState(lockedBy('x'))?.state).toBe('live');
});
