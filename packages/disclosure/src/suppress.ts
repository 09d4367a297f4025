import { AirlockError, createRng } from '@airlock/core';
import { PRIME, determinedColumns, invMod, mulMod, type SparseRow } from './elimination.ts';

/** One cell of an aggregate response. */
export interface SuppressionCell {
  /** Unique within the response. */
  id: string;
  /** Count of distinct subjects behind the cell (not rows). */
  distinctSubjects: number;
  /**
   * Information lost if the cell is suppressed, e.g. its row count; complements are picked
   * lowest weight first. A finite number ≥ 0.
   */
  weight: number;
}

/**
 * A sum of response cells that an attacker can learn elsewhere: the same query grouped by fewer
 * dimensions, the grand total, a coarser date bucket (see {@link standardMargins}).
 */
export interface SuppressionMargin {
  /** Unique among the margins. */
  id: string;
  /** Distinct subjects behind the margin, as the query that would publish it counts them. */
  distinctSubjects: number;
  /** Ids of the response cells whose sum it is; each at most once. */
  members: readonly string[];
}

export interface SuppressionInput {
  cells: readonly SuppressionCell[];
  margins: readonly SuppressionMargin[];
  /** The policy's `min_count` k: a whole number ≥ 2. */
  minCount: number;
}

export type CellStatus = { kind: 'released' } | { kind: 'suppressed'; reason: 'below_min_count' | 'complementary' };

export interface SuppressionResult {
  /** One entry per input cell. */
  status: ReadonlyMap<string, CellStatus>;
  /** Cells suppressed because they are below `minCount`. */
  primary: number;
  /** Cells at or above `minCount` suppressed so that no suppressed cell can be derived. */
  complementary: number;
  /** Exact elimination passes run (at least 1; the last one found nothing left to fix). For tests and metrics. */
  rounds: number;
  /**
   * Suppressed cells (ascending ids) whose value the public margins pin down no matter which other
   * cells of this response are suppressed: the margins themselves disclose them, so suppression
   * here cannot help. Examples: x1+x2, x2+x3, x1+x3 all public; or a dimension with a single value
   * in a two-cell response, where the total and the other cell are both public elsewhere. When it
   * is not empty the caller must refuse the query (`BELOW_THRESHOLD`) or coarsen it, not release it.
   */
  exposed: readonly string[];
}

const RELEASED = 0;
const PRIMARY = 1;
const COMPLEMENTARY = 2;
/** Verdicts of the exact fallback besides "suppress this cell". */
const EXPOSED = -1;
const RECHECK = -2;

/**
 * Small-cell suppression with complementary suppression, checked by exact linear algebra.
 *
 * 1. Primary: every cell with fewer than `minCount` distinct subjects is suppressed.
 * 2. Each public margin (see below) is an equation "sum of its members = known value"; released
 *    members are known, suppressed members are unknowns.
 * 3. The common case first, without linear algebra: a margin with exactly one suppressed member
 *    gives it away (margin minus the released rest). One of its released members is suppressed
 *    too: the one that leaves the fewest margins with a single unknown (each margin of the
 *    candidate with no unknown yet would get one; each with one would be settled), then the lowest
 *    weight, then the lowest id. Repeated until no margin has exactly one unknown.
 * 4. Exact sparse elimination (elimination.ts) then finds every unknown the equations still
 *    determine, including ones that only a combination of equations isolates (x1+x2, x2+x3, x1+x3
 *    known ⇒ all three). Theory for choosing complements: a determined cell u is freed by adding
 *    released cells S exactly when some combination of S's columns lies in the column space of the
 *    unknowns and uses u's column. So, in order of preference:
 *    a. one released cell whose column lies in the column space and frees determined cells: the
 *       lightest (then lowest id) such cell, checked by solving for it;
 *    b. two released cells with a combination in the column space that frees some (two steps
 *       outside the column space that cancel, e.g. the two missing corners of a rectangle);
 *    c. otherwise "widening": the released cells that take part in what determines them (fewest new
 *       single-unknown margins, then lowest weight, then lowest id), one per 32 determined cells
 *       and at least one; they are determined themselves and handled in the next round.
 *    A modular probe steers these choices cheaply; it never decides safety. Then back to 3.
 *
 * Each round suppresses at least one more cell or ends, so the loop ends (at most cells + 1
 * rounds), and it ends only when the exact elimination finds no determined cell. So on return no
 * suppressed cell is determined by the released cells plus the public margins, except those
 * listed in `exposed`: cells that an exact certificate shows to be isolated whatever else is
 * suppressed (every released cell's margins cancel in it). The result depends only on the input's
 * content, not its order.
 *
 * Public margin: one the gateway would release in the other query, i.e. with at least `minCount`
 * distinct subjects. Two guards for inconsistent counts: a margin with one member is the member
 * itself (the same rows), so its count is taken as the cell's and it is public only if the cell
 * is; a margin with several members can never have fewer subjects than one of its members, so the
 * larger count is used (more public margins means more protection, the safe side). A cell that is
 * the only member of a public margin is public anyway and is never picked as a complement.
 *
 * Scope: uniqueness over the reals, which is what the margins give for additive values (row counts,
 * sums of measures; one pattern protects them all because they share the equations). Bounds an
 * attacker gets from non-negativity (a suppressed pair summing to 1) are not checked; minimum and
 * maximum values follow {@link minMaxReleasable} instead.
 *
 * Throws `BAD_REQUEST` for duplicate cell or margin ids, a margin naming an unknown cell or one cell
 * twice, a `minCount` that is not a whole number ≥ 2, or a count or weight that is not a finite
 * non-negative number.
 */
