/*
 * @airlock/noise — exact noise for differential privacy: the samplers of Canonne, Kamath and
 * Steinke (NeurIPS 2020) for Bernoulli(exp(−γ)), the discrete Laplace and the discrete Gaussian,
 * on BigInt arithmetic and uniform draws from a pooled cryptographic source; the exact pmfs,
 * variances and confidence half-widths. No floating-point noise anywhere (Mironov 2012).
 */
export type { Rational } from './rational.ts';
export { rationalAtLeast } from './rational.ts';
export type { RandomBits } from './random-bits.ts';
export { cryptoRandomBits, seededRandomBits } from './random-bits.ts';
export { sampleBernoulliExp, sampleDiscreteGaussian, sampleDiscreteLaplace } from './samplers.ts';
export { sampleWithDrawBudget } from './draw-budget.ts';
export { discreteGaussian, discreteLaplace, sigmaSquaredAtLeast } from './number-api.ts';
export {
  discreteGaussianHalfWidth,
  discreteGaussianPmf,
  discreteGaussianVariance,
  discreteLaplaceHalfWidth,
  discreteLaplacePmf,
  discreteLaplaceVariance,
} from './distributions.ts';
export { sampleExponentialMechanism } from './exponential-mechanism.ts';
