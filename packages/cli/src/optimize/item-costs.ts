import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir, type ResultLine, sha256 } from '@plexus/core';

/**
 * What each item cost a version of the score when it was paid for, kept beside the result cache
 * (`<cache>/optimize-item-costs/`, one file per score fingerprint): a result from the cache costs
 * $0 now, so a version whose answers a run before had paid for (another `--out`, another `--seed`)
 * had no cost per item, and `--max-cost-increase` let any rise through.
 */
export interface ItemCosts {
  /** Dollars per item over every item (paid now or remembered); null when some item's is not known. */
  perItem: number | null;
  /** Items whose cost is not known: from a result cache no optimize run filled, or an unknown price. */
  unknown: number;
}

function keyOf(line: ResultLine): string {
  return sha256(JSON.stringify([line.item_id, line.text ?? '', line.text_length ?? null]));
}

function memoPath(cacheDir: string | undefined, fingerprint: string): string {
  return join(cacheDir ?? defaultCacheDir(), 'optimize-item-costs', `${sha256(fingerprint)}.json`);
}

function readMemo(path: string): Record<string, number> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
  } catch {
    return {}; // a memo cut by a kill: costs are remembered again as items are paid for
  }
}

/** Each line's cost (paid now, else remembered), remembering the ones paid now. */
export function itemCosts(
  lines: readonly ResultLine[],
  fingerprint: string,
  cacheDir: string | undefined,
): ItemCosts {
  const path = memoPath(cacheDir, fingerprint);
  const memo = readMemo(path);
  let total = 0;
  let unknown = 0;
  let learnt = false;
  for (const line of lines) {
    const key = keyOf(line);
    if (!line.cached && line.cost_usd !== null) {
      if (memo[key] !== line.cost_usd) learnt = true;
      memo[key] = line.cost_usd;
    }
    const cost = line.cached ? memo[key] : line.cost_usd;
    if (cost === undefined || cost === null) unknown += 1;
    else total += cost;
  }
  if (learnt) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, `${JSON.stringify(memo)}\n`);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  return {
    perItem: unknown > 0 || lines.length === 0 ? null : total / lines.length,
    unknown,
  };
}
