// forgetSharedLimiters, which the setup file (src/testing/fresh-limiters.ts) calls before each test file.
import { expect, it } from 'vitest';
import { forgetSharedLimiters, sharedLimiter } from './request-limiter.js';

it('forgets the shared limiters, so a later server on the same port starts afresh', () => {
  const first = sharedLimiter('test|http://127.0.0.1:1|m', { maxConcurrency: 8 });
  first.configure({ maxConcurrency: 2 });
  expect(sharedLimiter('test|http://127.0.0.1:1|m', { maxConcurrency: 8 })).toBe(first);
  forgetSharedLimiters();
  const second = sharedLimiter('test|http://127.0.0.1:1|m', { maxConcurrency: 8 });
  expect(second).not.toBe(first);
  expect(second.concurrency).toBe(8);
});
