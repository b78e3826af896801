import type { LimiterOptions } from './request-limiter.js';

/**
 * One process's share of a score's job-wide limits when `tasks` processes run the job at once
 * (Spark tasks): each limit divided by `tasks`, rounded down, at least 1. With `tasks` above a
 * limit, every task still gets 1, so the job may reach `tasks` (say so: fewer tasks, or a higher
 * limit). A local model (`llama-cpp`) is per machine: its limits are not divided.
 */
export function jobShare(limits: LimiterOptions, tasks: number | undefined): LimiterOptions {
  if (!tasks || tasks <= 1) return limits;
  const share = (limit: number | undefined) =>
    limit === undefined ? undefined : Math.max(1, Math.floor(limit / tasks));
  return {
    maxConcurrency: share(limits.maxConcurrency)!,
    requestsPerMinute: share(limits.requestsPerMinute),
    tokensPerMinute: share(limits.tokensPerMinute),
  };
}
