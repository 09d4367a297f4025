// Exact samplers of C. L. Canonne, G. Kamath, T. Steinke, "The Discrete Gaussian for Differential
// Privacy", NeurIPS 2020 (arXiv:2004.00010), Algorithms 1–3: integer and rational arithmetic on
// BigInt and uniform draws only, so every output has exactly the stated probability. Floating-point
// noise would not (Mironov, CCS 2012).
import type { RandomBits } from './random-bits.ts';
import { checkParameter, integerSqrt, reduce, type Rational } from './rational.ts';

/**
 * Bernoulli(exp(−γ)) for γ = n/d ∈ [0, 1] (CKS Algorithm 1, first half): draw A_k ~ Bernoulli(γ/k)
 * for k = 1, 2, … until one is 0; return whether that k is odd. P(odd) = Σ (−γ)^j / j! = e^−γ.
 * Bernoulli(n/(d·k)) is drawn as Bernoulli(1/k) and then Bernoulli(n/d), the same event as a
 * uniform draw below d·k falling under n, without the large product.
 */
function bernoulliExpAtMostOne(n: bigint, d: bigint, bits: RandomBits): boolean {
  if (n === 0n) return true;
  let k = 1n;
  for (;;) {
    if (k !== 1n && bits.uniformBelow(k) !== 0n) break;
    if (n !== d && bits.uniformBelow(d) >= n) break;
    k += 1n;
  }
  return (k & 1n) === 1n;
}

/** Bernoulli(exp(−n/d)) for n ≥ 0, d > 0 (CKS Algorithm 1): ⌊γ⌋ rounds of exp(−1), then the rest. */
function bernoulliExp(n: bigint, d: bigint, bits: RandomBits): boolean {
  const whole = n / d;
  for (let i = 0n; i < whole; i++) if (!bernoulliExpAtMostOne(1n, 1n, bits)) return false;
  return bernoulliExpAtMostOne(n - whole * d, d, bits);
}

/**
 * Discrete Laplace with scale t/s, P(x) ∝ exp(−|x|·s/t) (CKS Algorithm 2): X = U + t·V is geometric
 * with ratio e^(−1/t) (U uniform below t kept with probability e^(−U/t), V geometric with ratio
 * e^−1), Y = ⌊X/s⌋ is geometric with ratio e^(−s/t), and a random sign with −0 rejected makes it
 * two-sided.
 */
function discreteLaplace(t: bigint, s: bigint, bits: RandomBits): bigint {
  for (;;) {
    const u = t === 1n ? 0n : bits.uniformBelow(t);
    if (!bernoulliExpAtMostOne(u, t, bits)) continue;
    let v = 0n;
    while (bernoulliExpAtMostOne(1n, 1n, bits)) v += 1n;
    const y = (u + t * v) / s;
    const negative = bits.uniformBelow(2n) === 1n;
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * Discrete Gaussian with σ² = a/b, P(x) ∝ exp(−x²/(2σ²)) (CKS Algorithm 3): a discrete Laplace
 * proposal Y with integer scale t = ⌊σ⌋ + 1, accepted with probability
 * exp(−(|Y| − σ²/t)² / (2σ²)) = exp(−(|Y|·b·t − a)² / (2·a·b·t²)).
 */
function discreteGaussian(a: bigint, b: bigint, bits: RandomBits): bigint {
  const t = integerSqrt(a / b) + 1n;
  const den = 2n * a * b * t * t;
  for (;;) {
    const y = discreteLaplace(t, 1n, bits);
    const diff = (y < 0n ? -y : y) * b * t - a;
    if (bernoulliExp(diff * diff, den, bits)) return y;
  }
}

/**
 * True with probability exactly exp(−γ), for rational γ ≥ 0.
 * Throws AirlockError BAD_REQUEST when γ is negative, above 1e12 or has a non-positive denominator.
 */
export function sampleBernoulliExp(gamma: Rational, bits: RandomBits): boolean {
  checkParameter('gamma', gamma, true);
  return bernoulliExp(gamma.num, gamma.den, bits);
}

/**
 * One draw of the discrete Laplace distribution with rational scale t > 0:
 * P(x) = tanh(1/(2t))·exp(−|x|/t) for every integer x. Adding it to a count of sensitivity Δ with
 * t = Δ/ε gives ε-differential privacy.
 * Throws AirlockError BAD_REQUEST when the scale is not in (0, 1e12].
 */
export function sampleDiscreteLaplace(scale: Rational, bits: RandomBits): bigint {
  checkParameter('scale', scale);
  return discreteLaplace(scale.num, scale.den, bits);
}

/**
 * One draw of the discrete Gaussian distribution with rational variance parameter σ² > 0:
 * P(x) ∝ exp(−x²/(2σ²)) for every integer x. Adding it to a query of sensitivity Δ gives
 * ρ-zCDP with ρ = Δ²/(2σ²).
 * Throws AirlockError BAD_REQUEST when σ² is not in (0, 1e24] (σ up to 1e12).
 */
export function sampleDiscreteGaussian(sigma2: Rational, bits: RandomBits): bigint {
  checkParameter('sigma2', sigma2, false, 10n ** 24n);
  const { num, den } = reduce(sigma2);
  return discreteGaussian(num, den, bits);
}
