import { appendInTransaction, type AuditEventInput } from '@airlock/audit';
import { AirlockError, canonicalJson, grainFinerThan, sha256Hex, type DateGrain } from '@airlock/core';
import { sqlRunner, type AirlockDatabase } from '@airlock/db';
import { charge, dataVersion, findAnswer, lockBudget, spentRho, storeAnswer, type BudgetKey } from '@airlock/ledger';
import { discreteGaussian } from '@airlock/noise';
import type { AggregateRules, DatasetPolicy } from '@airlock/policy';
import {
  alignWindow,
  budgetPeriod,
  periodsIn,
  planAggregate,
  releaseAggregate,
  rhoForAccuracy,
  type AggregatePlan,
  type AlignedWindow,
  type NoisyValue,
  type PlanInput,
} from '@airlock/privacy';
import { aggregateNotes, type NotesInput } from './aggregate-notes.ts';
import { costExplanation, tooManyCells, tooManyGroups, type CostChoice, type CostShape, type QueryPart } from './aggregate-refusals.ts';
import { readBoundedCells, readExactCells, type AggregateSpec } from './aggregate.repository.ts';
import { allowedGrains } from './period.ts';

/** An aggregate query as the caller wrote it. */
export interface AggregateQuery {
  groupBy: readonly string[];
  dateBucket?: { column: string; grain: DateGrain } | undefined;
  /** Dimension filters: the column's value must be one of the listed values. */
  where?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Inclusive window on the bucketed column, YYYY-MM-DD; widened to whole periods. */
  from?: string | undefined;
  to?: string | undefined;
  /** What the caller selected: row counts, and the measures whose sum or average it wants. */
  wants: { rows: boolean; measures: readonly string[] };
  /** Privacy cost: a ρ, or a target accuracy Airlock turns into one; default: the policy's. */
  cost?: CostChoice;
}

/** One released cell: noisy values with 95% intervals (exact ones for stewards, low = high). */
export interface AggregateCell {
  dims: Record<string, string | null>;
  period: string | null;
  subjects: NoisyValue | null;
  rows: NoisyValue | null;
  sums: Record<string, NoisyValue | null>;
  avgs: Record<string, NoisyValue | null>;
  /** Exact minima and maxima: steward aggregates only. */
  extremes: Record<string, { min: number | null; max: number | null }> | null;
  suppressed: boolean;
}

/** The caller's budget on a dataset in the current period. */
export interface BudgetStatus {
  dataset: string;
  analyst: string;
  period: string;
  periodStart: string;
  renewsAt: string;
  budgetRho: number;
  spentRho: number;
  remainingRho: number;
  delta: number;
  /** Queries at the policy's default cost that still fit. */
  defaultQueriesLeft: number;
}

export interface AggregatePrivacyReport {
  rho: number;
  epsilon: number;
  delta: number;
  /** True when this exact question was already paid for: the same answer, at no new cost. */
  cached: boolean;
  /** Noisy subjects a cell needs to be shown. */
  threshold: number;
  budget: BudgetStatus;
}

export interface AggregateResult {
  exact: boolean;
  cells: AggregateCell[];
  /** Noisy count of people in cells not shown (keys from the data only). */
  other: NoisyValue | null;
  window: AlignedWindow | null;
  grain: DateGrain | null;
  minCount: number;
  privacy: AggregatePrivacyReport | null;
  suppressedCount: number;
  /** Plain sentences on how the answer was shaped (see {@link aggregateNotes}): built from the query, the policy and this answer only. */
  notes: string[];
}

/** The free estimate: what a query would cost and how accurate it would be, before it runs. */
export interface AggregateEstimate {
  exact: boolean;
  rho: number;
  epsilon: number;
  delta: number;
  threshold: number;
  partitionSelection: boolean;
  cells: number | null;
  halfWidths: { subjects: number; rows: number | null; sums: Record<string, number>; other: number | null };
  window: AlignedWindow | null;
  budget: BudgetStatus | null;
  /** The notes known before running: the window's widening and keys that come from the data. */
  notes: string[];
}

