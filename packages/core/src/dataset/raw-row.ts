/** A raw row with the line (or row number) it came from, or a row that could not be read. */
export type RawRow =
  | { kind: 'row'; line: number; record: Record<string, unknown> }
  | { kind: 'error'; line: number; message: string; place?: RowGroupPlace };

/** A Parquet row group that could not be decoded: file, group (1-based), first and last row. */
export interface RowGroupPlace {
  file: string;
  row_group: number;
  row_range: [number, number];
}
