import type { ConfigProblem } from '../common/errors.js';
import type { DatasetFormat } from '../dataset/row-sources.js';
import { separatorProblem } from '../dataset/separator-hint.js';
import type { ScoreNeedsV1 } from '../spec/score-spec.js';
import type { LabelNormalization } from '../text/labels.js';
import { addGoldReads } from './gold-reads.js';
import { nameHint } from './lookalike-names.js';
import { type DatasetSample, sampleDataset } from './preflight-sample.js';
import type { SourcePositions } from './source-positions.js';
import { addSpeakerFindings, type SpeakerUse } from './speaker-uses.js';
import { strayLabels } from './stray-labels.js';

/** A score as the checks before a run see it. */
export interface PreflightScore {
  /** Position in the file's `scores` list, for messages. */
  index: number;
  name: string;
  /** The labels it can give; undefined when its settings did not parse. */
  labels: readonly string[] | undefined;
  labelColumn: string | undefined;
  /** `feedback`: its gold comes from reviews, so the dataset needs no gold column for it. */
  gold?: 'dataset' | 'feedback';
  normalization: LabelNormalization | undefined;
  disabled: boolean;
  dependsOn: readonly string[];
  needs: ScoreNeedsV1 | undefined;
  /** Speakers its own processors name (see `speakerUses`). */
  speakerUses?: readonly SpeakerUse[];
}

