import { AirlockError, minOf, type DateGrain } from '@airlock/core';
import { nextBucketStart, planAggregate, rhoForAccuracy, type AccuracyTarget, type PlanInput } from '@airlock/privacy';

/*
 * Refusals of aggregate queries that name the part at fault and a change that would be accepted.
 * Pure: each is built from the query, the policy and the caller's own budget, never from data.
 */

/** One factor of an aggregate's shape: a dimension and its values, or the date buckets in the window. */
export type QueryPart =
  | { kind: 'dimension'; name: string; /** Null when the values come from the data. */ values: number | null }
  | { kind: 'period'; grain: DateGrain; /** Null when the window is open (periods come from the data). */ periods: number | null };

/** A query shape that fits, as what to send: the dimensions, the grain and, if shortened, the window. */
export interface CellSuggestion {
  groupBy: string[];
  grain: DateGrain | null;
  window?: { from: string; to: string };
  cells: number;
}

/** What the too-many-cells refusal needs: every part has a count. */
export interface CellShape {
  parts: readonly QueryPart[];
  maxCells: number;
  /** Each grain coarser than the query's that the policy allows, with the periods of the window widened to it. */
  coarserGrains: readonly { grain: DateGrain; periods: number }[];
  /** The window after alignment, to suggest a shorter one; null without a date bucket. */
  window: { from: string; to: string } | null;
}

// Beyond this many dimensions only single drops are tried (2^n subsets otherwise).
const MAX_SEARCHED_DIMENSIONS = 10;
const MAX_SUGGESTIONS = 4;

/**
 * BAD_REQUEST for a query with more declared cells than `maxCells`: each dimension with its number
 * of values and the periods in the window, multiplied out, and the smallest changes that fit.
 */
export function tooManyCells(shape: CellShape): AirlockError {
  const cells = product(shape.parts.map(countOf));
  const suggestions = cellSuggestions(shape);
  const advice = suggestions.length
    ? `To fit: ${suggestions.map((s) => describeSuggestion(shape, s)).join(', or ')}.`
    : 'No coarser grain or fewer dimensions fits: filter a dimension to fewer values (where) or shorten the window.';
  return new AirlockError('BAD_REQUEST', `This query would return ${n(cells)} cells, more than the ${n(shape.maxCells)} allowed: ${partsText(shape.parts)} = ${n(cells)} cells > ${n(shape.maxCells)}. ${advice}`, {
    details: { reason: 'TOO_MANY_CELLS', cells, maxCells: shape.maxCells, parts: shape.parts, suggestions },
  });
}

/**
 * Changes that bring the query under `maxCells` with the fewest edits (each dropped dimension and
 * a coarser grain count one), keeping the most cells: drops first, then the finest coarser grain
 * that fits, then a shorter window.
 */
export function cellSuggestions(shape: CellShape): CellSuggestion[] {
  const dims = shape.parts.filter((p): p is Extract<QueryPart, { kind: 'dimension' }> => p.kind === 'dimension');
  const period = shape.parts.find((p): p is Extract<QueryPart, { kind: 'period' }> => p.kind === 'period');
  const grains = period ? [{ grain: period.grain, periods: period.periods ?? 0 }, ...shape.coarserGrains] : [{ grain: null, periods: 1 }];
  const keepSets =
    dims.length <= MAX_SEARCHED_DIMENSIONS
      ? Array.from({ length: 2 ** dims.length }, (_, mask) => dims.filter((_d, i) => (mask & (1 << i)) !== 0))
      : [dims, ...dims.map((d) => dims.filter((other) => other !== d))];
  const found: Array<CellSuggestion & { changes: number; order: number }> = [];
  for (const kept of keepSets) {
    const base = product(kept.map(countOf));
    // The finest grain that fits for this set of dimensions: coarser ones only lose detail.
    const index = grains.findIndex((g) => base * g.periods <= shape.maxCells);
    if (index < 0) continue;
    const { grain, periods } = grains[index]!;
    const changes = dims.length - kept.length + (index > 0 ? 1 : 0);
    if (changes === 0) continue;
    found.push({ groupBy: kept.map((d) => d.name), grain, cells: base * periods, changes, order: index > 0 && kept.length === dims.length ? 1 : 0 });
  }
  const shorter = shorterWindow(shape, dims, period);
  if (shorter) found.push({ ...shorter, changes: 1, order: 2 });
  if (!found.length) return [];
  const fewest = minOf(found.map((s) => s.changes));
  return found
    .filter((s) => s.changes === fewest)
    .sort((a, b) => a.order - b.order || b.cells - a.cells)
    .slice(0, MAX_SUGGESTIONS)
    .map(({ changes: _changes, order: _order, ...s }) => s);
}

