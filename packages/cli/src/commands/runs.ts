import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shareText, shellWord } from '@plexus/core';
import type { Command } from 'commander';
import type { CliIo } from '../output.js';
import { listRuns, type RunEntry, type RunList, type ScoreHeadline } from '../view/run-list.js';

/** A score's headline: accuracy and macro F1 over its labelled items, or what it has instead. */
export function headlineText(score: ScoreHeadline): string {
  const parts =
    score.n > 0 ? [`accuracy ${shareText(score.accuracy)}`, `F1 ${shareText(score.f1_macro)}`] : [];
  if (score.unlabeled > 0) parts.push(`${score.unlabeled} unlabeled`);
  if (score.errors > 0) parts.push(`${score.errors} errors`);
  if (parts.length === 0) parts.push('no labelled answers');
  return `${score.name}: ${parts.join(', ')}`;
}

function scoresText(run: RunEntry): string {
  if (run.metrics === 'absent')
    return run.status === 'running' ? '(metrics at the end)' : '(no metrics.json)';
  return run.scores.map(headlineText).join('; ');
}

/** The start time as `YYYY-MM-DD HH:MM:SS` (UTC), or the recorded text when it is not a date. */
export function startText(startedAt: string): string {
  const time = Date.parse(startedAt);
  return Number.isNaN(time)
    ? startedAt
    : new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

/** No runs: and when the folder is itself a run (`plexus runs runs/v2`), its runs folder. */
function emptyText(root: string): string {
  if (!existsSync(join(root, 'run.json'))) return `No runs in ${root}.`;
  const parent = dirname(root);
  return `No runs in ${root}: it is a run folder itself (it holds run.json); the runs folder is ${parent}: plexus runs ${shellWord(parent)}, plexus view ${shellWord(parent)}`;
}

function formatList(list: RunList): string {
  const lines: string[] = [];
  if (list.runs.length === 0) lines.push(emptyText(list.root));
  else {
    const count = `${list.runs.length} run${list.runs.length === 1 ? '' : 's'}`;
    lines.push(`${count} in ${list.root}, newest first (times in UTC)`, '');
    const header = ['NAME', 'SCORECARD', 'STARTED', 'STATUS', 'ITEMS', 'SCORES'];
    const rows = list.runs.map((run) => [
      run.name,
      run.scorecard,
      startText(run.started_at),
      run.status,
      run.items === null ? '—' : String(run.items),
      scoresText(run),
    ]);
    lines.push(table([header, ...rows]));
  }
  for (const problem of list.problems) lines.push(`not read: ${problem.name}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}

export function runsCommand(program: Command, io: CliIo): void {
  program
    .command('runs')
    .description(
      'list the runs under a folder, newest first: name, scorecard, start, status, items, headline metrics',
    )
    .argument('[dir]', 'the runs folder', 'runs')
    .option('--json', 'print the list as JSON')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const list = await listRuns(dir);
      if (flags.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else io.stdout(formatList(list));
    });
}
