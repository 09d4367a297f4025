import type { Zone } from '@airlock/core';
import { canRead, type Deny } from './access.ts';
import { deidentifiedType } from './deidentified-type.ts';
import { deidentifiedRisk } from './risk-targets.ts';
import type { ColumnClass, ColumnPolicy, ColumnType, DatasetPolicy, DeidTransform, PolicySet } from './model.ts';

/** A column as a zone shows it. */
export interface ColumnView {
  readonly name: string;
  /** The type in this zone, after the transform (a `{ generalize: month }` date is a string). */
  readonly type: ColumnType;
  readonly class: ColumnClass;
  readonly nullable: boolean;
  /**
   * What was done to the raw value on the way into this zone: the policy's transform in
   * deidentified, `keep` elsewhere (restricted is raw; synthetic values are sampled in the raw
   * shape, with identifiers faked; aggregate reads full precision under the threshold).
   */
  readonly transform: DeidTransform;
}

/** The outcome of {@link allowedColumns}. */
export type ColumnsDecision = { readonly kind: 'allow'; readonly columns: readonly ColumnView[] } | Deny;

const KEEP: DeidTransform = Object.freeze({ kind: 'keep' });

/**
 * The columns a caller may see in a zone, in policy order, or deny (as {@link canRead}).
 * restricted: every column, raw. deidentified: every column not dropped, typed after its
 * transform. synthetic: every column not dropped in deidentified (identifiers there are fake).
 * aggregate: the dimensions, then the date columns, then the measures.
 */
export function allowedColumns(set: PolicySet, roles: readonly string[], dataset: string, zone: Zone): ColumnsDecision {
  const decision = canRead(set, roles, dataset, zone);
  if (decision.kind === 'deny') return decision;
  // canRead allowed, so the dataset exists.
  const policy = set.datasets.get(dataset) as DatasetPolicy;
  return { kind: 'allow', columns: Object.freeze(columnViews(policy, zone)) };
}

function columnViews(policy: DatasetPolicy, zone: Zone): ColumnView[] {
  switch (zone) {
    case 'restricted':
      return policy.columns.map((column) => raw(column));
    case 'deidentified': {
      const generalized = new Set(deidentifiedRisk(policy)?.quasiIdentifiers ?? []);
      return policy.columns.flatMap((column) => {
        const type = deidentifiedType(column, generalized.has(column.name));
        return type === undefined ? [] : [view(column, type, column.deidentified)];
      });
    }
    case 'synthetic': {
      // Shaped like the deidentified zone (never finer); identifiers are fakes of the raw type.
      const generalized = new Set(deidentifiedRisk(policy)?.quasiIdentifiers ?? []);
      return policy.columns
        .filter((column) => column.deidentified.kind !== 'drop')
        .map((column) =>
          column.class === 'identifier' || column.name === policy.subject
            ? raw(column)
            : view(column, deidentifiedType(column, generalized.has(column.name)) ?? column.type, column.deidentified),
        );
    }
    case 'aggregate': {
      const aggregate = policy.zones.aggregate;
      if (aggregate === undefined) return [];
      const byName = new Map(policy.columns.map((column) => [column.name, column]));
      const names = [...new Set([...aggregate.dimensions, ...aggregate.dateColumns, ...aggregate.measures.map((m) => m.column)])];
      return names.flatMap((name) => {
        const column = byName.get(name);
        return column === undefined ? [] : [raw(column)];
      });
    }
  }
}

function raw(column: ColumnPolicy): ColumnView {
  return view(column, column.type, KEEP);
}

function view(column: ColumnPolicy, type: ColumnType, transform: DeidTransform): ColumnView {
  return Object.freeze({ name: column.name, type, class: column.class, nullable: column.nullable, transform });
}