export interface AggregateDeps {
  database: AirlockDatabase;
  maxCells: number;
  statementTimeoutMs: number;
  now?: () => Date;
}

/** Who asks: the JWT subject (whose budget pays) and roles (for the audit event). */
export interface Caller {
  subject: string;
  roles: readonly string[];
}

/**
 * Exact aggregates for stewards; for everyone else, a differentially private release paid from
 * the caller's budget. The charge, the read, the release, its cached copy and its audit event
 * are one transaction: a failure anywhere rolls the charge back (the refund), and the answer is
 * only returned after all of it committed.
 */
export async function releaseAggregateQuery(deps: AggregateDeps, caller: Caller, policy: DatasetPolicy, rules: AggregateRules, query: AggregateQuery): Promise<AggregateResult> {
  const prepared = prepare(deps, policy, rules, query);
  const { spec, plan, planInput, declaredKeys, queryHash, window } = prepared;
  if (rules.exact || plan === null) return exactAggregate(deps, caller, rules, prepared);
  const now = deps.now?.() ?? new Date();
  const period = budgetPeriod(rules.privacy.period, now);
  const key: BudgetKey = { analyst: caller.subject, dataset: spec.dataset, periodStart: period.start };
  return deps.database.transact(
    async (step) => {
      const version = await step('ledger', (trx) => dataVersion(trx, spec.dataset));
      const spentBefore = await step('ledger', (trx) => lockBudget(trx, key));
      const cached = (await step('ledger', (trx) => findAnswer(trx, caller.subject, spec.dataset, queryHash, version))) as StoredAnswer | undefined;
      const status = (spent: number) => budgetStatus(rules, key, period, spent);
      if (cached) {
        await step('audit', (trx) => appendInTransaction(sqlRunner(trx), releaseEvent(caller, spec.dataset, { queryHash, rho: 0, cached: true, spentRho: spentBefore }), now));
        // The window and notes are rebuilt from the query, the policy and the stored answer (the
        // same for the same question), so answers cached before they existed get them too.
        const again = { ...cached.result, window, privacy: { ...cached.result.privacy!, cached: true, budget: status(spentBefore) } };
        return { ...again, notes: notesOf(prepared, rules, again) };
      }
      const spent = await step('ledger', (trx) => charge(trx, key, rules.privacy.budgetRho, plan.rho, 'aggregate', queryHash));
      if (spent === null) throw overBudget(status(spentBefore), { plan: planInput, cost: query.cost, rho: plan.rho, available: status(spentBefore).remainingRho });
      const truth = await step('aggregate', (trx) =>
        readBoundedCells(
          trx,
          spec,
          {
            maxRowsPerSubject: rules.maxRowsPerSubject,
            sums: [...plan.sums.values()].map((s) => ({ ...s.measure, unit: s.unit })),
          },
          (maxGroups) => tooManyGroups({ dataset: spec.dataset, parts: prepared.parts, maxGroups }),
        ),
      );
      const noisy = releaseAggregate(plan, truth, declaredKeys, (sigma) => discreteGaussian(sigma));
      const released: Omit<AggregateResult, 'notes'> = {
        exact: false,
        cells: noisy.cells.map((cell) => ({ ...toCell(spec, cell.key), subjects: cell.subjects, rows: cell.rows, sums: cell.sums, avgs: cell.avgs, extremes: null, suppressed: cell.suppressed })),
        other: noisy.other,
        window,
        grain: spec.dateBucket?.grain ?? null,
        minCount: rules.minCount,
        privacy: { rho: plan.rho, epsilon: plan.epsilon, delta: plan.delta, cached: false, threshold: plan.threshold, budget: status(spent) },
        suppressedCount: noisy.cells.filter((c) => c.suppressed).length,
      };
      const result: AggregateResult = { ...released, notes: notesOf(prepared, rules, released) };
      await step('ledger', (trx) => storeAnswer(trx, caller.subject, spec.dataset, queryHash, version, { result: released } satisfies StoredAnswer, plan.rho));
      await step('audit', (trx) =>
        appendInTransaction(sqlRunner(trx), releaseEvent(caller, spec.dataset, { queryHash, rho: plan.rho, cached: false, spentRho: spent, cells: result.cells.length }), now),
      );
      return result;
    },
    { statementTimeoutMs: deps.statementTimeoutMs },
  );
}

