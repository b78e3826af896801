import { ScoreCallError } from '@plexus/core';
import { whenAborted } from './when-aborted.js';

// How a model call waits (for its slot, in its back-off) and stops waiting when the run stops.

/** A retry waits for the next free slot ahead of the first attempts (its item waited once). */
export const firstInLine = { first: true } as const;

/** A call the stopping run does not send (code `not_started`): a resume scores its item. */
export function notStarted(): ScoreCallError {
  return new ScoreCallError('not started: the run is stopping; a resume scores it', {
    code: 'not_started',
  });
}

/** Checked when the slot is granted, just before sending: a stopping run sends nothing new. */
export function refuseWhenDraining(drain: AbortSignal | undefined): void {
  if (drain?.aborted) throw notStarted();
}

/**
 * How an attempt waits for its slot: a retry first in line; with the run's drain signal, left
 * unsent once the run stops (a slot resting after a long `retry-after` held it till then).
 */
export function inLine(drain: AbortSignal | undefined, retry: boolean) {
  if (!drain) return retry ? firstInLine : undefined;
  return { first: retry, signal: drain };
}

/** A wait for a slot that the drain ended is the call not started. */
export function notStartedWhenDrained(drain: AbortSignal | undefined, error: unknown): never {
  if (drain?.aborted && error === drain.reason) throw notStarted();
  throw error;
}

/**
 * Waits `ms` (a back-off), ended by the call's abort (its reason) or by the run's drain (not
 * started): a stopping run does not wait out a long `retry-after` with a live timer.
 */
export function sleep(
  ms: number,
  signal: AbortSignal,
  drain: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    if (drain?.aborted) return reject(notStarted());
    const timer = setTimeout(() => {
      stop();
      stopDrain?.();
      resolve();
    }, ms);
    const stop = whenAborted(signal, () => {
      clearTimeout(timer);
      stopDrain?.();
      reject(signal.reason);
    });
    const stopDrain = drain
      ? whenAborted(drain, () => {
          clearTimeout(timer);
          stop();
          reject(notStarted());
        })
      : undefined;
  });
}