/** Problems (errors) and warnings found before a run. */
export interface PreflightFindings {
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

/** `patterns.1.when` → `['patterns', 1, 'when']`: numbers index lists. */
export function settingPath(path: string): (string | number)[] {
  return path
    .split('.')
    .filter(Boolean)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** A did-you-mean for a score or column name (a lookalike said as such: see `nameHint`). */
function hint(word: string, known: Iterable<string>): string {
  return nameHint(word, known);
}

/**
 * What the scores' settings alone show (no dataset needed): the factories' own problems,
 * `results["S"]` of scores that do not exist or are not dependencies, environment variables
 * (API keys) that are not set.
 */
export function needsProblems(
  scores: readonly PreflightScore[],
  allNames: ReadonlySet<string>,
  positions: SourcePositions,
  options: { environment: boolean },
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const score of scores) {
    const at = ['scores', score.index];
    const needs = score.needs;
    if (!needs) continue;
    for (const problem of needs.problems ?? [])
      problems.push(positions.problem([...at, ...settingPath(problem.path)], problem.message));
    for (const need of needs.results ?? []) {
      const where = [...at, ...settingPath(need.path)];
      if (!allNames.has(need.name))
        problems.push(
          positions.problem(
            where,
            `results["${need.name}"]: no score named "${need.name}"${hint(need.name, allNames)}`,
          ),
        );
      else if (!score.dependsOn.includes(need.name))
        problems.push(
          positions.problem(
            where,
            `results["${need.name}"] is read, but "${need.name}" is not in depends_on: add it there`,
          ),
        );
    }
    if (!options.environment || score.disabled) continue; // a disabled score makes no call
    for (const need of needs.environment ?? []) {
      const value = process.env[need.name];
      if (value === undefined || value === '')
        problems.push(
          positions.problem(
            [...at, ...settingPath(need.path)],
            `${need.why}: set ${need.name} in the environment`,
          ),
        );
    }
  }
  return problems;
}

/** Where each score's gold label comes from (as `goldColumns` in dataset.ts). */
function goldCandidates(scores: readonly PreflightScore[]): Map<string, string[]> {
  return new Map(
    scores.map((score) => [
      score.name,
      score.labelColumn
        ? [score.labelColumn]
        : scores.length === 1
          ? [score.name, 'label']
          : [score.name],
    ]),
  );
}

export interface DataCheckOptions extends PreflightData {
  scores: readonly PreflightScore[];
  positions: SourcePositions;
  sampleRows?: number;
}

/**
 * Checks a dataset against the scorecard before a run: it is readable, every column the scores
 * name exists, metadata fields read by scores exist, and the gold labels are among the scores'
 * labels (an error when most labelled rows are not; a warning with counts when a few are).
 */
export async function dataProblems(options: DataCheckOptions): Promise<PreflightFindings> {
  const findings: PreflightFindings = { problems: [], warnings: [] };
  const { positions, scores } = options;
  const active = scores.filter((score) => !score.disabled);
  const candidates = goldCandidates(scores);
  const uses = [
    ...(options.speakerUses ?? []),
    ...active.flatMap((score) => score.speakerUses ?? []),
  ];
  const sample = await sampleDataset({
    path: options.path,
    format: options.format,
    goldColumns: candidates,
    limit: options.sampleRows,
    speakers: uses.length > 0 ? { textColumn: options.textColumn ?? 'text' } : undefined,
  });
  if (typeof sample === 'string') {
    findings.problems.push(
      options.fromScorecard
        ? positions.problem(['data', 'path'], `${options.shownPath}: ${sample}`)
        : { path: '--data', message: `${options.shownPath}: ${sample}` },
    );
    return findings;
  }
  if (sample.rows === 0) {
    findings.warnings.push({ path: '--data', message: `${options.shownPath}: no rows to check` });
    return findings;
  }
  findings.problems.push(...columnProblems(options, sample));
  const { columns } = sample;
  addGoldReads(findings, { scores, goldColumns: candidates, columns, positions, settingPath });
  addSpeakerFindings(findings, uses, sample.speakerSample, positions);
  for (const score of active) {
    const at = ['scores', score.index];
    const wanted = candidates.get(score.name)!;
    if (score.gold === 'feedback') continue;
    if (!wanted.some((column) => sample.columns.includes(column))) {
      findings[score.labelColumn ? 'problems' : 'warnings'].push(
        missingGoldColumn(options, sample, score, wanted),
      );
      continue;
    }
    if (score.labels) {
      const finding = goldLabelFinding(score, sample, options.shownPath);
      if (finding)
        findings[finding.error ? 'problems' : 'warnings'].push(
          positions.problem([...at, 'labels'], finding.message),
        );
    }
  }
  return findings;
}

function columnList(sample: DatasetSample): string {
  const shown = sample.columns.slice(0, 30).join(', ');
  return sample.columns.length > 30 ? `${shown}, …` : shown;
}

function columnProblems(options: DataCheckOptions, sample: DatasetSample): ConfigProblem[] {
  const { positions, shownPath } = options;
  const problems: ConfigProblem[] = [];
  const has = (column: string) => sample.columns.includes(column);
  const missing = (column: string, what: string) =>
    `no column "${column}" ${what} in ${shownPath}${hint(column, sample.columns)} (columns: ${columnList(sample)})`;
  const textColumn = options.textColumn ?? 'text';
  // JSONL rows may differ: a text column missing from some rows is a row problem, not a setup one.
  if (!has(textColumn))
    problems.push(
      positions.problem(
        ['data', 'text_column'],
        separatorProblem(shownPath, sample.columns, textColumn) ??
          `${shownPath}: no "${textColumn}" column; columns are: ${columnList(sample)}. Set data.text_column in the scorecard${hint(textColumn, sample.columns)}`,
      ),
    );
  if (options.idColumn && !has(options.idColumn))
    problems.push(positions.problem(['data', 'id_column'], missing(options.idColumn, 'for ids')));
  const metadata = sample.columns.filter(
    (column) => column !== textColumn && column !== (options.idColumn ?? 'id'),
  );
  // A disabled score reads nothing.
  for (const score of options.scores.filter((entry) => !entry.disabled)) {
    for (const need of score.needs?.fields ?? []) {
      const column = need.name.split('.')[0]!;
      if (metadata.includes(column)) continue;
      const message = `no column "${column}" for metadata field "${need.name}" in ${shownPath}${hint(column, metadata)} (columns: ${columnList(sample)})`;
      problems.push(positions.problem(['scores', score.index, ...settingPath(need.path)], message));
    }
  }
  return problems;
}

function missingGoldColumn(
  options: DataCheckOptions,
  sample: DatasetSample,
  score: PreflightScore,
  wanted: readonly string[],
): ConfigProblem {
  const at = ['scores', score.index];
  const textColumn = options.textColumn ?? 'text';
  const idColumn = options.idColumn ?? 'id';
  const goldLike = sample.columns.filter((column) => column !== textColumn && column !== idColumn);
  const guess = hint(wanted[0]!, goldLike);
  if (score.labelColumn)
    return options.positions.problem(
      [...at, 'label_column'],
      `no column "${score.labelColumn}" in ${options.shownPath}${guess} (columns: ${columnList(sample)})`,
    );
  const looked = wanted.map((column) => `"${column}"`).join(' or ');
  return options.positions.problem(
    at,
    `unlabeled: ${options.shownPath} has no gold column for "${score.name}" (looked for ${looked})${guess}; the score runs without accuracy. Set label_column to measure it`,
  );
}

/** Gold labels that are not among the score's labels, normalised as the metrics do. */
export function goldLabelFinding(
  score: PreflightScore,
  sample: DatasetSample,
  shownPath: string,
): { error: boolean; message: string } | undefined {
  const labels = score.labels ?? [];
  const counts = sample.gold.get(score.name) ?? new Map<string, number>();
  const found = strayLabels(counts, labels, score.normalization);
  if (found === undefined) return undefined;
  const { labelled, stray, listed } = found;
  const scope = sample.truncated ? `in the first ${sample.rows} rows` : `in ${sample.rows} rows`;
  const error = stray * 2 > labelled;
  const fix = error
    ? `; the score gives ${labels.join(', ')}: set labels: to the gold labels, or label_column to the right column`
    : '; these rows count as wrong answers';
  return {
    error,
    message: `${stray} of ${labelled} gold labels ${scope} of ${shownPath} are not among the score's labels (${labels.join(', ')}): ${listed}${fix}`,
  };
}

/** Where the dataset to check is, and how the scorecard reads it. */
export interface PreflightData {
  /** Absolute path of the dataset. */
  path: string;
  /** How the dataset is named in messages (as given). */
  shownPath: string;
  /** Whether the path came from the scorecard's `data.path` (problems point there) or `--data`. */
  fromScorecard: boolean;
  format: DatasetFormat | undefined;
  idColumn: string | undefined;
  textColumn: string | undefined;
  /** Speakers the scorecard's own processors (its top-level `processors`) name. */
  speakerUses?: readonly SpeakerUse[];
}

/** Every check before a run that goes beyond the scorecard's own structure: settings' needs and the data. */
export async function preflight(options: {
  scores: readonly PreflightScore[];
  allNames: ReadonlySet<string>;
  positions: SourcePositions;
  environment: boolean;
  data: PreflightData | undefined;
  sampleRows?: number;
}): Promise<PreflightFindings> {
  const problems = needsProblems(options.scores, options.allNames, options.positions, {
    environment: options.environment,
  });
  if (!options.data) return { problems, warnings: [] };
  const found = await dataProblems({
    ...options.data,
    scores: options.scores,
    positions: options.positions,
    sampleRows: options.sampleRows,
  });
  return { problems: [...problems, ...found.problems], warnings: found.warnings };
}