/** What a query would cost and how accurate it would be; reads only the caller's budget. */
export async function estimateAggregateQuery(deps: AggregateDeps, caller: Caller, policy: DatasetPolicy, rules: AggregateRules, query: AggregateQuery): Promise<AggregateEstimate> {
  const prepared = prepare(deps, policy, rules, query);
  const { plan, declaredKeys, window } = prepared;
  const budget = rules.exact ? null : await readBudget(deps, caller, policy.dataset, rules);
  const notes = notesOf(prepared, rules, null);
  if (!plan) {
    return { exact: true, rho: 0, epsilon: 0, delta: 0, threshold: 0, partitionSelection: false, cells: null, halfWidths: { subjects: 0, rows: null, sums: {}, other: null }, window, budget, notes };
  }
  return {
    exact: false,
    rho: plan.rho,
    epsilon: plan.epsilon,
    delta: plan.delta,
    threshold: plan.threshold,
    partitionSelection: declaredKeys === null,
    cells: declaredKeys?.length ?? null,
    halfWidths: {
      subjects: plan.subjects.halfWidth95,
      rows: plan.rows?.halfWidth95 ?? null,
      sums: Object.fromEntries([...plan.sums].map(([column, s]) => [column, s.halfWidth95])),
      other: plan.other?.halfWidth95 ?? null,
    },
    window,
    budget,
    notes,
  };
}

/** The caller's budget on a dataset now. */
export async function readBudget(deps: AggregateDeps, caller: Caller, dataset: string, rules: AggregateRules): Promise<BudgetStatus> {
  const period = budgetPeriod(rules.privacy.period, deps.now?.() ?? new Date());
  const key: BudgetKey = { analyst: caller.subject, dataset, periodStart: period.start };
  const spent = await deps.database.withZone('ledger', (trx) => spentRho(trx, key));
  return budgetStatus(rules, key, period, spent);
}

export function budgetStatus(rules: AggregateRules, key: BudgetKey, period: { start: string; renews: string }, spent: number): BudgetStatus {
  const remaining = Math.max(0, rules.privacy.budgetRho - spent);
  return {
    dataset: key.dataset,
    analyst: key.analyst,
    period: rules.privacy.period,
    periodStart: period.start,
    renewsAt: period.renews,
    budgetRho: rules.privacy.budgetRho,
    spentRho: round(spent),
    remainingRho: round(remaining),
    delta: rules.privacy.delta,
    defaultQueriesLeft: Math.floor(remaining / rules.privacy.queryRho + 1e-9),
  };
}

interface StoredAnswer {
  /** Notes are not stored: they are rebuilt from the query, the policy and the answer. */
  result: Omit<AggregateResult, 'notes'>;
}

interface Prepared {
  spec: AggregateSpec;
  plan: AggregatePlan | null;
  planInput: Omit<PlanInput, 'rho'>;
  declaredKeys: (string | null)[][] | null;
  /** Each dimension with its number of values and the periods of the window (null: from the data). */
  parts: QueryPart[];
  queryHash: string;
  window: AlignedWindow | null;
}

