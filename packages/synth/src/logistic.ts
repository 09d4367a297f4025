import { AirlockError } from '@airlock/core';
import type { ColumnData } from './values.ts';

/**
 * A plain logistic regression for train-on-synthetic-test-on-real: categories one-hot encoded
 * (the most frequent {@link MAX_CATEGORIES} per column, the rest sharing one indicator; null is a
 * category), numbers standardized with a null indicator, L2 penalty, fitted by Newton's method
 * (IRLS). Every row has exactly one non-zero per column, so the Hessian is built from
 * (columns + 1)² products per row and a 24k-row table fits in tens of milliseconds. Fully
 * deterministic: no random initialization, no shuffling.
 */
export interface LogisticModel {
  readonly features: readonly FeatureColumn[];
  /** Weights per feature; the last entry is the intercept. */
  readonly weights: Float64Array;
}

type FeatureColumn =
  | { readonly kind: 'onehot'; readonly index: ReadonlyMap<string | null, number>; readonly rest: number }
  | { readonly kind: 'numeric'; readonly position: number; readonly nullPosition: number; readonly mean: number; readonly scale: number };

const MAX_CATEGORIES = 64;

export interface LogisticOptions {
  /** L2 penalty on the weights (not the intercept), in units of summed log-loss. Default 1. */
  readonly l2?: number | undefined;
  readonly maxIterations?: number | undefined;
}

/** Fit on feature columns (all of the same length) and 0/1 targets. */
export function fitLogistic(columns: readonly ColumnData[], targets: Uint8Array, options: LogisticOptions = {}): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 30;
  const features: FeatureColumn[] = [];
  let size = 0;
  for (const column of columns) {
    if (column.kind === 'numeric') {
      let sum = 0;
      let squares = 0;
      let count = 0;
      for (const value of column.values) {
        if (Number.isNaN(value)) continue;
        sum += value;
        squares += value * value;
        count++;
      }
      const mean = count > 0 ? sum / count : 0;
      const variance = count > 0 ? squares / count - mean * mean : 0;
      features.push({ kind: 'numeric', position: size, nullPosition: size + 1, mean, scale: variance > 1e-12 ? Math.sqrt(variance) : 1 });
      size += 2;
    } else {
      const counts = new Map<string | null, number>();
      for (const value of column.values) counts.set(value, (counts.get(value) ?? 0) + 1);
      const kept = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
        .slice(0, MAX_CATEGORIES);
      const index = new Map<string | null, number>(kept.map(([value], i) => [value, size + i]));
      features.push({ kind: 'onehot', index, rest: size + kept.length });
      size += kept.length + 1;
    }
  }
  const design = designMatrix(features, columns);
  const n = targets.length;
  const slots = features.length + 1;
  const d = size + 1;
  const weights = new Float64Array(d);
  const probabilities = new Float64Array(n);
  const linear = (i: number): number => {
    let z = weights[size]!;
    const base = i * features.length;
    for (let k = 0; k < features.length; k++) {
      const feature = design.indices[base + k]!;
      if (feature >= 0) z += weights[feature]! * design.values[base + k]!;
    }
    return z;
  };
  const loss = (): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const z = linear(i);
      // log(1 + e^z) − y z, computed without overflow.
      total += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - targets[i]! * z;
    }
    for (let k = 0; k < size; k++) total += 0.5 * l2 * weights[k]! * weights[k]!;
    return total;
  };

  let previous = loss();
  const rowIndices = new Int32Array(slots);
  const rowValues = new Float64Array(slots);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = new Float64Array(d);
    const hessian = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(linear(i));
      probabilities[i] = p;
      const residual = p - targets[i]!;
      const w = Math.max(p * (1 - p), 1e-10);
      let used = 0;
      const base = i * features.length;
      for (let k = 0; k < features.length; k++) {
        const feature = design.indices[base + k]!;
        if (feature < 0) continue;
        rowIndices[used] = feature;
        rowValues[used] = design.values[base + k]!;
        used++;
      }
      rowIndices[used] = size;
      rowValues[used] = 1;
      used++;
      for (let a = 0; a < used; a++) {
        const fa = rowIndices[a]!;
        const va = rowValues[a]!;
        gradient[fa]! += residual * va;
        const wa = w * va;
        const row = fa * d;
        // Lower triangle only (each row's features are distinct); mirrored below.
        for (let b = 0; b < used; b++) {
          const fb = rowIndices[b]!;
          if (fb <= fa) hessian[row + fb]! += wa * rowValues[b]!;
        }
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) hessian[b * d + a] = hessian[a * d + b]!;
    for (let k = 0; k < d; k++) {
      const penalty = k < size ? l2 : 1e-6;
      if (k < size) gradient[k]! += l2 * weights[k]!;
      hessian[k * d + k]! += penalty;
    }
    const step = choleskySolve(hessian, gradient, d);
    // Newton steps on this convex loss almost always decrease it; halve the step when one does not.
    let scale = 1;
    let current = previous;
    const start = Float64Array.from(weights);
    for (let attempt = 0; attempt < 20; attempt++) {
      for (let k = 0; k < d; k++) weights[k] = start[k]! - scale * step[k]!;
      current = loss();
      if (current <= previous + 1e-9 * Math.abs(previous)) break;
      scale /= 2;
    }
    let largest = 0;
    for (let k = 0; k < d; k++) largest = Math.max(largest, Math.abs(scale * step[k]!));
    const improvement = previous - current;
    previous = current;
    if (largest < 1e-7 || improvement < 1e-10 * Math.max(1, Math.abs(current))) break;
  }
  return { features, weights };
}

