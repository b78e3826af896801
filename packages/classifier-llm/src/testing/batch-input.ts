import type { ChatBody } from './chat-body.js';

/** The first problem of an input file, as the API reports it; undefined when it is valid. */
export function validateInputFile(
  lines: string[],
): { code: string; message: string; line: number } | undefined {
  const seen = new Set<string>();
  let model: string | undefined;
  for (const [index, text] of lines.entries()) {
    let line: { custom_id?: string; method?: string; url?: string; body?: ChatBody };
    try {
      line = JSON.parse(text);
    } catch {
      return { code: 'invalid_json_line', message: 'not JSON', line: index + 1 };
    }
    const problem =
      !line.custom_id || seen.has(line.custom_id)
        ? 'custom_id missing or duplicated'
        : line.method !== 'POST' || line.url !== '/v1/chat/completions'
          ? 'method must be POST and url /v1/chat/completions'
          : model !== undefined && line.body?.model !== model
            ? 'every request of a file must use the same model'
            : undefined;
    if (problem) return { code: 'invalid_request', message: problem, line: index + 1 };
    seen.add(line.custom_id!);
    model = line.body?.model;
  }
  return undefined;
}
