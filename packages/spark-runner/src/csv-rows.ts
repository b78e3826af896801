// The Spark job's CSV step (`worker.mjs --parse-csv`): a CSV file's text on stdin, its rows out as
// JSON lines `{"value", "n", "line"}` (the row as JSON text, its row number, the line it starts
// on) or `{"n", "line", "problem"}`, read and numbered as core's reader does in-process.
import { type CsvEvent, CsvParser, setName } from '@plexus/core';
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
 * Turns the parser's events into rows as core's `csvRows` does (the header's names trimmed, a
 * record with another number of fields than the header a problem), numbered as core's reader
 * numbers them: every row after the header counts, problems too; blank lines are no rows.
 */
export function csvRowLines(): (events: readonly CsvEvent[], out: CsvRowLine[]) => void {
  let header: string[] | undefined;
  let rowNumber = 0;
  return (events, out) => {
    for (const event of events) {
      if (event.kind === 'record' && !header) {
        header = event.fields.map((field) => field.trim());
        continue;
      }
      rowNumber += 1;
      const place = { n: rowNumber, line: event.line };
      if (event.kind === 'error') out.push({ ...place, problem: event.message });
      else if (event.fields.length !== header!.length)
        out.push({
          ...place,
          problem: `has ${event.fields.length} fields, the header has ${header!.length}; quote fields that contain commas`,
        });
      else {
        const record: Record<string, string> = {};
        for (let index = 0; index < header!.length; index += 1)
          setName(record, header![index]!, event.fields[index]!);
        out.push({ ...place, value: JSON.stringify(record) });
      }
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
