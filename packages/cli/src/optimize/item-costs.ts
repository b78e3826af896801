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

function memoPath(cacheDir: string | undefined, name: string): string {
  return join(cacheDir ?? defaultCacheDir(), 'optimize-item-costs', `${sha256(name)}.json`);
}

function readMemo(path: string): Record<string, number> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
  } catch {
    return {}; // a memo cut by a kill: costs are remembered again as items are paid for
  }
}

function writeMemo(path: string, memo: Record<string, number>): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(`${path}.${process.pid}.tmp`, `${JSON.stringify(memo)}\n`);
  renameSync(`${path}.${process.pid}.tmp`, path);
}

/** A graph node's step in a line's trace (`llm/graph`): its prompts, attempts and usage. */
interface NodeStep {
  node?: unknown;
  attempts?: unknown;
  prompts?: unknown;
  usage?: { calls?: unknown; cost_usd?: unknown };
}

function stepsOf(line: ResultLine): NodeStep[] {
  const path = (line.trace as { path?: unknown } | undefined)?.path;
  return Array.isArray(path)
    ? path.filter((step): step is NodeStep => typeof step === 'object' && step !== null)
    : [];
}

/**
 * A line's whole cost: what it paid, plus for each graph node answered from the response cache
 * (an unchanged node of an edited graph: its request is the current version's) what that node's
 * same request cost when it was paid, remembered in `nodes` by node and messages. A candidate
 * graph's cost per item was its edited node's alone (0.000144 where it is 0.000535).
 */
function wholeCost(line: ResultLine, nodes: Record<string, number>): number | null {
  if (line.cost_usd === null) return null;
  let total = line.cost_usd;
  for (const step of stepsOf(line)) {
    if (step.prompts === undefined) continue;
    const key = sha256(JSON.stringify([step.node, step.prompts]));
    const calls = step.usage?.calls;
    const cost = step.usage?.cost_usd;
    if (typeof calls === 'number' && calls > 0 && typeof cost === 'number') nodes[key] = cost;
    else if (step.attempts === 0 && calls === 0) {
      const remembered = nodes[key];
      if (remembered === undefined) return null;
      total += remembered;
    }
  }
  return total;
}

/**
 * A cached graph line's cost when its version's memo lacks it: each asking node's cost when paid
 * (its step's own, else remembered in `nodes`). An edited graph's item whose path never reaches
 * the edited node is answered wholly from the response cache, so `cached`: it was unknown, and
 * `--max-cost-increase` unchecked. Undefined for a line of no graph, or a node of unknown cost.
 */
function cachedGraphCost(line: ResultLine, nodes: Record<string, number>): number | undefined {
  if (!Array.isArray((line.trace as { path?: unknown } | undefined)?.path)) return undefined;
  let total = 0;
  for (const step of stepsOf(line)) {
    if (step.usage === undefined) continue; // logic and fuzzy nodes ask nothing
    const calls = step.usage.calls;
    const cost = step.usage.cost_usd;
    if (typeof calls === 'number' && calls > 0 && typeof cost === 'number') total += cost;
    else {
      const remembered =
        step.prompts === undefined
          ? undefined
          : nodes[sha256(JSON.stringify([step.node, step.prompts]))];
      if (remembered === undefined) return undefined;
      total += remembered;
    }
  }
  return total;
}

/** Each line's cost (paid now, else remembered), remembering the ones paid now. */
export function itemCosts(
  lines: readonly ResultLine[],
  fingerprint: string,
  cacheDir: string | undefined,
): ItemCosts {
  const path = memoPath(cacheDir, fingerprint);
  const nodesPath = memoPath(cacheDir, 'graph nodes');
  const memo = readMemo(path);
  const nodes = readMemo(nodesPath);
  const before = { items: JSON.stringify(memo), nodes: JSON.stringify(nodes) };
  let total = 0;
  let unknown = 0;
  for (const line of lines) {
    const key = keyOf(line);
    const paid = line.cached ? null : wholeCost(line, nodes);
    if (paid !== null) memo[key] = paid;
    const cost = line.cached ? (memo[key] ?? cachedGraphCost(line, nodes)) : paid;
    if (cost === undefined || cost === null) unknown += 1;
    else total += cost;
  }
  if (JSON.stringify(memo) !== before.items) writeMemo(path, memo);
  if (JSON.stringify(nodes) !== before.nodes) writeMemo(nodesPath, nodes);
  return {
    perItem: unknown > 0 || lines.length === 0 ? null : total / lines.length,
    unknown,
  };
}
