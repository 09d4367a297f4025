// The exact distributions the samplers draw from, evaluated in floating point: for tests, for
// error bars shown next to noisy figures, and for choosing a scale from a target accuracy.
import { checkConfidence, checkPositive } from './check.ts';

const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
/** Below this σ the discrete Gaussian's normaliser is summed directly; above, by Poisson summation. */
const DIRECT_SUM_SIGMA = 1;
/** Up to this σ half-widths come from tail sums of the pmf; above, from Euler–Maclaurin. */
const DIRECT_TAIL_SIGMA = 1000;

/** P(X = x) for the discrete Laplace with scale t: tanh(1/(2t))·exp(−|x|/t); 0 for non-integers. */
export function discreteLaplacePmf(x: number, scale: number): number {
  checkPositive('scale', scale);
  if (!Number.isInteger(x)) return 0;
  return Math.tanh(1 / (2 * scale)) * Math.exp(-Math.abs(x) / scale);
}

/** Var(X) of the discrete Laplace with scale t: 2q/(1−q)² with q = e^(−1/t) (close to 2t² for large t). */
export function discreteLaplaceVariance(scale: number): number {
  checkPositive('scale', scale);
  const q = Math.exp(-1 / scale);
  const oneMinusQ = -Math.expm1(-1 / scale);
  return (2 * q) / (oneMinusQ * oneMinusQ);
}

/** P(|X| > h) of the discrete Laplace: 2q^(h+1)/(1+q). */
function laplaceTail(h: number, scale: number): number {
  const q = Math.exp(-1 / scale);
  return (2 * Math.exp(-(h + 1) / scale)) / (1 + q);
}

/**
 * Smallest integer h ≥ 0 with P(|X| ≤ h) ≥ confidence for the discrete Laplace with this scale,
 * from its closed-form tail 2q^(h+1)/(1+q), q = e^(−1/t). Close to t·ln(1/(1−confidence)) for
 * large t (ln 20 · t ≈ 3t at 95%). Throws AirlockError BAD_REQUEST for a bad scale or confidence.
 */
export function discreteLaplaceHalfWidth(scale: number, confidence: number): number {
  checkPositive('scale', scale);
  checkConfidence(confidence);
  const alpha = 1 - confidence;
  const q = Math.exp(-1 / scale);
  let h = Math.max(0, Math.ceil(scale * Math.log(2 / (alpha * (1 + q)))) - 1);
  // The logarithm above may round either way: settle on the exact smallest h.
  while (h > 0 && laplaceTail(h - 1, scale) <= alpha) h--;
  while (laplaceTail(h, scale) > alpha) h++;
  return h;
}

/** Σ over all integers of exp(−x²/(2σ²)). */
function gaussianNormaliser(sigma: number): number {
  if (sigma < DIRECT_SUM_SIGMA) {
    // Terms fall below 1e-40 of the first by |x| = 14σ.
    let sum = 1;
    for (let x = 1; x <= 14 * sigma + 2; x++) sum += 2 * Math.exp(-(x * x) / (2 * sigma * sigma));
    return sum;
  }
  // Poisson summation: Σ_x e^(−x²/2σ²) = σ√(2π)·Σ_k e^(−2π²σ²k²); for σ ≥ 1 the k = ±1 terms are
  // below 3e-9 and k = ±2 below 1e-34.
  return sigma * SQRT_TWO_PI * (1 + 2 * Math.exp(-2 * Math.PI * Math.PI * sigma * sigma));
}

/**
 * P(X = x) for the discrete Gaussian with parameter σ: exp(−x²/(2σ²)) / Σ_y exp(−y²/(2σ²)); 0 for
 * non-integers. The normalising series is summed directly below σ = 1 and through its Poisson dual
 * (σ√(2π)(1 + 2e^(−2π²σ²) + …)) above; relative error about 1e-15.
 */
export function discreteGaussianPmf(x: number, sigma: number): number {
  checkPositive('sigma', sigma);
  if (!Number.isInteger(x)) return 0;
  return Math.exp(-(x * x) / (2 * sigma * sigma)) / gaussianNormaliser(sigma);
}