/** The longest window from the same first day whose periods fit with every dimension kept. */
function shorterWindow(shape: CellShape, dims: readonly Extract<QueryPart, { kind: 'dimension' }>[], period: Extract<QueryPart, { kind: 'period' }> | undefined): CellSuggestion | null {
  if (!period || period.periods === null || !shape.window) return null;
  const base = product(dims.map(countOf));
  const fit = Math.floor(shape.maxCells / base);
  if (fit < 1 || fit >= period.periods) return null;
  let end = shape.window.from;
  for (let i = 0; i < fit; i++) end = nextBucketStart(end, period.grain);
  return { groupBy: dims.map((d) => d.name), grain: period.grain, window: { from: shape.window.from, to: previousDay(end) }, cells: base * fit };
}

function describeSuggestion(shape: CellShape, s: CellSuggestion): string {
  const period = shape.parts.find((p) => p.kind === 'period');
  const dropped = shape.parts.filter((p) => p.kind === 'dimension' && !s.groupBy.includes(p.name)).map((p) => (p.kind === 'dimension' ? p.name : ''));
  if (s.window && period?.kind === 'period') {
    const periods = s.cells / Math.max(1, product(shape.parts.filter((p) => p.kind === 'dimension').map(countOf)));
    return `shorten the window to ${s.window.from}..${s.window.to} (${n(periods)} ${plural(period.grain, periods)} → ${n(s.cells)} cells)`;
  }
  const steps: string[] = [];
  if (dropped.length) steps.push(`drop ${joinAnd(dropped)}`);
  if (period?.kind === 'period' && s.grain !== null && s.grain !== period.grain) {
    const periods = shape.coarserGrains.find((g) => g.grain === s.grain)?.periods ?? 0;
    steps.push(`use grain ${s.grain} (${n(periods)} ${plural(s.grain, periods)} → ${n(s.cells)} cells)`);
    return steps.join(' and ');
  }
  return `${steps.join(' and ')} (${n(s.cells)} cells)`;
}

/** What the too-many-groups refusal needs: the parts, some of whose values come from the data. */
export interface GroupShape {
  dataset: string;
  parts: readonly QueryPart[];
  maxGroups: number;
}

/**
 * BAD_REQUEST when the data holds more groups than can be read for partition selection. It names
 * the parts whose values come from the data (the ones that multiply without a bound the policy
 * knows) and says how to bound them. The only fact about the data it carries is the one the
 * refusal itself always carried: more than `maxGroups` groups.
 */
export function tooManyGroups(shape: GroupShape): AirlockError {
  const open = shape.parts.filter((p) => (p.kind === 'dimension' ? p.values === null : p.periods === null));
  const names = open.map(partName);
  const fixes: string[] = [];
  for (const p of open) {
    if (p.kind === 'dimension') fixes.push(`drop ${p.name} or list the ${p.name} values you need in where`);
    else fixes.push(`give from and to, or use a grain coarser than ${p.grain}`);
  }
  if (!fixes.length) fixes.push('group by fewer dimensions, use a coarser grain, or filter');
  const from = names.length ? ` ${joinAnd(names)} ${names.length === 1 ? 'takes its' : 'take their'} values from the data (the policy lists none).` : '';
  return new AirlockError(
    'BAD_REQUEST',
    `Grouping ${shape.dataset} by ${partsText(shape.parts)} has more than ${n(shape.maxGroups)} groups, too many to release.${from} To fit: ${fixes.join('; ')}.`,
    { details: { reason: 'TOO_MANY_GROUPS', maxGroups: shape.maxGroups, parts: shape.parts, fromData: names } },
  );
}

