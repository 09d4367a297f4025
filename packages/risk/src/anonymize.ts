import { generalizedView, type GeneralizedView } from './apply.ts';
import { evaluateNode, type Node, type NodeEvaluation, type RiskTargets } from './evaluate.ts';
import { measure, type RiskMeasures } from './measures.ts';
import { searchGeneralization, type SearchOptions } from './search.ts';
import { buildSnapshot, type RiskTable, type Snapshot } from './snapshot.ts';

/** How one quasi-identifier is published. */
export interface ColumnGeneralization {
  readonly column: string;
  /** Level chosen, 0 = as the policy's transform publishes it. */
  readonly level: number;
  /** Highest level the search could use. */
  readonly maxLevel: number;
  /** What the level does (`5-wide bands`, `quarter`, `*`). */
  readonly name: string;
}

/** A column (or the data itself) that keeps the targets out of reach, and why. */
export interface Blocker {
  /** A quasi-identifier or sensitive column; `(subjects)` when the data has too few people. */
  readonly column: string;
  readonly reason: string;
}

/**
 * The risk report of a deidentified view: what the policy's transforms alone would publish
 * (`before`), what is published after generalization and suppression (`after`), and the decision.
 * Plain data, stored as JSON with each rebuild.
 */
export interface RiskReport {
  readonly decision: 'published' | 'refused';
  readonly targets: RiskTargets;
  readonly quasiIdentifiers: readonly string[];
  readonly sensitive: readonly string[];
  readonly before: RiskMeasures;
  /** The published view; null when refused. */
  readonly after: RiskMeasures | null;
  readonly generalization: readonly ColumnGeneralization[];
  readonly suppressed: { readonly records: number; readonly share: number };
  /** Normalized certainty penalty of the published view (0 to 1; suppressed records count 1). */
  readonly informationLoss: number | null;
  readonly search: { readonly evaluated: number; readonly latticeSize: number; readonly optimal: boolean };
  /** Why the targets cannot be met (empty when published). */
  readonly blockers: readonly Blocker[];
}

/** Options of {@link anonymize}. */
export interface AnonymizeOptions extends SearchOptions {
  /** Prosecutor risk above which a record counts as at risk (default 1 / k). */
  readonly riskThreshold?: number;
}

/**
 * Measures a table, searches the least-loss generalization meeting the targets, and returns the
 * report with the generalized view to publish (undefined when refused).
 */
export function anonymize(table: RiskTable, targets: RiskTargets, options: AnonymizeOptions = {}): { report: RiskReport; view: GeneralizedView | undefined } {
  const snapshot = buildSnapshot(table);
  const threshold = options.riskThreshold ?? 1 / Math.max(1, targets.k);
  const bottom = table.quasiIdentifiers.map(() => 0);
  const before = measure(snapshot, evaluateNode(snapshot, bottom, { k: 1, l: 1, maxSuppressed: 1 }), threshold);
  const search = searchGeneralization(snapshot, targets, options);
  const best = search.best;
  const base = {
    targets,
    quasiIdentifiers: table.quasiIdentifiers.map((q) => q.name),
    sensitive: table.sensitive.map((s) => s.name),
    before,
    search: { evaluated: search.evaluated, latticeSize: search.latticeSize, optimal: search.optimal },
  };
  if (best === undefined) {
    return {
      report: { ...base, decision: 'refused', after: null, generalization: generalizationOf(snapshot, topNode(snapshot)), suppressed: { records: 0, share: 0 }, informationLoss: null, blockers: blockers(table, targets) },
      view: undefined,
    };
  }
  return {
    report: {
      ...base,
      decision: 'published',
      after: measure(snapshot, best, threshold),
      generalization: generalizationOf(snapshot, best.node),
      suppressed: { records: best.suppressedRows, share: best.suppressedShare },
      informationLoss: best.loss,
      blockers: [],
    },
    view: generalizedView(snapshot, best),
  };
}

/** Measures a view as it is, with no generalization and no suppression (for a released table). */
export function assess(table: RiskTable, threshold: number): RiskMeasures {
  const snapshot = buildSnapshot(table);
  return measure(snapshot, evaluateNode(snapshot, table.quasiIdentifiers.map(() => 0), { k: 1, l: 1, maxSuppressed: 1 }), threshold);
}

function topNode(snapshot: Snapshot): Node {
  return snapshot.table.quasiIdentifiers.map((q) => q.hierarchy.levels.length - 1);
}

function generalizationOf(snapshot: Snapshot, node: Node): ColumnGeneralization[] {
  return snapshot.table.quasiIdentifiers.map((q, c) => ({
    column: q.name,
    level: node[c]!,
    maxLevel: q.hierarchy.levels.length - 1,
    name: q.hierarchy.levels[node[c]!]!.name,
  }));
}

/**
 * Why no node meets the targets. The most generalized node allowed fails, so: too few subjects
 * overall, a sensitive column with fewer than l values overall, or quasi-identifiers whose
 * allowed generalization stops short: a column is named when removing it (publishing `*`) lets
 * the most generalized node meet the targets; when no single column does, every capped column
 * is named, the one whose removal suppresses the fewest records first.
 */
function blockers(table: RiskTable, targets: RiskTargets): Blocker[] {
  const everyone = buildSnapshot({ ...table, quasiIdentifiers: [] });
  const whole = evaluateNode(everyone, [], { k: targets.k, l: 1, maxSuppressed: 1 });
  const out: Blocker[] = [];
  const subjects = whole.classSubjects[0] ?? 0;
  if (subjects < targets.k) out.push({ column: '(subjects)', reason: `the data holds ${subjects} distinct subject(s), fewer than k = ${targets.k}` });
  table.sensitive.forEach((column, s) => {
    const distinct = whole.classDistinct[s]![0] ?? 0;
    if (distinct < targets.l) out.push({ column: column.name, reason: `sensitive column has ${distinct} distinct value(s) in the whole data, fewer than l = ${targets.l}` });
  });
  if (out.length > 0) return out;
  const trials = table.quasiIdentifiers.map((q, c) => {
    const rest = { ...table, quasiIdentifiers: table.quasiIdentifiers.filter((_, i) => i !== c) };
    const snapshot = buildSnapshot(rest);
    const evaluation: NodeEvaluation = evaluateNode(snapshot, topNode(snapshot), targets);
    return { column: q.name, capped: q.hierarchy.levels[q.hierarchy.levels.length - 1]!.labels.length > 1, evaluation };
  });
  const enough = trials.filter((t) => t.evaluation.meets);
  const chosen = enough.length > 0 ? enough : trials.filter((t) => t.capped).sort((a, b) => a.evaluation.suppressedShare - b.evaluation.suppressedShare);
  return chosen.map((t) => ({
    column: t.column,
    reason: t.evaluation.meets
      ? `its generalization is capped; publishing it as * would meet the targets (suppressing ${percent(t.evaluation.suppressedShare)} of records)`
      : `its generalization is capped; without it ${percent(t.evaluation.suppressedShare)} of records would still be suppressed (limit ${percent(targets.maxSuppressed)})`,
  }));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