/** Validate the query against the policy, align its window, and plan its noise (no I/O). */
function prepare(deps: AggregateDeps, policy: DatasetPolicy, rules: AggregateRules, query: AggregateQuery): Prepared {
  validate(policy, rules, query);
  const bucket = query.dateBucket;
  const window = bucket ? alignWindow(query.from, query.to, bucket.grain, rules.finestDateGrain) : null;
  const where = Object.fromEntries(Object.entries(query.where ?? {}).map(([column, values]) => [column, [...new Set(values)].sort()]));
  const spec: AggregateSpec = {
    dataset: policy.dataset,
    groupBy: query.groupBy,
    where,
    dateBucket: bucket ? { column: bucket.column, type: policy.columns.find((c) => c.name === bucket.column)!.type, grain: bucket.grain } : null,
    from: window?.from ?? null,
    to: window?.to ?? null,
  };
  // Stewards' exact answers have no declared keys to enumerate (and no limit on periods from it).
  const { parts, axes } = rules.exact ? { parts: [], axes: null } : keyAxes(rules, spec);
  let declaredKeys: (string | null)[][] | null = null;
  if (!rules.exact && axes) {
    if (axes.reduce((cells, axis) => cells * axis.length, 1) > deps.maxCells) {
      throw tooManyCells({ parts, maxCells: deps.maxCells, coarserGrains: coarserGrains(rules, query), window: spec.from && spec.to ? { from: spec.from, to: spec.to } : null });
    }
    declaredKeys = combinations(axes);
  }
  const sums = rules.measures.filter((m) => query.wants.measures.includes(m.column));
  const planInput: Omit<PlanInput, 'rho'> = {
    maxRowsPerSubject: rules.maxRowsPerSubject,
    rows: query.wants.rows,
    sums,
    partitionSelection: declaredKeys === null,
    delta: rules.privacy.delta,
    minCount: rules.minCount,
  };
  const rho = rules.exact ? 0 : queryRho(rules, planInput, query.cost);
  const plan = rules.exact ? null : planAggregate({ ...planInput, rho });
  // The question, canonically: the same question asked again is answered from the ledger's cache.
  const queryHash = sha256Hex(canonicalJson({ spec, rows: query.wants.rows, sums: sums.map((s) => s.column).sort(), rho, rules: { m: rules.maxRowsPerSubject, min: rules.minCount, measures: sums } }));
  return { spec, plan, planInput, declaredKeys, parts, queryHash, window };
}

function queryRho(rules: AggregateRules, input: Omit<PlanInput, 'rho'>, cost: AggregateQuery['cost']): number {
  if (cost === undefined) return rules.privacy.queryRho;
  const rho = 'rho' in cost ? cost.rho : rhoForAccuracy(input, cost.accuracy);
  if (!(rho > 0) || !Number.isFinite(rho)) throw new AirlockError('BAD_REQUEST', `A query's privacy cost must be a positive ρ; got ${rho}.`);
  if (rho > rules.privacy.budgetRho) {
    const why = costExplanation({ plan: input, cost, rho, available: rules.privacy.budgetRho });
    throw new AirlockError('BAD_REQUEST', `This query would cost ρ = ${round(rho)}, more than the whole budget of ${rules.privacy.budgetRho} per ${rules.privacy.period}. ${why.text}`, {
      details: { reason: 'OVER_WHOLE_BUDGET', rho: round(rho), budgetRho: rules.privacy.budgetRho, parts: why.parts, suggestions: why.suggestions },
    });
  }
  return round(rho);
}

/**
 * The parts of a group key, each with its count, and the values of each axis the caller may see
 * without partition selection: declared values (the filter's values where the caller filtered,
 * else the policy's) and, with a window, every period in it. `axes` is null when some part of the
 * key can only come from the data.
 */
function keyAxes(rules: AggregateRules, spec: AggregateSpec): { parts: QueryPart[]; axes: (string | null)[][] | null } {
  const parts: QueryPart[] = [];
  const axes: (string | null)[][] = [];
  let declared = true;
  for (const dim of spec.groupBy) {
    const values = spec.where[dim] ?? rules.declaredValues.get(dim);
    parts.push({ kind: 'dimension', name: dim, values: values?.length ?? null });
    if (values) axes.push([...values]);
    else declared = false;
  }
  if (spec.dateBucket) {
    const periods = spec.from && spec.to ? periodsIn(spec.from, spec.to, spec.dateBucket.grain) : null;
    parts.push({ kind: 'period', grain: spec.dateBucket.grain, periods: periods?.length ?? null });
    if (periods) axes.push(periods);
    else declared = false;
  }
  return { parts, axes: declared ? axes : null };
}

