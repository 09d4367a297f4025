/*
 * Randomized (seeded) adversarial check of suppressCells: for many small tables, an independent
 * dense elimination plays the attacker and must find nothing to recover.
 */
import { createRng, type Rng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { standardMargins, type CubeCellKey } from './margins.ts';
import { suppressCells, type SuppressionInput, type SuppressionMargin } from './suppress.ts';
import { attackerDetermines } from './testing/dense-oracle.ts';

describe('suppressCells against an attacker with a dense solver', () => {
  it('2-D and 3-D count tables with their standard margins', () => {
    const rng = createRng('suppress-property-cubes');
    for (let trial = 0; trial < 120; trial++) {
      const dims = 2 + rng.int(2);
      const sizes = Array.from({ length: dims }, () => 1 + rng.int(dims === 2 ? 6 : 4));
      const input = cubeInput(rng, sizes, undefined);
      verify(input, `cube ${sizes.join('×')} trial ${trial}`);
    }
  });

  it('2-D tables by month with quarter and year roll-ups', () => {
    const rng = createRng('suppress-property-periods');
    const quarterAndYear = (month: string): string[] => [`2024-Q${Math.ceil(Number(month.slice(5)) / 3)}`, '2024'];
    for (let trial = 0; trial < 40; trial++) {
      const sizes = [1 + rng.int(3), 1 + rng.int(3)];
      const months = 1 + rng.int(6);
      const input = cubeInput(rng, sizes, { months, parents: quarterAndYear });
      verify(input, `monthly ${sizes.join('×')}×${months} trial ${trial}`);
    }
  });

  it('arbitrary margins (random groups of cells)', () => {
    const rng = createRng('suppress-property-arbitrary');
    for (let trial = 0; trial < 150; trial++) {
      const count = 2 + rng.int(24);
      const minCount = 2 + rng.int(4);
      const subjects = Array.from({ length: count }, () => subjectCount(rng, minCount));
      const cells = subjects.map((distinctSubjects, i) => ({ id: `c${i}`, distinctSubjects, weight: rng.int(4) === 0 ? rng.int(50) : distinctSubjects }));
      const margins: SuppressionMargin[] = Array.from({ length: rng.int(30) }, (_, m) => {
        const members = [...new Set(Array.from({ length: 1 + rng.int(count) }, () => rng.int(count)))];
        return { id: `m${m}`, members: members.map((i) => `c${i}`), distinctSubjects: members.reduce((sum, i) => sum + subjects[i]!, 0) };
      });
      verify({ cells, margins, minCount }, `arbitrary trial ${trial}`);
    }
  });

  it('suppresses nothing when no cell is below minCount', () => {
    const rng = createRng('suppress-property-nothing');
    for (let trial = 0; trial < 20; trial++) {
      const input = cubeInput(rng, [1 + rng.int(5), 1 + rng.int(5)], undefined, 0);
      const result = suppressCells(input);
      expect(result.primary + result.complementary).toBe(0);
      expect(result.rounds).toBe(1);
    }
  });
});

/** Most cells small in some tables, few in others; never 0 (a group-by returns no empty cells). */
function subjectCount(rng: Rng, minCount: number, smallShare = 0.1 + rng.next() * 0.4): number {
  return rng.next() < smallShare ? 1 + rng.int(minCount - 1) : minCount + rng.int(30);
}

function cubeInput(
  rng: Rng,
  sizes: readonly number[],
  periods: { months: number; parents: (month: string) => string[] } | undefined,
  smallShare?: number,
): SuppressionInput {
  const minCount = 2 + rng.int(4);
  const keys: CubeCellKey[] = [];
  const walk = (prefix: string[]): void => {
    if (prefix.length === sizes.length) {
      for (let p = 0; p < (periods?.months ?? 1); p++) {
        const key: CubeCellKey = { id: `c${keys.length}`, dims: prefix };
        if (periods) key.period = `2024-${String(p + 1).padStart(2, '0')}`;
        keys.push(key);
      }
      return;
    }
    for (let v = 0; v < sizes[prefix.length]!; v++) walk([...prefix, `v${v}`]);
  };
  walk([]);
  const subjects = new Map(keys.map((key) => [key.id, subjectCount(rng, minCount, smallShare)]));
  const cells = keys.map((key) => ({ id: key.id, distinctSubjects: subjects.get(key.id)!, weight: subjects.get(key.id)! }));
  // Each subject sits in one cell, so a margin's distinct subjects are the sum of its members'.
  const margins = standardMargins(keys, periods ? { periodParents: periods.parents } : {}).map((margin) => ({
    id: margin.id,
    members: margin.members,
    distinctSubjects: margin.members.reduce((sum, id) => sum + subjects.get(id)!, 0),
  }));
  return { cells, margins, minCount };
}

function verify(input: SuppressionInput, label: string): void {
  const result = suppressCells(input);
  const { minCount } = input;
  const suppressedIds = new Set<string>();
  for (const cell of input.cells) {
    const status = result.status.get(cell.id);
    // (a) nothing below minCount is released, and primary means exactly "below minCount".
    if (cell.distinctSubjects < minCount) expect(status, label).toEqual({ kind: 'suppressed', reason: 'below_min_count' });
    else expect(status?.kind === 'released' || (status?.kind === 'suppressed' && status.reason === 'complementary'), label).toBe(true);
    if (status?.kind === 'suppressed') suppressedIds.add(cell.id);
  }
  expect(result.primary, label).toBe(input.cells.filter((c) => c.distinctSubjects < minCount).length);
  expect(result.primary + result.complementary, label).toBe(suppressedIds.size);
  if (result.primary === 0) expect(suppressedIds.size, label).toBe(0);

  // (b) the attacker recovers no suppressed cell from the released cells and public margins,
  // except the ones reported as exposed.
  const publicMargins = input.margins.filter((m) => m.distinctSubjects >= minCount);
  const recovered = attackerDetermines(suppressedIds, publicMargins);
  expect([...recovered].sort(), label).toEqual([...result.exposed].sort().filter((id) => recovered.has(id)));
  // (c) an exposed cell is recoverable even with every cell of the response suppressed.
  if (result.exposed.length > 0) {
    const everything = attackerDetermines(new Set(input.cells.map((c) => c.id)), publicMargins);
    for (const id of result.exposed) expect(everything.has(id), `${label}: ${id} reported exposed`).toBe(true);
  }

  // (d) the same answer for the same content in another order.
  const rng = createRng(label);
  const shuffled = suppressCells({ ...input, cells: rng.shuffle([...input.cells]), margins: rng.shuffle([...input.margins]) });
  expect([...shuffled.status].sort(), label).toEqual([...result.status].sort());
}
