import type { SparseVector } from './featurizer.js';

/** Training rows in compressed sparse row and column form, with class indices. */
export interface TrainingMatrix {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  /** The same entries by feature: rows in ascending order. */
  columnStart: Int32Array;
  columnRows: Int32Array;
  columnValues: Float64Array;
  rowCount: number;
  featureCount: number;
  /** Class index per row. */
  classes: Int32Array;
  classCount: number;
}

/** Packs feature vectors (one per row) into a training matrix. */
export function toMatrix(
  vectors: readonly SparseVector[],
  classes: readonly number[],
  featureCount: number,
  classCount: number,
): TrainingMatrix {
  const rowStart = new Int32Array(vectors.length + 1);
  const columnCounts = new Int32Array(featureCount + 1);
  let total = 0;
  vectors.forEach((vector, row) => {
    rowStart[row] = total;
    total += vector.indices.length;
    for (const feature of vector.indices) columnCounts[feature + 1]! += 1;
  });
  rowStart[vectors.length] = total;
  const columns = new Int32Array(total);
  const values = new Float64Array(total);
  const columnStart = new Int32Array(featureCount + 1);
  for (let feature = 0; feature < featureCount; feature += 1)
    columnStart[feature + 1] = columnStart[feature]! + columnCounts[feature + 1]!;
  const fill = Int32Array.from(columnStart);
  const columnRows = new Int32Array(total);
  const columnValues = new Float64Array(total);
  vectors.forEach((vector, row) => {
    columns.set(vector.indices, rowStart[row]!);
    values.set(vector.values, rowStart[row]!);
    vector.indices.forEach((feature, position) => {
      const at = fill[feature]!;
      columnRows[at] = row;
      columnValues[at] = vector.values[position]!;
      fill[feature] = at + 1;
    });
  });
  return {
    rowStart,
    columns,
    values,
    columnStart,
    columnRows,
    columnValues,
    rowCount: vectors.length,
    featureCount,
    classes: Int32Array.from(classes),
    classCount,
  };
}
