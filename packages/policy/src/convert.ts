import { DEFAULT_MAX_MEMBERSHIP_AUC, type ColumnPolicy, type DatasetPolicy, type DeidTransform, type PolicySource, type RolesPolicy } from './model.ts';
import type { DatasetFile, RolesFile } from './schema.ts';
import type { Locator } from './yaml-source.ts';

/** Equal-width bins per bounded column of the private synthesizer, unless the policy says. */
const SYNTHETIC_BINS = 16;

/**
 * Builds the dataset model from a file that passed the schema, filling the documented defaults
 * (`date_columns`: every date and timestamp column; no measures unless listed with bounds). Not
 * frozen yet: the caller freezes once checks have run.
 */
export function toDatasetPolicy(
  file: DatasetFile,
  transforms: ReadonlyMap<string, DeidTransform>,
  locate: Locator,
  source: PolicySource,
): DatasetPolicy {
  const columns: ColumnPolicy[] = Object.entries(file.columns).map(([name, column]) => ({
    name,
    type: column.type,
    class: column.class,
    nullable: column.nullable,
    values: column.values,
    header: column.header,
    deidentified: transforms.get(name) ?? { kind: 'keep' },
    position: locate(['columns', name], 'key'),
  }));
  const { restricted, deidentified, aggregate, synthetic } = file.zones;
  return {
    kind: 'dataset',
    dataset: file.dataset,
    description: file.description,
    subject: file.subject,
    ...(file.about_people ? {} : { aboutPeople: false }),
    columns,
    zones: {
      restricted: { roles: restricted.roles },
      deidentified: deidentified && {
        roles: deidentified.roles,
        k: deidentified.k,
        l: deidentified.l,
        maxSuppressed: deidentified.max_suppressed,
        quasiIdentifiers: [
          ...new Set([
            ...columns.filter((c) => (c.class === 'quasi_identifier' || c.class === 'event_date') && c.deidentified.kind !== 'drop').map((c) => c.name),
            ...(deidentified.quasi_identifiers ?? []),
          ]),
        ],
        hierarchies: Object.entries(deidentified.hierarchies ?? {}).map(([column, h]) => ({
          column,
          maxLevel: h.max_level,
          bands: h.bands,
          groups: h.groups && Object.entries(h.groups).map(([name, values]) => ({ name, values })),
        })),
      },
      aggregate: aggregate && {
        roles: aggregate.roles,
        minCount: aggregate.min_count,
        finestDateGrain: aggregate.finest_date_grain,
        dimensions: aggregate.dimensions,
        // A bare list of names is reported by checkAggregate (no bounds, no sum); it converts to
        // no measures so nothing downstream ever sums an unbounded column.
        measures: Array.isArray(aggregate.measures) ? [] : Object.entries(aggregate.measures ?? {}).map(([column, b]) => ({ column, min: b.min, max: b.max })),
        dateColumns: aggregate.date_columns ?? columns.filter((c) => c.type === 'date' || c.type === 'timestamp').map((c) => c.name),
        maxRowsPerSubject: aggregate.max_rows_per_subject,
        privacy: {
          budgetRho: aggregate.privacy.budget,
          period: aggregate.privacy.period,
          queryRho: aggregate.privacy.query_cost,
          delta: aggregate.privacy.delta,
        },
      },
      synthetic: synthetic && {
        roles: synthetic.roles,
        privacy: synthetic.privacy && {
          epsilon: synthetic.privacy.epsilon,
          delta: synthetic.privacy.delta,
          releasesPerPeriod: synthetic.privacy.releases_per_period,
          period: synthetic.privacy.period,
          maxRowsPerSubject: synthetic.privacy.max_rows_per_subject ?? aggregate?.max_rows_per_subject ?? 1,
          // Measures bounded for the aggregates keep those bounds unless the synthetic zone says otherwise.
          bounds: [
            ...Object.entries(synthetic.privacy.bounds ?? {}).map(([column, b]) => ({ column, min: b.min, max: b.max, after: b.after, bins: b.bins ?? SYNTHETIC_BINS })),
            ...(Array.isArray(aggregate?.measures) ? [] : Object.entries(aggregate?.measures ?? {}))
              .filter(([column]) => synthetic.privacy?.bounds?.[column] === undefined)
              .map(([column, b]) => ({ column, min: b.min, max: b.max, after: undefined, bins: SYNTHETIC_BINS })),
          ],
        },
        maxExactMatchRatio: synthetic.max_exact_match_ratio,
        maxCloserToTrainShare: synthetic.max_closer_to_train_share,
        refreshAfterIngest: synthetic.refresh_after_ingest,
      },
    },
    training: {
      approvedZones: file.training?.approved_zones ?? [],
      roles: file.training?.roles,
      maxMembershipAuc: file.training?.max_membership_auc ?? DEFAULT_MAX_MEMBERSHIP_AUC,
      fairnessAttributes: file.training?.fairness_attributes ?? [],
      evaluationZone: file.training?.evaluation_zone,
    },
    source,
  };
}

/** Builds the roles model from a file that passed the schema. */
export function toRolesPolicy(file: RolesFile, source: PolicySource): RolesPolicy {
  return {
    kind: 'roles',
    roles: Object.entries(file.roles).map(([name, role]) => ({ name, description: role.description, steward: role.steward })),
    source,
  };
}
