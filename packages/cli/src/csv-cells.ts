/** A CSV cell: quoted when it holds a quote, a comma or a line break; empty for null. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * What a spreadsheet runs as a formula at the start of a cell, and the same after quotes (`'=x`,
 * which import would read as `=x` unless it is quoted once more).
 */
const formulaStart = /^'*[=+\-@\t\r]/;

/**
 * A CSV cell made inert for a spreadsheet: text that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be run as a formula (`=HYPERLINK(...)`), so it gets a leading `'`
 * (`feedback import` takes one off again).
 */
export function inertField(value: string | number | null): string {
  return csvField(typeof value === 'string' && formulaStart.test(value) ? `'${value}` : value);
}
