import {
  type ConfigProblem,
  errorMessage,
  onCacheWarning,
  PlexusError,
  registerEnvironmentSecrets,
} from '@plexus/core';
import { Command, CommanderError } from 'commander';
import { cacheCommand } from './commands/cache.js';
import { calibrateCommand } from './commands/calibrate.js';
import { compareCommand } from './commands/compare.js';
import { evaluateCommand } from './commands/evaluate.js';
import { feedbackCommand } from './commands/feedback.js';
import { initCommand } from './commands/init.js';
import { mlflowCommand } from './commands/mlflow.js';
import { optimizeCommand } from './commands/optimize.js';
import { predictCommand } from './commands/predict.js';
import { reportCommand } from './commands/report.js';
import { reviewCommand } from './commands/review.js';
import { runsCommand } from './commands/runs.js';
import { sparkCommand } from './commands/spark.js';
import { trainCommand } from './commands/train.js';
import { validateCommand } from './commands/validate.js';
import { viewCommand } from './commands/view.js';
import { type CliIo, problemsText, processIo } from './output.js';
import { cliVersion } from './version.js';

/**
 * Runs the `plexus` command; resolves to the exit code: 0 done, 1 run failed or interrupted,
 * 2 bad input, 3 the run completed but a score failed on more than `--max-error-rate` of its
 * items, or the dataset had no items.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // Keys in the environment are known before anything is printed or written.
  registerEnvironmentSecrets();
  let exitCode = 0;
  const program = new Command('plexus')
    .description('Plexus: classification scorecards over transcripts, messages and documents')
    .version(cliVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  const setExit = (code: number) => {
    exitCode = code;
  };
  // A cache that cannot write turns itself off and says so once, whatever the command.
  const stopCacheWarnings = onCacheWarning((message) => io.stderr(`warning: ${message}\n`));
  initCommand(program, io);
  validateCommand(program, io);
  evaluateCommand(program, io, setExit);
  predictCommand(program, io);
  compareCommand(program, io);
  feedbackCommand(program, io);
  calibrateCommand(program, io);
  reportCommand(program, io);
  reviewCommand(program, io);
  runsCommand(program, io);
  viewCommand(program, io);
  trainCommand(program, io, setExit);
  mlflowCommand(program, io);
  optimizeCommand(program, io);
  sparkCommand(program, io, setExit);
  cacheCommand(program, io);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      if (error.code === 'commander.executeSubCommandAsync') return 1;
      return 2;
    }
    if (PlexusError.isInstance(error)) {
      const problems = (error as { problems?: unknown }).problems;
      io.stderr(
        `${Array.isArray(problems) ? problemsText(problems as ConfigProblem[]) : error.message}\n`,
      );
      return error.exitCode;
    }
    io.stderr(`plexus: ${errorMessage(error)}\n`);
    return 1;
  } finally {
    stopCacheWarnings();
  }
}
