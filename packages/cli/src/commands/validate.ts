import type { Command } from 'commander';
import type { CliIo } from '../output.js';
import { loadForCli } from '../scorecard.js';

export function validateCommand(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description(
      'check a scorecard: schema, classes, settings, labels and dependencies; exit 2 on problems',
    )
    .argument('<scorecard>', 'scorecard file (YAML or JSON)')
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'print nothing on success')
    .action(async (path: string, options: { json?: boolean; quiet?: boolean }) => {
      const card = await loadForCli(path);
      if (options.json) {
        io.stdout(
          `${JSON.stringify({ valid: true, scorecard: card.name, scores: card.scores.map((score) => ({ name: score.name, class: score.className, labels: score.labels })) })}\n`,
        );
      } else if (!options.quiet) {
        io.stdout(
          `${path}: valid scorecard "${card.name}" with ${card.scores.length} scores (${card.scores.map((score) => score.name).join(', ')})\n`,
        );
      }
    });
}
