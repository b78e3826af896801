import { RunMetrics } from '../metrics/run-metrics.js';
import { ReportRows } from '../report/report-data.js';
import type { RunSinkV1 } from '../spec/run-sink-spec.js';
import type { LabelNormalization } from '../text/labels.js';
import type { ResultLine } from './result-line.js';
import type { RunFolder } from './run-folder.js';
import { RunProvenance } from './run-provenance.js';

/**
 * The sinks every run has besides its folder: they read every line the folder ends with (a resumed
 * run's kept lines through `restore`), and the run's end reads their totals.
 */
export interface CoreSinks {
  /** Metrics per score and run totals (counts, cost, tokens). */
  metrics: RunMetrics;
  /** Misclassified and failed items for report.html, collected as lines are stored. */
  reportRows: ReportRows;
  /** The dataset's hash, rows and gold digests for run.json. */
  provenance: RunProvenance;
  /** The three above as one sink (provenance, metrics, report rows, in that order). */
  sinks: RunSinkV1[];
}

export function coreSinks(
  scores: readonly { name: string; normalization?: LabelNormalization | undefined }[],
): CoreSinks {
  const metrics = new RunMetrics(scores);
  const reportRows = new ReportRows();
  const provenance = new RunProvenance();
  // One sink for the three: direct calls that V8 inlines, not three more calls through the sink
  // list (600,000 lines of a rules run pass here).
  const read = (line: ResultLine) => {
    provenance.add(line);
    metrics.add(line);
    reportRows.add(line);
  };
  return {
    metrics,
    reportRows,
    provenance,
    sinks: [
      {
        specificationVersion: 'v1',
        name: 'provenance, metrics, report rows',
        restore: read,
        add: read,
      },
    ],
  };
}

/** Appends each new line to `results.jsonl`, once the folder is open (the run's end closes it). */
export class RunFolderSink implements RunSinkV1 {
  readonly specificationVersion = 'v1';
  readonly name = 'run folder';
  folder: RunFolder | undefined;

  add(line: ResultLine): void {
    this.folder!.append(line);
  }
}

/** Calls `onResult` with each new line (the CLI's progress line). */
export function callbackSink(onResult: (line: ResultLine) => void): RunSinkV1 {
  return { specificationVersion: 'v1', name: 'onResult', add: (line) => onResult(line) };
}
