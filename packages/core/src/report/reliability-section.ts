import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { escapeHtml, format } from './html.js';

const size = 220;
const pad = 28;

/** A coordinate with two decimals (no 20.000000000000007 in the page). */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function x(value: number): number {
  return round(pad + value * size);
}

function y(value: number): number {
  return round(pad + (1 - value) * size);
}

/**
 * The reliability diagram of a score whose results carry a confidence: per confidence bin, a bar
 * up to the bin's accuracy (its width the bin, its title the counts), a dot at the bin's mean
 * confidence, and the diagonal of perfect calibration; ECE and Brier above. Empty without calibration.
 */
export function reliabilitySection(metrics: ScoreMetrics): string {
  const calibration = metrics.calibration;
  if (!calibration) return '';
  const bars = calibration.reliability
    .filter((bin) => bin.n > 0)
    .map((bin) => {
      const title = `confidence ${bin.lo.toFixed(1)}–${bin.hi.toFixed(1)}: ${bin.n} answers, accuracy ${format(bin.accuracy)}, mean confidence ${format(bin.confidence)}`;
      const top = y(bin.accuracy ?? 0);
      return `<g><title>${escapeHtml(title)}</title><rect class="bin" x="${x(bin.lo) + 1}" y="${top}" width="${round((bin.hi - bin.lo) * size - 2)}" height="${round(y(0) - top)}"/><circle class="mean" cx="${x(bin.confidence ?? 0)}" cy="${y(bin.confidence ?? 0)}" r="3"/></g>`;
    })
    .join('');
  const ticks = [0, 0.5, 1]
    .map(
      (tick) =>
        `<text x="${x(tick)}" y="${y(0) + 16}" text-anchor="middle">${tick}</text><text x="${pad - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`,
    )
    .join('');
  const svg = `<svg class="reliability" viewBox="0 0 ${size + 2 * pad} ${size + 2 * pad}" width="${size + 2 * pad}" height="${size + 2 * pad}" role="img" aria-label="reliability diagram"><rect class="frame" x="${pad}" y="${pad}" width="${size}" height="${size}"/><line class="diagonal" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"/>${bars}${ticks}</svg>`;
  return `<h3>Calibration <small>ECE ${format(calibration.ece)} · Brier (top label) ${format(calibration.brier_top_label)} · ${calibration.n} labelled answers with a confidence; bars: accuracy per confidence bin, dots: mean confidence, diagonal: perfectly calibrated</small></h3>${svg}`;
}
