import { AirlockError } from '@airlock/core';
import { TransformError } from './transform-error.ts';

/**
 * The bucket label of a number for strictly increasing `edges` e0 < e1 < … < eN:
 * `<e0` below the first edge, `[ei,ei+1)` between two edges (lower bound included), `>=eN` from
 * the last edge up. With edges [0, 18, 65]: -1 → `<0`, 18 → `[18,65)`, 70 → `>=65`.
 * Null and undefined give null. Throws {@link TransformError} for a non-finite value,
 * `BAD_REQUEST` for empty, non-finite or unordered edges.
 */
export function bucketNumber(value: number, edges: readonly number[]): string;
export function bucketNumber(value: number | null | undefined, edges: readonly number[]): string | null;
export function bucketNumber(value: number | null | undefined, edges: readonly number[]): string | null {
  assertEdges(edges);
  if (value === null || value === undefined) return null;
  assertFinite(value);
  const first = edges[0]!;
  if (value < first) return `<${first}`;
  // Edges are few (a policy lists them by hand), so a linear scan beats a binary search in clarity.
  for (let i = edges.length - 1; i >= 0; i--) {
    const lower = edges[i]!;
    if (value >= lower) {
      const upper = edges[i + 1];
      return upper === undefined ? `>=${lower}` : `[${lower},${upper})`;
    }
  }
  return `<${first}`;
}

/** Every label {@link bucketNumber} can return for `edges`, in ascending order. */
export function bucketLabels(edges: readonly number[]): string[] {
  assertEdges(edges);
  const inner = edges.slice(1).map((upper, i) => `[${edges[i]!},${upper})`);
  return [`<${edges[0]!}`, ...inner, `>=${edges[edges.length - 1]!}`];
}

/**
 * Top and bottom coding: values below `min` become `min`, above `max` become `max`; either bound
 * may be undefined (no coding on that side). Null and undefined give null. Throws
 * {@link TransformError} for a non-finite value, `BAD_REQUEST` when min > max.
 */
export function clampNumber(value: number, min: number | undefined, max: number | undefined): number;
export function clampNumber(value: number | null | undefined, min: number | undefined, max: number | undefined): number | null;
export function clampNumber(value: number | null | undefined, min: number | undefined, max: number | undefined): number | null {
  if (min !== undefined && max !== undefined && min > max) {
    throw new AirlockError('BAD_REQUEST', `clamp min ${min} is above max ${max}; fix the policy`);
  }
  if (value === null || value === undefined) return null;
  assertFinite(value);
  if (min !== undefined && value < min) return min;
  if (max !== undefined && value > max) return max;
  return value;
}

function assertEdges(edges: readonly number[]): void {
  const ordered = edges.every((edge, i) => Number.isFinite(edge) && (i === 0 || edge > edges[i - 1]!));
  if (edges.length === 0 || !ordered) {
    throw new AirlockError('BAD_REQUEST', 'bucket edges must be one or more finite numbers in strictly increasing order; fix the policy');
  }
}

function assertFinite(value: number): void {
  if (!Number.isFinite(value)) throw new TransformError({ reason: 'not a finite number' });
}

/**
 * A coordinate rounded to the nearest multiple of `step` degrees (0.01° of latitude ≈ 1.1 km),
 * printed without binary noise (0.1 + 0.2 stays 0.3). `BAD_REQUEST` for a step that is not
 * positive; a {@link TransformError} for a non-finite value.
 */
export function gridCoordinate(value: number | null, step: number): number | null {
  if (!(step > 0) || !Number.isFinite(step)) throw new AirlockError('BAD_REQUEST', `grid step ${step} must be a positive number of degrees, e.g. 0.01; fix the policy`);
  if (value === null) return null;
  if (!Number.isFinite(value)) throw new TransformError({ reason: `is ${value}, not a finite coordinate` });
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1);
  return Number((Math.round(value / step) * step).toFixed(decimals));
}