/** A query's privacy cost as the caller gave it: a ρ, an accuracy target, or the policy's default. */
export type CostChoice = { rho: number } | { accuracy: AccuracyTarget } | undefined;

/** One statistic's share of a query's ρ. */
export type CostPart = { statistic: 'subjects' | 'rows' | 'other'; rho: number } | { statistic: 'sum'; measure: string; rho: number };

/** A cheaper query: fewer statistics for the same target, a coarser target, or a lower cost. */
export type CostSuggestion =
  | { change: 'statistics'; keep: string[]; rho: number }
  | { change: 'accuracy'; halfWidth: number; rho: number }
  | { change: 'cost'; rho: number; subjectsHalfWidth: number; subjectsOnlyHalfWidth: number | null };

/** What a cost refusal needs: the plan's inputs, how the cost was chosen, and what is available. */
export interface CostShape {
  plan: Omit<PlanInput, 'rho'>;
  cost: CostChoice;
  rho: number;
  /** ρ the caller could spend: the budget left this period, or the whole budget. */
  available: number;
}

/** The cost split by statistic and the cheaper changes that would fit, in words and as details. */
export function costExplanation(shape: CostShape): { text: string; parts: CostPart[]; suggestions: CostSuggestion[] } {
  const plan = planAggregate({ ...shape.plan, rho: shape.rho });
  const parts: CostPart[] = [{ statistic: 'subjects', rho: round9(plan.subjects.rho) }];
  if (plan.rows) parts.push({ statistic: 'rows', rho: round9(plan.rows.rho) });
  for (const [measure, s] of plan.sums) parts.push({ statistic: 'sum', measure, rho: round9(s.rho) });
  if (plan.other) parts.push({ statistic: 'other', rho: round9(plan.other.rho) });
  const shares = parts.length === 1 ? 'It all pays for the counts of subjects' : `Its ρ is shared by what it releases: ${parts.map((p) => `${partLabel(p)} ${sig(p.rho)}`).join(', ')}`;
  const m = shape.plan.maxRowsPerSubject;
  const split = `${shares}; the number of cells does not change it (each person counts in at most ${m} ${m === 1 ? 'cell' : 'cells'}).`;
  const suggestions = costSuggestions(shape);
  const advice = suggestions.length ? ` To fit: ${suggestions.map(describeCost(shape)).join(', or ')}.` : '';
  return { text: `${split}${advice}`, parts, suggestions };
}

function costSuggestions(shape: CostShape): CostSuggestion[] {
  const { plan, cost, available } = shape;
  const fits = (rho: number) => rho > 0 && rho <= available;
  const out: CostSuggestion[] = [];
  if (cost && 'accuracy' in cost) {
    const target = cost.accuracy;
    // The same target with only the statistic it is stated for: ρ is shared by fewer statistics.
    const only: Omit<PlanInput, 'rho'> = {
      ...plan,
      rows: target.statistic === 'rows',
      sums: target.statistic === 'sum' ? plan.sums.filter((s) => s.column === target.measure) : [],
    };
    if (only.rows !== plan.rows || only.sums.length !== plan.sums.length) {
      const rho = rhoForAccuracy(only, target);
      if (fits(rho)) out.push({ change: 'statistics', keep: [target.statistic === 'sum' ? `sum of ${target.measure}` : target.statistic], rho: round9(rho) });
    }
    const coarser = coarserTarget(plan, target, available);
    if (coarser) out.push({ change: 'accuracy', ...coarser });
    return out;
  }
  const rho = floorSig(available);
  if (!fits(rho)) return out;
  const lower = planAggregate({ ...plan, rho });
  const alone = plan.rows || plan.sums.length ? planAggregate({ ...plan, rows: false, sums: [], rho }).subjects.halfWidth95 : null;
  out.push({ change: 'cost', rho, subjectsHalfWidth: lower.subjects.halfWidth95, subjectsOnlyHalfWidth: alone });
  return out;
}

