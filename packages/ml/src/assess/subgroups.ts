import type { Row } from '../types.ts';
import { subgroupMetric } from './metrics.ts';
import { subset, type ScoredRows } from './scored.ts';

/**
 * Subgroups with fewer test rows than this are not reported (only counted): a metric over a handful
 * of people is noise, and a card that lists a group of three singles them out.
 */
export const MIN_SUBGROUP_ROWS = 20;

/** Numeric attributes are cut into this many bands at quantiles of the assessed rows. */
export const NUMERIC_BANDS = 4;

/** One reported subgroup. */
export interface Subgroup {
  /** The attribute's value, or a band such as `[40, 65)`; `null` for missing values. */
  readonly value: string;
  /** Test rows in the group. */
  readonly support: number;
  readonly metric: number;
}

/** One attribute's subgroup metrics. */
export interface AttributeSubgroups {
  readonly attribute: string;
  /** `accuracy` for classifiers (higher is better), `mae` for regressors (lower is better). */
  readonly metric: 'accuracy' | 'mae';
  readonly groups: readonly Subgroup[];
  /** Groups left out for having fewer than {@link MIN_SUBGROUP_ROWS} rows (their values are not named). */
  readonly suppressed: number;
  /**
   * Largest difference of the metric between two reported groups, with the best and worst group;
   * undefined with fewer than two reported groups.
   */
  readonly gap?: { readonly value: number; readonly best: string; readonly worst: string } | undefined;
  /** Why nothing is reported, e.g. the attribute is not among the rows read. */
  readonly note?: string | undefined;
}

/**
 * Metrics per subgroup of each attribute on scored test rows. `rows[i]` is the row scored at
 * `scored[i]`; `bandingRows` (e.g. all rows) give the quantiles of a numeric attribute, so bands
 * do not depend on which rows happened to be tested.
 */
export function subgroupMetrics(scored: ScoredRows, rows: readonly Row[], attributes: readonly string[], bandingRows: readonly Row[] = rows): AttributeSubgroups[] {
  return attributes.map((attribute) => {
    const metric = scored.task === 'regression' ? 'mae' : 'accuracy';
    if (!rows.some((row) => attribute in row)) return { attribute, metric, groups: [], suppressed: 0, note: `"${attribute}" is not in the rows the model was trained on` };
    const { labelOf, order } = labeller(attribute, bandingRows);
    const members = new Map<string, number[]>();
    rows.forEach((row, i) => {
      const label = labelOf(row[attribute]);
      const list = members.get(label);
      if (list) list.push(i);
      else members.set(label, [i]);
    });
    const groups: Subgroup[] = [];
    let suppressed = 0;
    for (const [value, indices] of [...members.entries()].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))) {
      if (indices.length < MIN_SUBGROUP_ROWS) {
        suppressed++;
        continue;
      }
      groups.push({ value, support: indices.length, metric: subgroupMetric(subset(scored, indices)).value });
    }
    if (groups.length < 2) return { attribute, metric, groups, suppressed };
    const higherIsBetter = metric === 'accuracy';
    const ordered = [...groups].sort((a, b) => (higherIsBetter ? b.metric - a.metric : a.metric - b.metric));
    const best = ordered[0]!;
    const worst = ordered.at(-1)!;
    return { attribute, metric, groups, suppressed, gap: { value: Math.abs(best.metric - worst.metric), best: best.value, worst: worst.value } };
  });
}

/**
 * How a raw value is named (its text, or its quantile band when the attribute is numeric) and the
 * order groups are listed in (bands low to high, then names alphabetically).
 */
function labeller(attribute: string, bandingRows: readonly Row[]): { labelOf: (value: unknown) => string; order: (label: string) => number } {
  const present = bandingRows.map((row) => row[attribute]).filter((v) => v !== null && v !== undefined);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!numeric) return { labelOf: (value) => (value === null || value === undefined ? 'null' : String(value)), order: () => 0 };
  const sorted = (present as number[]).sort((a, b) => a - b);
  const edges = [...new Set(Array.from({ length: NUMERIC_BANDS - 1 }, (_, k) => roundEdge(sorted[Math.floor(((k + 1) * sorted.length) / NUMERIC_BANDS)]!)))];
  const labels = [`< ${edges[0]}`, ...edges.slice(1).map((edge, k) => `[${edges[k]}, ${edge})`), `≥ ${edges.at(-1)}`];
  return {
    labelOf: (value) => {
      if (typeof value !== 'number') return 'null';
      const band = edges.findIndex((edge) => value < edge);
      return labels[band === -1 ? labels.length - 1 : band]!;
    },
    order: (label) => (label === 'null' ? labels.length : labels.indexOf(label)),
  };
}

/** Two significant digits: a band edge needs no more, and should not echo a person's exact value. */
function roundEdge(value: number): number {
  return Number(value.toPrecision(2));
}
