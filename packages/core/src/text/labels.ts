/** Options for comparing labels. */
export interface LabelNormalization {
  /** Compare case-insensitively; default true. */
  case?: boolean;
  /** Treat `n/a`, `none`, `null` and empty as `na`; default true. */
  na?: boolean;
}

const naValues = new Set(['', 'n/a', 'na', 'none', 'null', 'nan', 'n.a.']);

/** Whether a UTF-16 unit is what `trim()` removes, or zero-width (invisible, as a space is). */
function blank(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200d) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x2060 ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The text without the `.!?` it ends with (linear: `/[.!?]+$/` is retried at each dot of a run). */
function withoutEndPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && '.!?'.includes(text[end - 1]!)) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** The text without the spaces and zero-width characters around it (linear, unlike a regex). */
function trimmed(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && blank(text.charCodeAt(start))) start += 1;
  while (end > start && blank(text.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Normalises a label: Unicode NFC (a `café` typed with a combining accent is the same label),
 * trims spaces and zero-width characters, lower-cases, drops trailing `.!?`, folds n/a-style
 * values to `na`.
 */
export function normalizeLabel(label: string, options: LabelNormalization = {}): string {
  let result = trimmed(label.normalize('NFC'));
  if (options.case ?? true) result = result.toLowerCase();
  if ((options.na ?? true) && naValues.has(result.toLowerCase())) return 'na';
  result = trimmed(withoutEndPunctuation(result));
  if ((options.na ?? true) && naValues.has(result.toLowerCase())) return 'na';
  return result;
}

/** Distinct labels remembered per normalisation at most (a run has few), and the longest kept:
 * a longer answer is free text, normalised each time and not kept. */
const rememberedLabels = 1024;
const rememberedLength = 200;
const remembered = new WeakMap<LabelNormalization, Map<string, string>>();
const rememberedDefault = new Map<string, string>();

/**
 * `normalizeLabel`, remembered per normalisation object: a run compares the same few labels on
 * every one of its result lines (the result line, the metrics, the report rows, conditions).
 */
export function normalizedLabel(label: string, options?: LabelNormalization): string {
  let memo = options ? remembered.get(options) : rememberedDefault;
  if (!memo) {
    memo = new Map();
    remembered.set(options!, memo);
  }
  let result = memo.get(label);
  if (result === undefined) {
    result = normalizeLabel(label, options);
    if (memo.size < rememberedLabels && label.length <= rememberedLength) memo.set(label, result);
  }
  return result;
}

/** Finds the declared label that a value stands for, ignoring case and trailing punctuation. */
export function matchLabel(value: string, labels: readonly string[]): string | undefined {
  if (labels.includes(value)) return value;
  const wanted = normalizeLabel(value);
  return labels.find((label) => normalizeLabel(label) === wanted);
}