export function suppressCells(input: SuppressionInput): SuppressionResult {
  const { cells, margins, minCount } = input;
  validate(input);
  const n = cells.length;
  const indexOf = new Map<string, number>();
  cells.forEach((cell, i) => indexOf.set(cell.id, i));

  const state = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (cells[i]!.distinctSubjects < minCount) state[i] = PRIMARY;

  // Public margins as member index lists, in margin id order so that every choice below depends
  // on the input's content and not its order; plus the index from a cell to its margins.
  const publicMargins: number[][] = [];
  const pinned = new Uint8Array(n);
  const byId = [...margins].sort((a, b) => compareIds(a.id, b.id));
  for (const margin of byId) {
    const members = margin.members.map((id) => indexOf.get(id)!);
    if (!isPublic(margin, members, cells, minCount)) continue;
    if (members.length === 1) pinned[members[0]!] = 1;
    publicMargins.push(members);
  }
  const marginsOf: number[][] = Array.from({ length: n }, () => []);
  publicMargins.forEach((members, m) => {
    for (const i of members) marginsOf[i]!.push(m);
  });
  const redundant = findRedundant(publicMargins, marginsOf, n);

  // Cells in id order, and each cell's place in it: every tie is broken by id, and the
  // elimination numbers its unknowns in this order, so the input order cannot change the result.
  const order = cells.map((_, i) => i).sort((a, b) => compareIds(cells[a]!.id, cells[b]!.id));
  const rank = new Int32Array(n);
  order.forEach((cell, position) => (rank[cell] = position));
  const unknowns = new Int32Array(publicMargins.length); // suppressed members per public margin
  for (let i = 0; i < n; i++) if (state[i] !== RELEASED) for (const m of marginsOf[i]!) unknowns[m]!++;
  const queue: number[] = [];
  for (let m = 0; m < publicMargins.length; m++) if (unknowns[m] === 1) queue.push(m);
  const suppress = (i: number): void => {
    state[i] = COMPLEMENTARY;
    for (const m of marginsOf[i]!) if (++unknowns[m]! === 1) queue.push(m);
  };
  // Margins of c that c would leave with a single unknown (net of those it settles, if `settle`).
  const newSingles = (c: number, settle: boolean): number => {
    let net = 0;
    for (const m of marginsOf[c]!) {
      const count = unknowns[m]!;
      if (count === 0) net++;
      else if (count === 1 && settle) net--;
    }
    return net;
  };
  // Candidate order: fewer new single-unknown margins, then lower weight, then lower id.
  const better = (c: number, cScore: number, best: number, bestScore: number): boolean => {
    if (best < 0 || cScore !== bestScore) return best < 0 || cScore < bestScore;
    const wc = cells[c]!.weight;
    const wb = cells[best]!.weight;
    return wc !== wb ? wc < wb : rank[c]! < rank[best]!;
  };
  const exposed = new Set<number>();

  const settleSingleUnknowns = (): void => {
    for (let head = 0; head < queue.length; head++) {
      const m = queue[head]!;
      if (unknowns[m] !== 1) continue;
      const members = publicMargins[m]!;
      const u = members.find((i) => state[i] !== RELEASED)!;
      if (exposed.has(u)) continue;
      let best = -1;
      let bestScore = 0;
      for (const c of members) {
        if (state[c] !== RELEASED || pinned[c]) continue;
        const score = newSingles(c, true);
        if (better(c, score, best, bestScore)) {
          best = c;
          bestScore = score;
        }
      }
      // No candidate: every other member is pinned, i.e. public on its own, so u is public too.
      if (best < 0) exposed.add(u);
      else suppress(best);
    }
    queue.length = 0;
  };

  // Step 4. Every round re-runs the exact elimination, which alone decides when to stop; the
  // modular probe (elimination.ts) only steers which complements to take.
  const rng = createRng('airlock-disclosure-complements');
  const byWeight = (a: number, b: number): number => cells[a]!.weight - cells[b]!.weight || rank[a]! - rank[b]!;
  const tau = new Float64Array(n);
  // σ_c = Σ_{m ∋ c} z_m for a random dependency z among the equations: c's column can only lie in
  // the column space (c would not be determined once suppressed) if σ_c = 0.
  const sigma = (c: number, z: ReadonlyMap<number, number>): number => marginsOf[c]!.reduce((sum, m) => (sum + (z.get(m) ?? 0)) % PRIME, 0);
  const columnOf = (move: readonly (readonly [number, number])[]): Map<number, number> => {
    const column = new Map<number, number>();
    for (const [c, coefficient] of move) for (const m of marginsOf[c]!) column.set(m, ((column.get(m) ?? 0) + coefficient) % PRIME);
    return column;
  };

  const breakDeterminations = (analysis: Analysis, determined: readonly number[]): boolean => {
    const atAnalysis = state.slice();
    const probe = analysis.probe();
    const z = probe.leftNull();
    let z2: Map<number, number> | undefined;
    // σ under z (and z2) per cell, computed on first use this round (z is fixed for the round).
    const sigma1 = new Float64Array(n).fill(-1);
    const sigma2 = new Float64Array(n).fill(-1);
    const sigmaOf = (c: number, which: 1 | 2): number => {
      const memo = which === 1 ? sigma1 : sigma2;
      if (memo[c]! < 0) memo[c] = sigma(c, which === 1 ? z : (z2 ??= probe.leftNull()));
      return memo[c]!;
    };
    const remaining = new Set(determined);
    let progress = false;
    // Suppresses the cells of a move if its column (a combination of theirs) lies in the column
    // space and its solution β touches remaining cells, which are then no longer determined.
    const tryMove = (move: readonly (readonly [number, number])[]): boolean => {
      const beta = probe.solveColumn(columnOf(move));
      if (beta === undefined) return false;
      const freed = [...remaining].filter((u) => (beta.get(u) ?? 0) !== 0);
      if (freed.length === 0) return false;
      for (const u of freed) remaining.delete(u);
      for (const [c] of move) suppress(c);
      progress = true;
      return true;
    };
    while (remaining.size > 0) {
      // τ_c = Σ_{m ∋ c} y_m for y isolating a random mix of the remaining cells: c takes part in
      // what determines them only if τ_c ≠ 0.
      const g = new Map<number, number>();
      for (const u of remaining) g.set(u, 1 + rng.int(PRIME - 1));
      const y = probe.combination(g);
      const touched: number[] = [];
      if (y !== undefined) {
        for (const [m, ym] of y) {
          for (const c of publicMargins[m]!) {
            if (state[c] !== RELEASED || pinned[c]) continue;
            if (tau[c] === 0) touched.push(c);
            tau[c] = (tau[c]! + ym) % PRIME || PRIME; // PRIME marks "touched, sum 0"
          }
        }
      }
      const tauOf = (c: number): number => tau[c]! % PRIME;
      const candidates = touched.filter((c) => tauOf(c) !== 0);
      const quiet = (c: number): boolean => newSingles(c, false) === 0;

      // One cell in the column space.
      const singles = candidates.filter((c) => quiet(c) && sigmaOf(c, 1) === 0).sort(byWeight);
      let moved = singles.some((c) => tryMove([[c, 1]]));
      // Two cells whose columns are parallel outside the column space (σ, σ' proportional under
      // two random dependencies): a combination of both lies in it.
      if (!moved) {
        const pair = bestPair(candidates, quiet);
        moved = pair !== undefined && tryMove(pair);
      }
      for (const c of touched) tau[c] = 0;
      if (moved) continue;
      // Nothing frees a remaining cell in one or two steps. A cell that takes part in what
      // determines them still widens the system (it is determined itself, and handled next round).
      if (candidates.length > 0) {
        const batch = Math.max(1, Math.floor(remaining.size / 32));
        const ranked = candidates.map((c) => [c, newSingles(c, false)] as const).sort((x, y) => x[1] - y[1] || byWeight(x[0], y[0]));
        for (const [c] of ranked.slice(0, batch)) suppress(c);
        return true;
      }
      // The probe saw no candidate at all: check each remaining cell exactly.
      for (const u of [...remaining].sort((a, b) => rank[a]! - rank[b]!)) {
        const verdict = exactBreaker(analysis, u, atAnalysis);
        if (verdict === EXPOSED) {
          exposed.add(u);
          remaining.delete(u);
        } else if (verdict === RECHECK) {
          remaining.delete(u); // a cell suppressed this round already breaks its certificate
        } else {
          suppress(verdict);
          return true;
        }
      }
    }
    return progress;

    function bestPair(pool: readonly number[], quiet: (c: number) => boolean): [readonly [number, number], readonly [number, number]] | undefined {
      // Group quiet candidates by the ratio σ:σ' (their direction outside the column space).
      const groups = new Map<number, number[]>();
      const s1 = new Map<number, number>();
      for (const c of pool) {
        if (!quiet(c)) continue;
        const a = sigmaOf(c, 1);
        const b = sigmaOf(c, 2);
        if (a === 0 && b === 0) continue;
        s1.set(c, a === 0 ? b : a);
        const key = b === 0 ? -1 : a === 0 ? -2 : mulMod(a, invMod(b));
        let group = groups.get(key);
        if (group === undefined) groups.set(key, (group = []));
        group.push(c);
      }
      let best: [readonly [number, number], readonly [number, number]] | undefined;
      let bestWeight = Infinity;
      for (const group of groups.values()) {
        // The lightest few of each group are enough to find its lightest useful pair.
        const light = group.sort(byWeight).slice(0, 8);
        for (let i = 0; i < light.length; i++) {
          for (let j = i + 1; j < light.length; j++) {
            const c1 = light[i]!;
            const c2 = light[j]!;
            const weight = cells[c1]!.weight + cells[c2]!.weight;
            if (weight >= bestWeight) continue;
            // γ1·a1 + γ2·a2 with γ = (σ2, −σ1) cancels the part outside the column space.
            const g1 = s1.get(c2)!;
            const g2 = PRIME - s1.get(c1)!;
            if ((mulMod(g1, tauOf(c1)) + mulMod(g2, tauOf(c2))) % PRIME === 0) continue;
            best = [[c1, g1], [c2, g2]];
            bestWeight = weight;
          }
        }
      }
      return best;
    }
    function tauOf(c: number): number {
      return tau[c]! % PRIME;
    }
  };
  // From u's exact certificate y (relative to the state at the analysis): the best released cell c
  // with Σ_{m ∋ c} y_m ≠ 0; RECHECK when a cell suppressed since the analysis already has one (u
  // may be free now; the next round tells); EXPOSED when no cell has one, since then y keeps
  // isolating u whatever else is suppressed (a pinned cell's own margin cancels its term).
  const exactBreaker = (analysis: Analysis, u: number, atAnalysis: Uint8Array): number => {
    const sums = new Map<number, bigint>();
    for (const [m, ym] of analysis.certificate(u)) {
      for (const c of publicMargins[m]!) if (atAnalysis[c] === RELEASED && !pinned[c]) sums.set(c, (sums.get(c) ?? 0n) + ym);
    }
    let best = -1;
    let bestScore = 0;
    for (const [c, sum] of sums) {
      if (sum === 0n) continue;
      if (state[c] !== RELEASED) return RECHECK;
      const score = newSingles(c, false);
      if (better(c, score, best, bestScore)) [best, bestScore] = [c, score];
    }
    return best < 0 ? EXPOSED : best;
  };

  let rounds = 0;
  settleSingleUnknowns();
  for (;;) {
    rounds++;
    const analysis = analyse(state, order, publicMargins, redundant);
    const determined = analysis.determined.filter((u) => !exposed.has(u));
    if (determined.length === 0 || !breakDeterminations(analysis, determined)) break;
    settleSingleUnknowns();
  }

  const status = new Map<string, CellStatus>();
  let primary = 0;
  let complementary = 0;
  for (let i = 0; i < n; i++) {
    const s = state[i];
    if (s === PRIMARY) primary++;
    if (s === COMPLEMENTARY) complementary++;
    status.set(
      cells[i]!.id,
      s === RELEASED ? { kind: 'released' } : { kind: 'suppressed', reason: s === PRIMARY ? 'below_min_count' : 'complementary' },
    );
  }
  const exposedIds = [...exposed].map((i) => cells[i]!.id).sort();
  return { status, primary, complementary, rounds, exposed: exposedIds };
}

