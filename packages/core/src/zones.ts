/**
 * The zones of a dataset. `aggregate` stores nothing: it is computed per query from restricted
 * data under the gateway's aggregate role (see DESIGN.md).
 */
export const ZONES = ['restricted', 'deidentified', 'aggregate', 'synthetic'] as const;
export type Zone = (typeof ZONES)[number];

/** The zones that store records (all but `aggregate`). */
export const RECORD_ZONES = ['restricted', 'deidentified', 'synthetic'] as const;
export type RecordZone = (typeof RECORD_ZONES)[number];

/** An applied policy's version: its number in the catalog and the sha256 of its file. */
export interface PolicyVersion {
  version: number;
  sha256: string;
}

/** The applied version of each policy, by policy name. */
export type PolicyVersions = ReadonlyMap<string, PolicyVersion>;

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
