import { AirlockError } from '@airlock/core';
import { mcnemarTest, pairedBootstrapAuc, type McNemarResult, type PairedBootstrapResult } from '@airlock/metrics';

/** Options of {@link compareModels}. */
export interface CompareOptions {
  /** Probability at or above which a row counts as predicted positive, for McNemar's test (default 0.5). */
  readonly threshold?: number | undefined;
  /** Bootstrap resamples (default 2000). */
  readonly iterations?: number | undefined;
  /** Bootstrap seed (default that of @airlock/metrics), so a comparison can be repeated exactly. */
  readonly seed?: number | string | undefined;
}

/** Two classifiers scored on the same labelled rows. */
export interface ModelComparison {
  /** McNemar's test on the rows the two models classify differently at the threshold. */
  readonly mcnemar: McNemarResult;
  /** Paired, stratified bootstrap of the ROC AUC difference (A − B). */
  readonly bootstrapAuc: PairedBootstrapResult;
}

/**
 * Compares two classifiers' probabilities on the same rows (labels 0/1): whether they err on
 * different rows (McNemar) and whether their ROC AUCs differ (paired bootstrap), e.g. a candidate
 * model against the one in service before promoting it.
 * Throws AirlockError `BAD_REQUEST` (with the metrics error as cause) on mismatched lengths, empty
 * input, labels other than 0/1 or probabilities outside [0, 1].
 */
export function compareModels(labels: ArrayLike<number>, probsA: ArrayLike<number>, probsB: ArrayLike<number>, options: CompareOptions = {}): ModelComparison {
  const threshold = options.threshold ?? 0.5;
  try {
    const predicted = (probs: ArrayLike<number>): Uint8Array => {
      const out = new Uint8Array(probs.length);
      for (let i = 0; i < probs.length; i++) {
        const p = probs[i]!;
        if (!(p >= 0 && p <= 1)) throw new RangeError(`compareModels: probability at index ${i} is ${p}; probabilities lie in [0, 1]`);
        out[i] = p >= threshold ? 1 : 0;
      }
      return out;
    };
    return {
      mcnemar: mcnemarTest(labels, predicted(probsA), predicted(probsB)),
      bootstrapAuc: pairedBootstrapAuc(labels, probsA, probsB, { iterations: options.iterations, seed: options.seed }),
    };
  } catch (error) {
    if (error instanceof RangeError) throw new AirlockError('BAD_REQUEST', error.message, { cause: error });
    throw error;
  }
}
