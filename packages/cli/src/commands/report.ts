import { writeReport } from '@plexus/core';
import type { Command } from 'commander';
import { wholeNumber } from '../arguments.js';
import type { CliIo } from '../output.js';

export function reportCommand(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('write report.html for a run folder (evaluate writes it too)')
    .argument('<run-dir>', 'run folder')
    .option(
      '--max-rows <n>',
      'misclassified and failed items listed per score at most (a whole number >= 0)',
      wholeNumber('--max-rows', 0),
      500,
    )
    .option('--quiet', 'print nothing')
    .action(async (dir: string, flags: { maxRows: number; quiet?: boolean }) => {
      const path = await writeReport(dir, { maxRows: flags.maxRows });
      if (!flags.quiet) io.stdout(`Report: ${path}\n`);
    });
}
