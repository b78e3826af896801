// The Spark job's CSV step (`worker.mjs --parse-csv`): a CSV file's text on stdin, its rows out as
// JSON lines `{"value", "n", "line"}` (the row as JSON text, its row number, the line it starts
// on) or `{"n", "line", "problem"}`, read and numbered as core's reader does in-process.
import { type CsvEvent, CsvParser, csvRecords } from '@plexus/core';
import { lineWriter } from './worker-protocol.js';

/** A CSV row as the parse step writes it. */
export interface CsvRowLine {
  /** The row as the text of a JSON object, keyed by the header's names. */
  value?: string;
  /** The row number: the id of a row when the data has no id column. */
  n: number;
  /** The line the row starts on (problems name it). */
  line: number;
  /** Why the row could not be read. */
  problem?: string;
}

/**
 * Turns the parser's events into rows with core's `csvRecords` (as `plexus evaluate` reads a CSV
 * file), numbered as core's reader numbers them: every row after the header counts, problems too;
 * blank lines are no rows. `source` names the file in a `DatasetError` (a header naming a column
 * twice), which stops the step.
 */
export function csvRowLines(
  source = 'the CSV dataset',
): (events: readonly CsvEvent[], out: CsvRowLine[]) => void {
  const convert = csvRecords(source);
  let rowNumber = 0;
  return (events, out) => {
    for (const row of convert(events, [])) {
      rowNumber += 1;
      const place = { n: rowNumber, line: row.line };
      if (row.kind === 'error') out.push({ ...place, problem: row.message });
      else out.push({ ...place, value: JSON.stringify(row.record) });
    }
  };
}

/** Reads a CSV file's text from `input` and writes its rows to `output`, one JSON line each. */
export async function writeCsvRows(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  const parser = new CsvParser();
  const take = csvRowLines();
  const { write, flush } = lineWriter(output);
  const send = async (events: readonly CsvEvent[]): Promise<void> => {
    const rows: CsvRowLine[] = [];
    take(events, rows);
    for (const row of rows) {
      const full = write(row);
      if (full) await full;
    }
  };
  input.setEncoding('utf8');
  for await (const chunk of input) await send(parser.push(chunk as string));
  await send(parser.end());
  await flush();
}
