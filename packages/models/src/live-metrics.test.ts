import { describe, expect, it } from 'vitest';
import type { LoggedPrediction } from './feedback.repository.ts';
import { liveMetrics } from './live-metrics.ts';

const at = new Date(0);
const p = (output: Record<string, unknown>, outcome: unknown, i = 0): LoggedPrediction => ({ id: String(i), inputs: {}, output, outcome, createdAt: at });

describe('liveMetrics', () => {
  it('scores a binary classifier on the outcomes posted, by hand', () => {
    const logged = [
      p({ probability: 0.9, label: true }, true, 1),
      p({ probability: 0.8, label: true }, false, 2),
      p({ probability: 0.3, label: false }, 'true', 3), // posted as text: still the positive class
      p({ probability: 0.1, label: false }, false, 4),
      p({ probability: 0.6, label: true }, null, 5), // no outcome yet
    ];
    const live = liveMetrics(logged, true);
    expect(live).toMatchObject({ predictions: 5, withOutcome: 4, accuracy: 0.5 });
    // Positives scored 0.9 and 0.3, negatives 0.8 and 0.1: of the 4 (positive, negative) pairs, 0.9>0.8, 0.9>0.1 and 0.3>0.1 are ordered right.
    expect(live.rocAuc).toBeCloseTo(0.75, 10);
  });

  it('scores a regressor, by hand; outcomes that are not numbers are left out', () => {
    const live = liveMetrics([p({ value: 10 }, 12), p({ value: 5 }, 2), p({ value: 1 }, 'n/a')]);
    expect(live.withOutcome).toBe(3);
    expect(live.mae).toBeCloseTo(2.5, 10);
    expect(live.rmse).toBeCloseTo(Math.sqrt((4 + 9) / 2), 10);
  });

  it('says nothing but the counts before any outcome', () => {
    expect(liveMetrics([p({ label: 'a' }, null)])).toEqual({ predictions: 1, withOutcome: 0 });
  });
});