/** The finest round target (whole people or rows, two significant digits for sums) whose ρ fits. */
function coarserTarget(plan: Omit<PlanInput, 'rho'>, target: AccuracyTarget, available: number): { halfWidth: number; rho: number } | null {
  if (!(available > 0)) return null;
  const round = target.statistic === 'sum' ? ceilSig : Math.ceil;
  const rhoOf = (halfWidth: number) => rhoForAccuracy(plan, { ...target, halfWidth });
  // ρ falls with the square of the half-width: start there, then step up until it fits.
  let halfWidth = round(target.halfWidth * Math.sqrt(rhoOf(target.halfWidth) / available));
  for (let i = 0; i < 200 && rhoOf(halfWidth) > available; i++) halfWidth = round(halfWidth * 1.02 + (target.statistic === 'sum' ? 0 : 1));
  if (rhoOf(halfWidth) > available) return null;
  // Half-widths of the discrete Gaussian are whole numbers, so ρ is not exactly quadratic: the
  // start may overshoot. Step back down while a finer whole target still fits.
  if (target.statistic !== 'sum') while (halfWidth - 1 > target.halfWidth && rhoOf(halfWidth - 1) <= available) halfWidth -= 1;
  return { halfWidth, rho: round9(rhoOf(halfWidth)) };
}

function describeCost(shape: CostShape): (s: CostSuggestion) => string {
  const target = shape.cost && 'accuracy' in shape.cost ? shape.cost.accuracy : null;
  const unit = target ? targetUnit(target) : '';
  return (s) => {
    switch (s.change) {
      case 'statistics':
        return `ask for ${s.keep.join(', ')} only (ρ = ${sig(s.rho)} for the same ±${target?.halfWidth ?? ''}${unit})`;
      case 'accuracy':
        return `ask for ±${n(s.halfWidth)}${unit} (halfWidth: ${s.halfWidth}, ρ = ${sig(s.rho)})`;
      case 'cost':
        return `cost: ${s.rho} (about ±${n(s.subjectsHalfWidth)} people per cell${s.subjectsOnlyHalfWidth === null ? '' : `; ±${n(s.subjectsOnlyHalfWidth)} if you ask for subjects only`})`;
    }
  };
}

function targetUnit(target: AccuracyTarget): string {
  switch (target.statistic) {
    case 'subjects':
      return ' people';
    case 'rows':
      return ' rows';
    case 'sum':
      return ` on the sum of ${target.measure}`;
  }
}

function partLabel(p: CostPart): string {
  switch (p.statistic) {
    case 'subjects':
      return 'subjects';
    case 'rows':
      return 'rows';
    case 'sum':
      return `sum of ${p.measure}`;
    case 'other':
      return 'the other total';
  }
}

function partsText(parts: readonly QueryPart[]): string {
  return parts
    .map((p, i) => {
      if (p.kind === 'dimension') return p.values === null ? `${p.name} (values from the data)` : `${p.name} (${n(p.values)}${i === 0 ? ' values' : ''})`;
      return p.periods === null ? `${p.grain} (periods from the data)` : `${p.grain} (${n(p.periods)} ${p.periods === 1 ? 'period' : 'periods'})`;
    })
    .join(' × ');
}

function partName(p: QueryPart): string {
  return p.kind === 'dimension' ? p.name : `${p.grain} periods`;
}

function countOf(p: QueryPart): number {
  return (p.kind === 'dimension' ? p.values : p.periods) ?? 0;
}

function plural(grain: DateGrain, count: number): string {
  return count === 1 ? grain : `${grain}s`;
}

function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

function joinAnd(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
}

function n(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Three significant digits, for showing a ρ. */
function sig(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** Rounded down to three significant digits: a ρ to suggest must not exceed what is available. */
function floorSig(x: number): number {
  if (!(x > 0)) return 0;
  const scale = 10 ** (Math.floor(Math.log10(x)) - 2);
  const steps = Math.floor(x / scale);
  const down = Number((steps * scale).toPrecision(3));
  // Binary fractions: 0.3 / 0.001 may come out a hair above 300.
  return down <= x ? down : Number(((steps - 1) * scale).toPrecision(3));
}

/** Rounded up to two significant digits. */
function ceilSig(x: number): number {
  const scale = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.ceil(x / scale - 1e-9) * scale).toPrecision(2));
}

function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
