/** The rows of a node that have a non-zero value for one feature. */
export interface FeatureColumn {
  feature: number;
  rows: number[];
  values: number[];
}

/** What a split scan needs about the node. */
export interface NodeStats {
  classes: Int32Array;
  weights: Float64Array;
  /** Weighted count per class in the node. */
  counts: Float64Array;
  /** Sum of squared class counts. */
  sumSquares: number;
  weight: number;
  /** Rows in the node. */
  size: number;
  minSamplesLeaf: number;
  /** Scratch space, all zeros, one entry per class; left all zeros on return. */
  rightCounts: Float64Array;
}

/**
 * The best threshold of one feature by the Gini proxy sum(c^2)/w per side; undefined if the
 * feature is constant in the node or no threshold leaves enough rows on both sides.
 * Rows move from left to right in descending value order, so the zero group (most rows of a
 * sparse feature) is only touched when negative values exist.
 */
export function scanFeature(
  column: FeatureColumn,
  node: NodeStats,
): { threshold: number; proxy: number } | undefined {
  const { classes, weights, counts, size } = node;
  const { rows, values } = column;
  const classCount = counts.length;
  const order = rows.map((_, index) => index);
  order.sort((left, right) => values[right]! - values[left]!);
  const zeroRows = size - rows.length;
  const positives = order.findLastIndex((index) => values[index]! > 0) + 1;
  const steps = order.length + (zeroRows > 0 ? 1 : 0);
  const right = node.rightCounts;
  const touched: number[] = [];
  let sumLeft = node.sumSquares;
  let sumRight = 0;
  let rightWeight = 0;
  let rightRows = 0;
  const move = (classIndex: number, amount: number) => {
    const before = right[classIndex]!;
    if (before === 0) touched.push(classIndex);
    const leftBefore = counts[classIndex]! - before;
    sumRight += 2 * amount * before + amount * amount;
    sumLeft += -2 * amount * leftBefore + amount * amount;
    right[classIndex] = before + amount;
    rightWeight += amount;
  };
  const positionOf = (step: number) => order[zeroRows > 0 && step > positives ? step - 1 : step]!;
  const valueAt = (step: number): number =>
    zeroRows > 0 && step === positives ? 0 : values[positionOf(step)]!;
  let best: { threshold: number; proxy: number } | undefined;
  for (let step = 0; step < steps - 1; step += 1) {
    if (zeroRows > 0 && step === positives) {
      const zeroCounts = Float64Array.from(counts);
      for (const row of rows) zeroCounts[classes[row]!]! -= weights[row]!;
      for (let classIndex = 0; classIndex < classCount; classIndex += 1)
        if (zeroCounts[classIndex]! > 1e-12) move(classIndex, zeroCounts[classIndex]!);
      rightRows += zeroRows;
    } else {
      const row = rows[positionOf(step)]!;
      move(classes[row]!, weights[row]!);
      rightRows += 1;
    }
    const current = valueAt(step);
    const next = valueAt(step + 1);
    if (next >= current) continue;
    if (rightRows < node.minSamplesLeaf || size - rightRows < node.minSamplesLeaf) continue;
    const leftWeight = node.weight - rightWeight;
    if (leftWeight <= 0 || rightWeight <= 0) continue;
    const proxy = sumLeft / leftWeight + sumRight / rightWeight;
    if (!best || proxy > best.proxy) {
      let threshold = next / 2 + current / 2;
      if (threshold >= current || threshold < next) threshold = next;
      best = { threshold, proxy };
    }
  }
  for (const classIndex of touched) right[classIndex] = 0;
  return best;
}
