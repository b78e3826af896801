// A CSV whose header is one column holding `;`, tabs or `|` was saved with another separator (Excel
// writes semicolons in many languages): telling its user to set `data.text_column` cannot help.

const separators = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
  ['|', 'vertical bars'],
] as const;

/**
 * What to tell of a CSV header that lacks `textColumn` when it is one column split by another
 * separator (`Message ID;Message;Label`), or undefined. `path` names the file.
 */
export function separatorProblem(
  path: string,
  columns: readonly string[],
  textColumn: string,
): string | undefined {
  if (columns.length !== 1) return undefined;
  const header = columns[0]!;
  for (const [character, name] of separators) {
    const parts = header.split(character).map((part) => part.trim());
    if (parts.length < 2 || parts.some((part) => part === '')) continue;
    const named = parts.includes(textColumn)
      ? ''
      : `; then set data.text_column to one of its columns (${parts.slice(0, 10).join(', ')}), since none is "${textColumn}"`;
    return `${path}: the header ${JSON.stringify(header)} is one column: its names are separated by ${name}, not commas (Excel writes such files in many languages). Plexus reads comma-separated CSV: save it as "CSV UTF-8 (Comma delimited)", or replace the separators with commas${named}`;
  }
  return undefined;
}
