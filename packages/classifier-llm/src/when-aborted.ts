const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` when `signal` aborts, through one listener per signal however many requests
 * share it (a run's signal is shared by every call in flight); returns the unsubscribe.
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        for (const waiter of [...set]) waiter();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  const set = callbacks;
  return () => set.delete(callback);
}
