/*
 * Zero-concentrated differential privacy (Bun & Steinke 2016): a release is ρ-zCDP; ρs add up
 * under composition, adaptively. Users also see (ε, δ): ρ-zCDP implies (ρ + 2√(ρ·ln(1/δ)), δ)-DP
 * for every δ > 0 (Bun & Steinke, Proposition 1.3).
 */

/** The ε of (ε, δ)-DP implied by ρ-zCDP. */
export function epsilonFromRho(rho: number, delta: number): number {
  if (rho === 0) return 0;
  return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
}

/**
 * σ of the Gaussian (or discrete Gaussian, CKS 2020 Thm 14) noise that makes a statistic of
 * L2 sensitivity `l2` ρ-zCDP: ρ = Δ²/(2σ²).
 */
export function sigmaForRho(l2: number, rho: number): number {
  return l2 / Math.sqrt(2 * rho);
}

/** ρ spent by Gaussian noise of scale σ on a statistic of L2 sensitivity `l2`. */
export function rhoForSigma(l2: number, sigma: number): number {
  return (l2 * l2) / (2 * sigma * sigma);
}

/**
 * The largest ρ whose (ε, δ)-DP conversion ({@link epsilonFromRho}) is at most ε: with
 * L = ln(1/δ), ε = ρ + 2√(ρL) solves to √ρ = √(L + ε) − √L.
 */
export function rhoFromEpsilon(epsilon: number, delta: number): number {
  if (!(epsilon > 0) || !(delta > 0 && delta < 1)) return 0;
  const l = Math.log(1 / delta);
  return (Math.sqrt(l + epsilon) - Math.sqrt(l)) ** 2;
}
