import { DatasetError } from '../common/errors.js';
import { setName } from '../text/name-records.js';
import type { CsvEvent } from './csv-parser.js';
import type { RawRow } from './raw-row.js';

/**
 * Refuses a header naming a column twice: a row would keep only the last of the two values, so a
 * scorecard reading `text` could score the wrong column without a word (unnamed columns may repeat).
 */
function assertDistinctColumns(source: string, header: readonly string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, index) => {
    const first = seen.get(name);
    if (first !== undefined && name !== '')
      throw new DatasetError(
        `${source}: the header (line 1) names column "${name}" twice (columns ${first + 1} and ${index + 1}); rename one so each column has its own name`,
      );
    seen.set(name, index);
  });
}

/**
 * Turns `CsvParser` events into rows keyed by the header's names (the first record, its names
 * trimmed), appending them to `rows`: a record with another number of fields than the header, or
 * a parser error, is an error row at the line the record starts on. `source` names the file in a
 * `DatasetError` (a header naming a column twice). In-process reading and Spark's CSV step
 * (spark-runner) both read CSV through it.
 */
export function csvRecords(
  source: string,
): (events: readonly CsvEvent[], rows: RawRow[]) => RawRow[] {
  let header: string[] | undefined;
  return (events, rows) => {
    for (const event of events) {
      if (event.kind === 'error') {
        rows.push(event);
      } else if (!header) {
        header = event.fields.map((field) => field.trim());
        assertDistinctColumns(source, header);
      } else if (event.fields.length !== header.length) {
        rows.push({
          kind: 'error',
          line: event.line,
          message: `has ${event.fields.length} fields, the header has ${header.length}; quote fields that contain commas`,
        });
      } else {
        const record: Record<string, unknown> = {};
        for (let index = 0; index < header.length; index += 1)
          setName(record, header[index]!, event.fields[index]);
        rows.push({ kind: 'row', line: event.line, record });
      }
    }
    return rows;
  };
}
