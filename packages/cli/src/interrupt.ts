import type { CliIo } from './output.js';

/**
 * Ctrl-C (or SIGTERM) once aborts the returned signal and says `message`; a second one quits at
 * once (exit 130). `dispose` removes the handlers.
 */
export function onInterrupt(io: CliIo, message: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr(`\nInterrupted: ${message} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