/** Every combination of one value from each axis, in order. */
function combinations(axes: readonly (string | null)[][]): (string | null)[][] {
  let keys: (string | null)[][] = [[]];
  for (const axis of axes) keys = keys.flatMap((prefix) => axis.map((value) => [...prefix, value]));
  return keys;
}

/** Each grain coarser than the query's that the policy allows, with the periods of the window aligned to it. */
function coarserGrains(rules: AggregateRules, query: AggregateQuery): { grain: DateGrain; periods: number }[] {
  const bucket = query.dateBucket;
  if (!bucket) return [];
  return allowedGrains(rules.finestDateGrain)
    .filter((grain) => grainFinerThan(bucket.grain, grain))
    .flatMap((grain) => {
      const aligned = alignWindow(query.from, query.to, grain, rules.finestDateGrain);
      return aligned.from && aligned.to ? [{ grain, periods: periodsIn(aligned.from, aligned.to, grain).length }] : [];
    });
}

/**
 * The notes of an answer (or, with `released` null, of an estimate), from the prepared query,
 * the policy and the released answer only: see {@link NotesInput} for why nothing else.
 */
function notesOf(prepared: Prepared, rules: AggregateRules, released: Omit<AggregateResult, 'notes'> | null): string[] {
  const { spec, plan, window } = prepared;
  const grain = spec.dateBucket?.grain;
  const input: NotesInput = {
    exact: plan === null,
    window,
    groupBy: spec.groupBy,
    filteredOnly: Object.keys(spec.where).filter((column) => !spec.groupBy.includes(column)),
    coarserGrain: grain ? (allowedGrains(rules.finestDateGrain).find((g) => grainFinerThan(grain, g)) ?? null) : null,
    fromData: plan && prepared.declaredKeys === null ? prepared.parts.filter((p) => (p.kind === 'dimension' ? p.values === null : p.periods === null)).map((p) => (p.kind === 'dimension' ? p.name : 'period')) : [],
    threshold: plan?.threshold ?? 0,
    minCount: rules.minCount,
    released: released && { cells: released.cells.length, suppressed: released.suppressedCount, cached: released.privacy?.cached ?? false },
  };
  return aggregateNotes(input);
}

async function exactAggregate(deps: AggregateDeps, caller: Caller, rules: AggregateRules, prepared: Prepared): Promise<AggregateResult> {
  const { spec, queryHash, window } = prepared;
  const measures = rules.measures.map((m) => m.column);
  const cells = await deps.database.transact(
    async (step) => {
      const rows = await step('aggregate', (trx) => readExactCells(trx, spec, measures, deps.maxCells));
      await step('audit', (trx) =>
        appendInTransaction(sqlRunner(trx), { ...releaseEvent(caller, spec.dataset, { queryHash, exact: true, cells: rows.length }), zone: 'restricted' }, deps.now?.() ?? new Date()),
      );
      return rows;
    },
    { statementTimeoutMs: deps.statementTimeoutMs },
  );
  const exactValue = (v: number | null): NoisyValue | null => (v === null ? null : { value: v, low: v, high: v });
  return {
    exact: true,
    cells: cells.map((cell) => ({
      ...toCell(spec, cell.key),
      subjects: exactValue(cell.subjects),
      rows: exactValue(cell.rows),
      sums: Object.fromEntries(measures.map((m) => [m, exactValue(cell.measures[m]?.sum ?? null)])),
      avgs: Object.fromEntries(measures.map((m) => [m, exactValue(cell.measures[m]?.avg ?? null)])),
      extremes: Object.fromEntries(measures.map((m) => [m, { min: cell.measures[m]?.min ?? null, max: cell.measures[m]?.max ?? null }])),
      suppressed: false,
    })),
    other: null,
    window,
    grain: spec.dateBucket?.grain ?? null,
    minCount: rules.minCount,
    privacy: null,
    suppressedCount: 0,
    notes: notesOf(prepared, rules, null),
  };
}

