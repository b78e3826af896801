import { type BatchApi, type BatchObject, endedStatuses } from './batch-api.js';
import { ProviderCallError } from './retry-policy.js';

/**
 * Polls a batch until it ends, with back-off (each wait 1.5 times the last, up to a minute), a
 * progress line when its status or counts change, and failed polls (network, 5xx) tried again up
 * to five times in a row. Returns the ended batch, or undefined once nobody waits for it.
 */
export async function pollUntilEnded(options: {
  api: BatchApi;
  batchId: string;
  model: string;
  /** Requests in the batch, shown until the API counts them. */
  requests: () => number;
  pollMs: number;
  log: (line: string) => void;
  /** Whether anyone still waits for the batch's answers. */
  waited: () => boolean;
  /** Waits `delay` ms, or less when the last caller gives up. */
  pause: (delay: number) => Promise<void>;
}): Promise<BatchObject | undefined> {
  let delay = options.pollMs;
  let shown = '';
  let failures = 0;
  while (options.waited()) {
    let batch: BatchObject;
    try {
      batch = await options.api.get(options.batchId);
      failures = 0;
    } catch (error) {
      // A poll that fails for a while (network, 5xx) is tried again; the batch goes on anyway.
      failures += 1;
      if (!(error instanceof ProviderCallError && error.isRetryable) || failures > 5) throw error;
      await options.pause(delay);
      continue;
    }
    const counts = batch.request_counts;
    const line = `plexus: batch ${batch.id} (${options.model}): ${batch.status}, ${counts?.completed ?? 0}/${counts?.total || options.requests()} done, ${counts?.failed ?? 0} failed`;
    if (line !== shown) options.log(line);
    shown = line;
    if (endedStatuses.has(batch.status)) return batch;
    await options.pause(delay);
    delay = Math.min(delay * 1.5, Math.max(options.pollMs, 60_000));
  }
  return undefined;
}
