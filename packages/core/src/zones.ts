/**
 * The zones of a dataset. `aggregate` stores nothing: it is computed per query from restricted
 * data under the gateway's aggregate role (see DESIGN.md).
 */
export const ZONES = ['restricted', 'deidentified', 'aggregate', 'synthetic'] as const;
export type Zone = (typeof ZONES)[number];

export function isZone(value: string): value is Zone {
  return (ZONES as readonly string[]).includes(value);
}

/** Date grains from finest to coarsest. */
export const DATE_GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type DateGrain = (typeof DATE_GRAINS)[number];

/** True when grain `a` is strictly finer than grain `b` (day is finer than week). */
export function grainFinerThan(a: DateGrain, b: DateGrain): boolean {
  return DATE_GRAINS.indexOf(a) < DATE_GRAINS.indexOf(b);
}