function toCell(spec: AggregateSpec, key: readonly (string | null)[]): Pick<AggregateCell, 'dims' | 'period'> {
  return {
    dims: Object.fromEntries(spec.groupBy.map((d, i) => [d, key[i] ?? null])),
    period: spec.dateBucket ? (key[spec.groupBy.length] ?? null) : null,
  };
}

function releaseEvent(caller: Caller, dataset: string, details: Record<string, unknown>): AuditEventInput {
  return { type: 'aggregate.release', actor: caller.subject, roles: caller.roles, action: 'aggregate', dataset, zone: 'aggregate', outcome: 'allowed', details };
}

function overBudget(status: BudgetStatus, cost: CostShape): AirlockError {
  const why = costExplanation(cost);
  return new AirlockError(
    'BUDGET_EXHAUSTED',
    `This query costs ρ = ${round(cost.rho)}, but only ${status.remainingRho} of your ${status.budgetRho} privacy budget for ${status.dataset} is left this ${status.period}; it renews on ${status.renewsAt}. ${why.text} Or wait for the renewal, or ask a steward.`,
    {
      details: {
        reason: 'OVER_BUDGET',
        rho: round(cost.rho),
        remainingRho: status.remainingRho,
        budgetRho: status.budgetRho,
        renewsAt: status.renewsAt,
        parts: why.parts,
        suggestions: why.suggestions,
      },
    },
  );
}

function validate(policy: DatasetPolicy, rules: AggregateRules, query: AggregateQuery): void {
  const refuse = (reason: string, message: string, details: Record<string, unknown>) => new AirlockError('BAD_REQUEST', message, { details: { reason, ...details } });
  const bad = query.groupBy.filter((d) => !rules.dimensions.includes(d));
  if (bad.length) throw refuse('UNKNOWN_DIMENSION', `Cannot group ${policy.dataset} by ${bad.join(', ')}; allowed dimensions: ${rules.dimensions.join(', ')}.`, { parts: bad, allowed: rules.dimensions });
  if (new Set(query.groupBy).size !== query.groupBy.length) {
    const twice = query.groupBy.filter((d, i) => query.groupBy.indexOf(d) !== i);
    throw refuse('DUPLICATE_DIMENSION', `groupBy lists ${[...new Set(twice)].join(', ')} twice; list each dimension once.`, { parts: [...new Set(twice)] });
  }
  for (const column of Object.keys(query.where ?? {})) {
    if (!rules.dimensions.includes(column)) throw refuse('UNKNOWN_DIMENSION', `Cannot filter ${policy.dataset} on ${column}; filter on: ${rules.dimensions.join(', ')}.`, { parts: [column], allowed: rules.dimensions });
  }
  const unknownMeasures = query.wants.measures.filter((m) => !rules.measures.some((r) => r.column === m));
  if (unknownMeasures.length) {
    const allowed = rules.measures.map((m) => m.column);
    throw refuse('UNKNOWN_MEASURE', `No measure ${unknownMeasures.join(', ')} in ${policy.dataset}; measures: ${allowed.join(', ') || '(none)'}.`, { parts: unknownMeasures, allowed });
  }
  if (query.dateBucket) {
    if (!rules.dateColumns.includes(query.dateBucket.column)) {
      throw refuse('UNKNOWN_DATE_COLUMN', `Cannot bucket ${policy.dataset} by ${query.dateBucket.column}; date columns: ${rules.dateColumns.join(', ') || '(none)'}.`, {
        parts: [query.dateBucket.column],
        allowed: rules.dateColumns,
      });
    }
    const grains = allowedGrains(rules.finestDateGrain);
    if (!grains.includes(query.dateBucket.grain)) {
      throw refuse('GRAIN_TOO_FINE', `The policy of ${policy.dataset} allows date grains ${grains.join(', ')}; "${query.dateBucket.grain}" is finer: use ${rules.finestDateGrain} or coarser.`, {
        parts: [query.dateBucket.grain],
        allowed: grains,
      });
    }
  } else if (query.from || query.to) {
    throw refuse('WINDOW_WITHOUT_BUCKET', 'A date window (from/to) needs a dateBucket column to apply to.', { parts: [query.from ? 'from' : 'to'] });
  }
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
