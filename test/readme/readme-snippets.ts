/** A fenced code block of a Markdown file, with the HTML comment right before it, if any. */
export interface Snippet {
  language: string;
  code: string;
  /** The `<!-- ... -->` comment on the line before the fence. */
  note: string | undefined;
  line: number;
}

export function codeBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^```(\w+)\s*$/.exec(lines[index]!);
    if (!open) continue;
    const end = lines.indexOf('```', index + 1);
    const before = lines[index - 1]?.trim() ?? '';
    blocks.push({
      language: open[1]!,
      code: lines.slice(index + 1, end).join('\n'),
      note: /^<!--\s*(.*?)\s*-->$/.exec(before)?.[1],
      line: index + 1,
    });
    index = end;
  }
  return blocks;
}

/** The first column's `names` of the Markdown table that follows `heading` (a line of text). */
export function tableNames(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no line "${heading}" in the README`);
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' && names.length === 0) continue;
    if (!line.startsWith('|')) break;
    const name = /^\|\s*`([^`]+)`/.exec(line)?.[1];
    if (name) names.push(name);
  }
  return names;
}
