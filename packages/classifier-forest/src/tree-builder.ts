import { type FeatureColumn, type NodeStats, scanFeature } from './split-scan.js';
import type { TrainingMatrix } from './training-matrix.js';

export interface TreeOptions {
  /** Deepest level below the root; Infinity for none. */
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Features drawn per split (scikit-learn's `max_features`). */
  featuresPerSplit: number;
}

/** One tree in flat arrays: node i splits on `feature[i]` (or is a leaf, -1). */
export interface TreeArrays {
  feature: number[];
  /** Rows with value <= threshold go left. */
  threshold: number[];
  left: number[];
  right: number[];
  /** Weighted impurity decrease of the split, as a share of the root's weight. */
  gain: number[];
  /** Leaves: [class, probability, class, probability, ...]; null for splits. */
  leaf: (number[] | null)[];
}

interface Split extends FeatureColumn {
  threshold: number;
  proxy: number;
}

/**
 * Grows one CART classification tree (Gini) on the rows with weight > 0. Features are drawn
 * per split as scikit-learn's BestSplitter draws them: `featuresPerSplit` draws among all
 * features, draws of features constant in the node count, and drawing goes on only while
 * every draw so far was constant.
 */
export function growTree(
  matrix: TrainingMatrix,
  weights: Float64Array,
  options: TreeOptions,
  random: () => number,
): TreeArrays {
  return new TreeGrower(matrix, weights, options, random).grow();
}

class TreeGrower {
  private readonly tree: TreeArrays = {
    feature: [],
    threshold: [],
    left: [],
    right: [],
    gain: [],
    leaf: [],
  };
  /** Rows of the tree; each node owns a range of it. */
  private readonly rows: Int32Array;
  /** Where each row is in `rows`, -1 for rows outside the bootstrap sample. */
  private readonly position: Int32Array;
  /** A permutation of the features, partly reshuffled at each node. */
  private readonly features: Int32Array;
  private readonly mark: Int32Array;
  private readonly rowValue: Float64Array;
  private readonly rightCounts: Float64Array;
  /** Average non-zeros per feature: the expected cost of reading one drawn column. */
  private readonly columnCost: number;
  private tag = 0;
  private rootWeight = 0;

  constructor(
    private readonly matrix: TrainingMatrix,
    private readonly weights: Float64Array,
    private readonly options: TreeOptions,
    private readonly random: () => number,
  ) {
    const used: number[] = [];
    for (let row = 0; row < matrix.rowCount; row += 1) if (weights[row]! > 0) used.push(row);
    this.rows = Int32Array.from(used);
    this.position = new Int32Array(matrix.rowCount).fill(-1);
    this.rows.forEach((row, index) => {
      this.position[row] = index;
    });
    this.features = Int32Array.from({ length: matrix.featureCount }, (_, index) => index);
    this.mark = new Int32Array(matrix.featureCount);
    this.rowValue = new Float64Array(matrix.rowCount);
    this.rightCounts = new Float64Array(matrix.classCount);
    this.columnCost = matrix.values.length / Math.max(1, matrix.featureCount);
  }

  private addNode(): number {
    const { tree } = this;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.gain.push(0);
    tree.leaf.push(null);
    return tree.feature.length - 1;
  }

  grow(): TreeArrays {
    const stack = [{ node: this.addNode(), start: 0, end: this.rows.length, depth: 0 }];
    while (stack.length > 0) {
      const task = stack.pop()!;
      const stats = this.nodeStats(task.start, task.end);
      if (task.node === 0) this.rootWeight = stats.weight;
      const impurity = 1 - stats.sumSquares / stats.weight ** 2;
      const split =
        task.depth >= this.options.maxDepth ||
        stats.size < this.options.minSamplesSplit ||
        stats.size < 2 * this.options.minSamplesLeaf ||
        impurity <= 1e-12
          ? undefined
          : this.bestSplit(task.start, task.end, stats);
      if (!split) {
        this.tree.leaf[task.node] = leafValue(stats.counts, stats.weight);
        continue;
      }
      const middle = this.partition(task.start, task.end, split);
      const left = this.addNode();
      const right = this.addNode();
      const { tree } = this;
      const improvement = Math.max(0, impurity - (1 - split.proxy / stats.weight));
      tree.feature[task.node] = split.feature;
      tree.threshold[task.node] = split.threshold;
      tree.left[task.node] = left;
      tree.right[task.node] = right;
      tree.gain[task.node] = (stats.weight * improvement) / this.rootWeight;
      stack.push({ node: right, start: middle, end: task.end, depth: task.depth + 1 });
      stack.push({ node: left, start: task.start, end: middle, depth: task.depth + 1 });
    }
    return this.tree;
  }

  private nodeStats(start: number, end: number): NodeStats {
    const counts = new Float64Array(this.matrix.classCount);
    for (let index = start; index < end; index += 1) {
      const row = this.rows[index]!;
      counts[this.matrix.classes[row]!]! += this.weights[row]!;
    }
    let weight = 0;
    let sumSquares = 0;
    for (const count of counts) {
      weight += count;
      sumSquares += count * count;
    }
    return {
      classes: this.matrix.classes,
      weights: this.weights,
      counts,
      sumSquares,
      weight,
      size: end - start,
      minSamplesLeaf: this.options.minSamplesLeaf,
      rightCounts: this.rightCounts,
    };
  }

