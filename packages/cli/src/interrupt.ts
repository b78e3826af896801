import { abandonOpenRuns } from '@plexus/core';
import type { CliIo } from './output.js';

/** Signals that end a run: Ctrl-C, `kill`, and a closed terminal or SSH session. */
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** The exit code of a second signal, by the shell's convention (128 + signal number). */
const exitCodes: Record<(typeof signals)[number], number> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

/**
 * Ctrl-C, SIGTERM or SIGHUP once aborts the returned signal and says `message`; a second one
 * marks the open run folders `interrupted` (run.json written synchronously, with the signal as
 * the reason) and quits at once. `dispose` removes the handlers. Uncaught errors mark them
 * `failed` through core's exit watch; only SIGKILL (and the kernel's OOM killer) leave a folder
 * `running`, which every command then reads as `interrupted` (its lock holder is gone).
 */
export function onInterrupt(io: CliIo, message: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (signal: (typeof signals)[number]) => {
    if (controller.signal.aborted) {
      abandonOpenRuns('interrupted', `${signal} received twice: stopped at once`);
      process.exit(exitCodes[signal]);
    }
    const which = signal === 'SIGINT' ? '' : ` (${signal})`;
    try {
      io.stderr(`\nInterrupted${which}: ${message} (Ctrl-C again to quit at once)\n`);
    } catch {
      // a closed terminal (SIGHUP) cannot be written to; the run still ends cleanly
    }
    // The reason is recorded in run.json.
    controller.abort(`${signal} received`);
  };
  for (const signal of signals) process.on(signal, handler);
  return {
    signal: controller.signal,
    dispose() {
      for (const signal of signals) process.off(signal, handler);
    },
  };
}
