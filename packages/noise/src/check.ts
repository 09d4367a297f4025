import { AirlockError } from '@airlock/core';
import { MAX_PARAMETER } from './rational.ts';

/**
 * A scale or σ given as a JS number: finite, > 0, at most 1e12. Throws AirlockError BAD_REQUEST
 * naming the parameter and its value.
 */
export function checkPositive(name: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new AirlockError('BAD_REQUEST', `${name} must be a finite number > 0, got ${String(x)}.`);
  }
  if (x > MAX_PARAMETER) {
    throw new AirlockError('BAD_REQUEST', `${name} must be at most ${MAX_PARAMETER}, got ${x}; check its units.`);
  }
}

/** A confidence level strictly between 0 and 1. Throws AirlockError BAD_REQUEST otherwise. */
export function checkConfidence(confidence: number): void {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new AirlockError('BAD_REQUEST', `confidence must be a number strictly between 0 and 1 (e.g. 0.95), got ${String(confidence)}.`);
  }
}