function isPublic(margin: SuppressionMargin, members: readonly number[], cells: readonly SuppressionCell[], minCount: number): boolean {
  if (members.length === 0) return false;
  if (members.length === 1) return Math.min(margin.distinctSubjects, cells[members[0]!]!.distinctSubjects) >= minCount;
  let count = margin.distinctSubjects;
  for (const i of members) count = Math.max(count, cells[i]!.distinctSubjects);
  return count >= minCount;
}

/** The elimination over the current unknowns, in terms of cells and margins. */
interface Analysis {
  /** Suppressed cells that the public margins determine given the released ones. */
  determined: number[];
  /** Exact certificate of a determined cell, as weights by public margin. */
  certificate(cell: number): Map<number, bigint>;
  /** The modular probe, by margin and cell (see Probe in elimination.ts). */
  probe(): {
    leftNull(): Map<number, number>;
    combination(g: ReadonlyMap<number, number>): Map<number, number> | undefined;
    /** β by cell for a new column given by margin (mod PRIME); undefined when outside the column space. */
    solveColumn(column: ReadonlyMap<number, number>): Map<number, number> | undefined;
  };
}

function analyse(state: Uint8Array, order: readonly number[], publicMargins: readonly (readonly number[])[], redundant: Uint8Array): Analysis {
  const columnOf = new Int32Array(state.length).fill(-1);
  const cellOf: number[] = [];
  for (const i of order) {
    if (state[i] === RELEASED) continue;
    columnOf[i] = cellOf.length;
    cellOf.push(i);
  }
  const rows: SparseRow[] = [];
  const marginOfRow: number[] = [];
  const rowOfMargin = new Int32Array(publicMargins.length).fill(-1);
  publicMargins.forEach((members, m) => {
    if (redundant[m]) return;
    const cols: number[] = [];
    for (const i of members) {
      const c = columnOf[i]!;
      if (c >= 0) cols.push(c);
    }
    if (cols.length === 0) return;
    cols.sort((a, b) => a - b);
    rowOfMargin[m] = rows.length;
    rows.push({ cols, vals: cols.map(() => 1) });
    marginOfRow.push(m);
  });
  const result = determinedColumns(rows, cellOf.length);
  const byMargin = <V>(byRow: ReadonlyMap<number, V>): Map<number, V> => {
    const out = new Map<number, V>();
    for (const [row, v] of byRow) out.set(marginOfRow[row]!, v);
    return out;
  };
  return {
    determined: result.determined.map((c) => cellOf[c]!),
    certificate: (cell) => byMargin(result.certificate(columnOf[cell]!)),
    probe: () => {
      const probe = result.probe();
      return {
        leftNull: () => byMargin(probe.leftNull()),
        combination: (g) => {
          const byColumn = new Map<number, number>();
          for (const [cell, v] of g) byColumn.set(columnOf[cell]!, v);
          const y = probe.combination(byColumn);
          return y === undefined ? undefined : byMargin(y);
        },
        solveColumn: (column) => {
          const byRow = new Map<number, number>();
          for (const [m, v] of column) {
            if (v % PRIME === 0 || redundant[m]) continue; // a redundant margin follows from the others
            // A margin with no unknown yet is the equation 0 = 0; the new column would single itself out.
            if (rowOfMargin[m]! < 0) return undefined;
            byRow.set(rowOfMargin[m]!, v);
          }
          const beta = probe.solveColumn(byRow);
          if (beta === undefined) return undefined;
          const byCell = new Map<number, number>();
          for (const [col, v] of beta) byCell.set(cellOf[col]!, v);
          return byCell;
        },
      };
    },
  };
}

