import type { PrivacyReport } from './privacy.ts';

/** Release gate limits; the defaults match the policy's synthetic-zone defaults. */
export interface ReleaseThresholds {
  /** Highest allowed exact-match ratio, training vs holdout (default 1.15). */
  readonly maxExactMatchRatio: number;
  /** Highest allowed share of synthetic rows whose closest real row is a training row (default 0.55). */
  readonly maxCloserToTrainShare: number;
}

/** The default thresholds: 1.15 and 0.55. */
export const DEFAULT_RELEASE_THRESHOLDS: ReleaseThresholds = Object.freeze({ maxExactMatchRatio: 1.15, maxCloserToTrainShare: 0.55 });

/** One privacy figure over its limit. */
export interface ReleaseFailure {
  /** `realPersonMatches` and `riskTargets` are added by the release step (packages/releases). */
  readonly figure: 'exactMatchRatio' | 'closerToTrainShare' | 'realPersonMatches' | 'riskTargets';
  readonly value: number;
  readonly threshold: number;
  /** Which figure failed, by how much, and what it means. */
  readonly message: string;
}

/** Publish, or refuse with every failing figure. */
export type ReleaseDecision = { readonly kind: 'publish' } | { readonly kind: 'refuse'; readonly failures: readonly ReleaseFailure[] };

/**
 * Decide whether a synthetic release may be published: every privacy figure must be at or below
 * its threshold. A refusal lists all failing figures, not only the first.
 */
export function releaseDecision(privacy: PrivacyReport, thresholds: ReleaseThresholds = DEFAULT_RELEASE_THRESHOLDS): ReleaseDecision {
  const failures: ReleaseFailure[] = [];
  const ratio = privacy.exactMatch.ratio;
  if (!(ratio <= thresholds.maxExactMatchRatio)) {
    failures.push({
      figure: 'exactMatchRatio',
      value: ratio,
      threshold: thresholds.maxExactMatchRatio,
      message:
        `Exact-match ratio ${fmt(ratio)} exceeds the limit ${fmt(thresholds.maxExactMatchRatio)} by ${fmt(ratio - thresholds.maxExactMatchRatio)}: ` +
        `${pct(privacy.exactMatch.trainRate)} of synthetic rows copy a training row against ${pct(privacy.exactMatch.holdoutRate)} matching an unseen holdout row.`,
    });
  }
  const share = privacy.dcr.closerToTrainShare;
  if (!(share <= thresholds.maxCloserToTrainShare)) {
    failures.push({
      figure: 'closerToTrainShare',
      value: share,
      threshold: thresholds.maxCloserToTrainShare,
      message:
        `Closer-to-training share ${pct(share)} exceeds the limit ${pct(thresholds.maxCloserToTrainShare)} by ${fmt((share - thresholds.maxCloserToTrainShare) * 100)} points: ` +
        `synthetic rows sit nearer to the training rows than to unseen holdout rows (0.5 is ideal).`,
    });
  }
  return failures.length === 0 ? { kind: 'publish' } : { kind: 'refuse', failures };
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