  private bestSplit(start: number, end: number, stats: NodeStats): Split | undefined {
    const { rowStart } = this.matrix;
    let nonZeros = 0;
    for (let index = start; index < end; index += 1) {
      const row = this.rows[index]!;
      nonZeros += rowStart[row + 1]! - rowStart[row]!;
    }
    // Small nodes: list the features present in their rows. Large nodes: read drawn columns.
    const useRows = nonZeros <= 2 * this.options.featuresPerSplit * this.columnCost;
    return useRows
      ? this.bestSplitByRows(start, end, stats)
      : this.bestSplitByColumns(start, end, stats);
  }

  private bestSplitByColumns(start: number, end: number, stats: NodeStats): Split | undefined {
    const { features } = this;
    let best: Split | undefined;
    let informative = 0;
    for (let drawn = 0; drawn < features.length; drawn += 1) {
      if (drawn >= this.options.featuresPerSplit && informative > 0) break;
      const pick = drawn + Math.floor(this.random() * (features.length - drawn));
      [features[drawn], features[pick]] = [features[pick]!, features[drawn]!];
      const column = this.column(features[drawn]!, start, end);
      if (column.rows.length === 0) continue;
      const result = scanFeature(column, stats);
      if (!result) continue;
      informative += 1;
      if (!best || result.proxy > best.proxy) best = { ...column, ...result };
    }
    return best;
  }

  private bestSplitByRows(start: number, end: number, stats: NodeStats): Split | undefined {
    const present = this.presentFeatures(start, end);
    // Draws among all features that land on present ones: hypergeometric, at least one.
    let remaining = this.matrix.featureCount;
    let remainingPresent = present.length;
    let hits = 0;
    for (let draw = 0; draw < this.options.featuresPerSplit && remainingPresent > 0; draw += 1) {
      if (this.random() * remaining < remainingPresent) {
        hits += 1;
        remainingPresent -= 1;
      }
      remaining -= 1;
    }
    let best: Split | undefined;
    let informative = 0;
    for (let drawn = 0; drawn < present.length; drawn += 1) {
      if (drawn >= Math.max(1, hits) && informative > 0) break;
      const pick = drawn + Math.floor(this.random() * (present.length - drawn));
      [present[drawn], present[pick]] = [present[pick]!, present[drawn]!];
      const column = this.column(present[drawn]!, start, end);
      const result = scanFeature(column, stats);
      if (!result) continue;
      informative += 1;
      if (!best || result.proxy > best.proxy) best = { ...column, ...result };
    }
    return best;
  }

  /** Features with a non-zero value in some row of the node, in first-seen order. */
  private presentFeatures(start: number, end: number): number[] {
    const { rowStart, columns } = this.matrix;
    this.tag += 1;
    const present: number[] = [];
    for (let index = start; index < end; index += 1) {
      const row = this.rows[index]!;
      for (let entry = rowStart[row]!; entry < rowStart[row + 1]!; entry += 1) {
        const feature = columns[entry]!;
        if (this.mark[feature] !== this.tag) {
          this.mark[feature] = this.tag;
          present.push(feature);
        }
      }
    }
    return present;
  }

  /** The node's rows with a non-zero value of `feature`, read from the feature's column. */
  private column(feature: number, start: number, end: number): FeatureColumn {
    const { columnStart, columnRows, columnValues } = this.matrix;
    const rows: number[] = [];
    const values: number[] = [];
    for (let entry = columnStart[feature]!; entry < columnStart[feature + 1]!; entry += 1) {
      const row = columnRows[entry]!;
      const at = this.position[row]!;
      if (at >= start && at < end) {
        rows.push(row);
        values.push(columnValues[entry]!);
      }
    }
    return { feature, rows, values };
  }

  /** Moves rows with value <= threshold to the front of the node's range; returns the boundary. */
  private partition(start: number, end: number, split: Split): number {
    const { rows, rowValue, position } = this;
    for (let index = start; index < end; index += 1) rowValue[rows[index]!] = 0;
    for (let index = 0; index < split.rows.length; index += 1)
      rowValue[split.rows[index]!] = split.values[index]!;
    const goesLeft: number[] = [];
    const goesRight: number[] = [];
    for (let index = start; index < end; index += 1) {
      const row = rows[index]!;
      (rowValue[row]! <= split.threshold ? goesLeft : goesRight).push(row);
    }
    rows.set(goesLeft, start);
    rows.set(goesRight, start + goesLeft.length);
    for (let index = start; index < end; index += 1) position[rows[index]!] = index;
    return start + goesLeft.length;
  }
}

function leafValue(counts: Float64Array, weight: number): number[] {
  const leaf: number[] = [];
  counts.forEach((count, classIndex) => {
    if (count > 1e-12) leaf.push(classIndex, count / weight);
  });
  return leaf;
}
