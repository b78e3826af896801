import { escapeHtml, reportStyle } from '@plexus/core';

/** The report's escaping: data never becomes markup. */
export { escapeHtml };

/** A number with `digits` decimals, or a dash for none (or for a value a line holds that is no number). */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** A path segment of a link: the run or item id percent-encoded (ids may hold `/`, `?`, `#`). */
export function segment(text: string): string {
  return encodeURIComponent(text);
}

/**
 * The address of an item's page. An id `.` or `..` cannot be a path segment: URLs
 * resolve it as "this folder" or "the parent", even percent-encoded, so it goes in the query.
 */
export function itemPath(run: string, itemId: string): string {
  const base = `/run/${segment(run)}/item`;
  return itemId === '.' || itemId === '..'
    ? `${base}?id=${segment(itemId)}`
    : `${base}/${segment(itemId)}`;
}

/**
 * No script runs on these pages and nothing is fetched from elsewhere: styles inline, images only
 * from this server (a screenshot in the README is not served here).
 */
export const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** After the report's style (its score sections are reused on the run page): these win. */
const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2937; background: #f8fafc; }
header.top { max-width: none; background: #0f172a; color: #e2e8f0; padding: 8px 24px; display: flex; gap: 18px; align-items: baseline; border: 0; }
header.top a { color: #e2e8f0; text-decoration: none; } header.top .brand { font-weight: 700; }
main { max-width: 1280px; margin: 0 auto; padding: 12px 24px 40px; }
details.report-section > summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
h1 { font-size: 21px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 18px 0 8px; }
.meta { color: #4b5563; } .meta span { margin-right: 16px; }
.note { color: #6b7280; font-size: 12px; }
.live { background: #fef3c7; border: 1px solid #f59e0b; padding: 6px 10px; border-radius: 6px; }
.problem { background: #fee2e2; border: 1px solid #ef4444; padding: 6px 10px; border-radius: 6px; }
table { border-collapse: collapse; background: #fff; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; font-weight: 600; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
.status-completed { color: #15803d; } .status-failed { color: #b91c1c; } .status-interrupted { color: #b45309; } .status-running { color: #1d4ed8; }
.correct { color: #15803d; } .incorrect { color: #b91c1c; } .unjudged { color: #6b7280; }
.better { color: #15803d; font-weight: 600; } .worse { color: #b91c1c; font-weight: 600; }
td.text { min-width: 280px; max-width: 420px; white-space: pre-wrap; word-break: break-word; }
table.flips { width: 100%; } table.flips td { overflow-wrap: anywhere; } table.flips td.text { width: 45%; }
td.explanation { max-width: 360px; white-space: pre-wrap; word-break: break-word; color: #374151; }
form.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 8px 0; }
form.filters input[type=search] { min-width: 280px; padding: 3px 6px; } form.filters select { max-width: 220px; }
.pager { margin: 8px 0; display: flex; gap: 12px; align-items: center; }
.panel { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
.panel h2 { margin-top: 0; }
pre { white-space: pre-wrap; word-break: break-word; background: #f8fafc; border: 1px solid #e5e7eb; padding: 8px; max-height: 480px; overflow: auto; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
dl.fields dt { color: #6b7280; } dl.fields dd { margin: 0; white-space: pre-wrap; word-break: break-word; }
`;

/** A whole page: the header with the way back to the run list, the title and the body. */
export function page(
  title: string,
  body: string,
  options: { refreshSeconds?: number } = {},
): string {
  const refresh =
    options.refreshSeconds === undefined
      ? ''
      : `<meta http-equiv="refresh" content="${options.refreshSeconds}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(title)} · plexus view</title><style>${reportStyle}${style}</style></head>
<body><header class="top"><a class="brand" href="/">plexus view</a><a href="/">runs</a></header>
<main>${body}</main></body></html>
`;
}
