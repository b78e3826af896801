/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A number with `digits` decimals, or a dash for none. A run folder's files are read as they are
 * (an older version's line without `confidence`, one edited by hand): anything but a finite number
 * is a dash, never a crash of the whole page.
 */
export function format(value: number | null | undefined, digits = 3): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/**
 * A share (accuracy, F1, coverage; also kappa and AC1, whose 1 is perfect agreement) in `digits`
 * decimals, never rounded to a figure it is not: `>0.999` for one below 1 that rounds to 1.000
 * (2,998 right of 2,999 read "accuracy 1.000", as for none wrong), `<0.001` for one above 0 that
 * rounds to 0.000. Anything but a finite number is a dash (`format`).
 */
export function shareText(value: number | null | undefined, digits = 3): string {
  const text = format(value, digits);
  if (typeof value !== 'number' || !(value > 0 && value < 1)) return text;
  const step = 10 ** -digits;
  if (Number(text) === 1) return `>${(1 - step).toFixed(digits)}`;
  if (Number(text) === 0) return `<${step.toFixed(digits)}`;
  return text;
}

export function interval(value: [number, number] | null | undefined): string {
  return value ? `[${value[0].toFixed(3)}, ${value[1].toFixed(3)}]` : '';
}

/**
 * A share as a percentage to one decimal, never rounded to a figure it is not: `<0.1%` for a share
 * above 0 that rounds to 0.0% (one item of 3,000 read "0.0%", as for none), `>99.9%` for one below
 * 1 that rounds to 100.0%.
 */
export function percentText(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const share = part / whole;
  const shown = (share * 100).toFixed(1);
  if (share > 0 && shown === '0.0') return '<0.1%';
  if (share < 1 && shown === '100.0') return '>99.9%';
  return `${shown}%`;
}