/**
 * Var(X) of the discrete Gaussian with parameter σ: below σ² for small σ (0.215 at σ = 0.5,
 * σ²·(1 − 2.1e-7) at σ = 1, σ² to double precision from σ = 2 on). Summed directly below σ = 1,
 * by Poisson summation above.
 */
export function discreteGaussianVariance(sigma: number): number {
  checkPositive('sigma', sigma);
  if (sigma < DIRECT_SUM_SIGMA) {
    let weighted = 0;
    for (let x = 1; x <= 14 * sigma + 2; x++) weighted += 2 * x * x * Math.exp(-(x * x) / (2 * sigma * sigma));
    return weighted / gaussianNormaliser(sigma);
  }
  // Poisson dual of x²·e^(−x²/2σ²): σ³√(2π)·(1 − 4π²σ²k²)·e^(−2π²σ²k²).
  const e = Math.exp(-2 * Math.PI * Math.PI * sigma * sigma);
  const s2 = sigma * sigma;
  return (s2 * (1 + 2 * (1 - 4 * Math.PI * Math.PI * s2) * e)) / (1 + 2 * e);
}

/**
 * Smallest integer h ≥ 0 with P(|X| ≤ h) ≥ confidence for the discrete Gaussian with parameter σ.
 * Up to σ = 1000 the tails are summed from the pmf (smallest terms first); above, each tail comes
 * from the Euler–Maclaurin formula (the Gaussian integral by erfc plus three correction terms,
 * whose next term is below 1e-15 of the tail there). About 1.96σ at 95%.
 * Throws AirlockError BAD_REQUEST for a bad σ or confidence.
 */
export function discreteGaussianHalfWidth(sigma: number, confidence: number): number {
  checkPositive('sigma', sigma);
  checkConfidence(confidence);
  const alpha = 1 - confidence;
  if (sigma <= DIRECT_TAIL_SIGMA) {
    const last = Math.ceil(14 * sigma) + 2;
    const terms = new Float64Array(last + 2);
    for (let x = 0; x <= last; x++) terms[x] = Math.exp(-(x * x) / (2 * sigma * sigma));
    // suffix[x] = Σ_{y ≥ x} terms[y], summed from the smallest term up.
    const suffix = new Float64Array(last + 2);
    for (let x = last; x >= 0; x--) suffix[x] = suffix[x + 1]! + terms[x]!;
    const z = terms[0]! + 2 * suffix[1]!;
    for (let h = 0; h <= last; h++) if ((2 * suffix[h + 1]!) / z <= alpha) return h;
    return last;
  }
  const tail = (h: number): number => gaussianTailEulerMaclaurin(h, sigma);
  // Bisection on the monotone tail: tail(lo) > alpha ≥ tail(hi).
  let lo = -1;
  let hi = Math.ceil(sigma * Math.sqrt(2 * Math.log(2 / alpha))) + 1;
  while (tail(hi) > alpha) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid >= 0 && tail(mid) <= alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** P(|X| > h) for the discrete Gaussian, σ large: 2·Σ_{x ≥ h+1} f(x) / Z by Euler–Maclaurin. */
function gaussianTailEulerMaclaurin(h: number, sigma: number): number {
  const a = h + 1;
  const s2 = sigma * sigma;
  const f = Math.exp(-(a * a) / (2 * s2));
  const d1 = (-a / s2) * f;
  const d3 = ((-a * a * a) / (s2 * s2 * s2) + (3 * a) / (s2 * s2)) * f;
  const integral = sigma * Math.sqrt(Math.PI / 2) * erfc(a / (sigma * Math.SQRT2));
  const sum = integral + f / 2 - d1 / 12 + d3 / 720;
  return (2 * sum) / gaussianNormaliser(sigma);
}

/**
 * Complementary error function, relative error about 1e-15: the Maclaurin series of erf below
 * 0.5, the continued fraction erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))
 * (Abramowitz & Stegun 7.1.14) evaluated by modified Lentz above.
 */
export function erfc(z: number): number {
  if (z < 0) return 2 - erfc(-z);
  if (z < 0.5) {
    // erf(z) = 2/√π Σ (−1)^n z^(2n+1) / (n!(2n+1)).
    let term = z;
    let sum = z;
    for (let n = 1; n < 60; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 10_000; n++) {
    const an = n / 2;
    d = z + an * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = z + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}
