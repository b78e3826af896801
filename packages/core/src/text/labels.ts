/** Options for comparing labels. */
export interface LabelNormalization {
  /** Compare case-insensitively; default true. */
  case?: boolean;
  /** Treat `n/a`, `none`, `null` and empty as `na`; default true. */
  na?: boolean;
}

const naValues = new Set(['', 'n/a', 'na', 'none', 'null', 'nan', 'n.a.']);

/** Normalises a label: trims, lower-cases, drops trailing `.!?`, folds n/a-style values to `na`. */
export function normalizeLabel(label: string, options: LabelNormalization = {}): string {
  let result = label.trim();
  if (options.case ?? true) result = result.toLowerCase();
  if ((options.na ?? true) && naValues.has(result.toLowerCase())) return 'na';
  result = result.replace(/[.!?]+$/, '').trim();
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
