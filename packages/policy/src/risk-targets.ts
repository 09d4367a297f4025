import type { ColumnHierarchy, DatasetPolicy } from './model.ts';

/**
 * Defaults of the deidentified zone's risk targets. k = 5 bounds every published record's
 * prosecutor risk at 1/5 = 0.2, the highest threshold El Emam's guidance accepts for data shared
 * with known recipients under agreement (the deidentified zone goes to named roles, never the
 * public); l = 2 keeps any class from revealing a sensitive value outright; up to 5% of records
 * may be withheld rather than generalizing everyone for a few outliers.
 */
export const RISK_DEFAULTS = Object.freeze({ k: 5, l: 2, maxSuppressed: 0.05 });

/** The deidentified zone's risk targets with defaults filled, or undefined without that zone. */
export interface DeidentifiedRisk {
  readonly k: number;
  readonly l: number;
  readonly maxSuppressed: number;
  /** Quasi-identifier columns, in policy order then the extra ones listed. */
  readonly quasiIdentifiers: readonly string[];
  /** Sensitive columns that are published (not dropped). */
  readonly sensitive: readonly string[];
  readonly hierarchies: readonly ColumnHierarchy[];
}

/** The risk targets of a policy's deidentified zone (see {@link RISK_DEFAULTS}). */
export function deidentifiedRisk(policy: DatasetPolicy): DeidentifiedRisk | undefined {
  const zone = policy.zones.deidentified;
  if (zone === undefined) return undefined;
  const published = policy.columns.filter((c) => c.deidentified.kind !== 'drop');
  const quasi = zone.quasiIdentifiers ?? published.filter((c) => c.class === 'quasi_identifier' || c.class === 'event_date').map((c) => c.name);
  return {
    k: zone.k ?? RISK_DEFAULTS.k,
    l: zone.l ?? RISK_DEFAULTS.l,
    maxSuppressed: zone.maxSuppressed ?? RISK_DEFAULTS.maxSuppressed,
    quasiIdentifiers: quasi,
    sensitive: published.filter((c) => c.class === 'sensitive').map((c) => c.name),
    hierarchies: zone.hierarchies ?? [],
  };
}