/**
 * Margins that are a disjoint union of strictly smaller public margins, and so add no equation
 * (a cube's coarser roll-ups are sums of finer ones: a quarter is its three months). Skipping them
 * spares the elimination most of its redundant rows. Greedy: each uncovered member is covered by
 * the largest smaller margin that fits inside the rest; when that fails the margin is kept, which
 * is always correct. Since every justification uses strictly smaller margins, skipping all of them
 * together still leaves their equations in the span of the kept ones.
 */
function findRedundant(publicMargins: readonly (readonly number[])[], marginsOf: readonly (readonly number[])[], n: number): Uint8Array {
  const redundant = new Uint8Array(publicMargins.length);
  const inMargin = new Int32Array(n).fill(-1); // stamp: the margin being tested
  const covered = new Int32Array(n).fill(-1);
  const bySizeDown = marginsOf.map((list) => [...list].sort((a, b) => publicMargins[b]!.length - publicMargins[a]!.length));
  publicMargins.forEach((members, m) => {
    if (members.length < 2) return;
    for (const i of members) inMargin[i] = m;
    for (const x of members) {
      if (covered[x] === m) continue;
      let part = -1;
      for (const k of bySizeDown[x]!) {
        const candidate = publicMargins[k]!;
        if (candidate.length >= members.length) continue;
        if (candidate.every((i) => inMargin[i] === m && covered[i] !== m)) {
          part = k;
          break;
        }
      }
      if (part < 0) return;
      for (const i of publicMargins[part]!) covered[i] = m;
    }
    redundant[m] = 1;
  });
  return redundant;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function validate(input: SuppressionInput): void {
  const { cells, margins, minCount } = input;
  if (!Number.isInteger(minCount) || minCount < 2) {
    // k = 1 would release single-subject cells, which is what this package exists to prevent.
    throw new AirlockError('BAD_REQUEST', `minCount must be a whole number of at least 2, got ${String(minCount)}; fix the policy's min_count`);
  }
  const ids = new Set<string>();
  for (const cell of cells) {
    if (ids.has(cell.id)) throw new AirlockError('BAD_REQUEST', `cell id "${cell.id}" appears twice; give every response cell a unique id`);
    ids.add(cell.id);
    assertCount(cell.distinctSubjects, `cell "${cell.id}" distinctSubjects`);
    if (!Number.isFinite(cell.weight) || cell.weight < 0) {
      throw new AirlockError('BAD_REQUEST', `cell "${cell.id}" weight must be a finite number ≥ 0, got ${String(cell.weight)}`);
    }
  }
  const marginIds = new Set<string>();
  for (const margin of margins) {
    if (marginIds.has(margin.id)) throw new AirlockError('BAD_REQUEST', `margin id "${margin.id}" appears twice; give every margin a unique id`);
    marginIds.add(margin.id);
    assertCount(margin.distinctSubjects, `margin "${margin.id}" distinctSubjects`);
    const members = new Set<string>();
    for (const id of margin.members) {
      if (!ids.has(id)) throw new AirlockError('BAD_REQUEST', `margin "${margin.id}" names cell "${id}", which is not in the response; list only response cells`);
      if (members.has(id)) throw new AirlockError('BAD_REQUEST', `margin "${margin.id}" lists cell "${id}" twice; a margin is a plain sum of distinct cells`);
      members.add(id);
    }
  }
}

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new AirlockError('BAD_REQUEST', `${what} must be a whole number ≥ 0, got ${String(value)}`);
}
