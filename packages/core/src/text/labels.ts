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

/** Finds the declared label that a value stands for, ignoring case and trailing punctuation. */
export function matchLabel(value: string, labels: readonly string[]): string | undefined {
  if (labels.includes(value)) return value;
  const wanted = normalizeLabel(value);
  return labels.find((label) => normalizeLabel(label) === wanted);
}
