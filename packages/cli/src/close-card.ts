import { closeScorecard, errorMessage, type LoadedScorecard } from '@plexus/core';
import type { CliIo } from './output.js';

/**
 * Closes a command's scores; one whose `close` fails is a warning, not the command's failure: its
 * results are stored and printed by then (a score's "close boom" turned a completed run's exit 0
 * into 1, naming no score).
 */
export async function closeCard(card: LoadedScorecard, io: CliIo): Promise<void> {
  try {
    await closeScorecard(card);
  } catch (error) {
    io.stderr(`warning: ${errorMessage(error)}\n`);
  }
}
