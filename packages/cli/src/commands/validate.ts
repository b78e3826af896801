import type { Command } from 'commander';
import { collect } from '../arguments.js';
import { closeCard } from '../close-card.js';
import type { CliIo } from '../output.js';
import { loadForCli } from '../scorecard.js';
import { plural } from '../summary-table.js';

interface ValidateFlags {
  /** False with `--no-data`. */
  data?: string | false;
  score?: string[];
  json?: boolean;
  quiet?: boolean;
}

export function validateCommand(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description(
      'check a scorecard (schema, classes, settings, labels, dependencies, template variables, API keys) and its dataset (columns, gold labels) in one pass; exit 2 on problems',
    )
    .argument('<scorecard>', 'scorecard file (YAML or JSON)')
    .option('--data <file>', 'dataset to check against; default the scorecard data.path')
    .option('--no-data', 'do not check a dataset')
    .option(
      '--score <name>',
      'check only this score and what it depends on (repeatable); the others need not be valid',
      collect,
    )
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'print nothing on success (warnings still go to stderr)')
    .action(async (path: string, flags: ValidateFlags) => {
      const warnings: string[] = [];
      const card = await loadForCli(path, {
        scores: flags.score,
        checkData: flags.data === false ? false : (flags.data ?? true),
        warn: (line) => {
          warnings.push(line.trimEnd());
          io.stderr(line);
        },
      });
      await closeCard(card, {
        ...io,
        stderr: (line) => {
          warnings.push(line.trimEnd());
          io.stderr(line);
        },
      });
      if (flags.json) {
        io.stdout(
          `${JSON.stringify({ valid: true, scorecard: card.name, scores: card.scores.map((score) => ({ name: score.name, class: score.className, labels: score.labels })), warnings })}\n`,
        );
      } else if (!flags.quiet) {
        io.stdout(
          `${path}: valid scorecard "${card.name}" with ${plural(card.scores.length, 'score')} (${card.scores.map((score) => score.name).join(', ')})\n`,
        );
      }
    });
}