/** Probability of the positive class for each row of the feature columns. */
export function predictLogistic(model: LogisticModel, columns: readonly ColumnData[]): Float64Array {
  const size = model.weights.length - 1;
  const design = designMatrix(model.features, columns);
  const n = columns[0]?.values.length ?? 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = model.weights[size]!;
    const base = i * model.features.length;
    for (let k = 0; k < model.features.length; k++) {
      const feature = design.indices[base + k]!;
      if (feature >= 0) z += model.weights[feature]! * design.values[base + k]!;
    }
    out[i] = sigmoid(z);
  }
  return out;
}

/** One (feature, value) per column per row; feature −1 when the column contributes nothing. */
function designMatrix(features: readonly FeatureColumn[], columns: readonly ColumnData[]): { indices: Int32Array; values: Float64Array } {
  if (columns.length !== features.length) throw new AirlockError('INTERNAL', 'Feature columns do not match the fitted model.');
  const n = columns[0]?.values.length ?? 0;
  const m = features.length;
  const indices = new Int32Array(n * m);
  const values = new Float64Array(n * m);
  features.forEach((feature, k) => {
    const column = columns[k]!;
    for (let i = 0; i < n; i++) {
      const slot = i * m + k;
      if (feature.kind === 'numeric') {
        const value = column.values[i] as number;
        if (Number.isNaN(value)) {
          indices[slot] = feature.nullPosition;
          values[slot] = 1;
        } else {
          indices[slot] = feature.position;
          values[slot] = (value - feature.mean) / feature.scale;
        }
      } else {
        const raw = column.values[i]!;
        const value = typeof raw === 'number' ? (Number.isNaN(raw) ? null : String(raw)) : raw;
        indices[slot] = feature.index.get(value) ?? feature.rest;
        values[slot] = 1;
      }
    }
  });
  return { indices, values };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Solve A x = b for symmetric positive definite A (row-major d×d) by Cholesky. */
function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) l[i * d + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * d + j] = sum / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * d + k]! * y[k]!;
    y[i] = sum / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < d; k++) sum -= l[k * d + i]! * x[k]!;
    x[i] = sum / l[i * d + i]!;
  }
  return x;
}
