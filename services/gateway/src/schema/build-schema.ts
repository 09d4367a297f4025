import {
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfigMap,
} from 'graphql';
import type { AuditEvent } from '@airlock/audit';
import { aggregateRules, allowedColumns, canRead, isSteward, trainingApproved, visibleDatasets, type PolicySet } from '@airlock/policy';
import { rejectsQueries } from './rejects-types.ts';
import { riskQueries } from './risk-types.ts';
import { trainingMutations, trainingQueries } from './training-types.ts';
import type { ReleaseRecord } from '@airlock/releases';
import type { RequestContext } from '../data/request-context.ts';
import type { PolicySnapshot } from '../policy-store.ts';
import { recordsField } from './dataset-types.ts';
import { aggregateFields, BudgetType } from './aggregate-types.ts';
import { graphqlName, typePrefix } from './names.ts';
import { transformLabel } from './transform-label.ts';
import { auditPageArgs, instantArg } from './audit-args.ts';

const ColumnType = new GraphQLObjectType({
  name: 'Column',
  fields: {
    name: { type: new GraphQLNonNull(GraphQLString) },
    field: { type: new GraphQLNonNull(GraphQLString), description: 'The GraphQL field name of the column.' },
    type: { type: new GraphQLNonNull(GraphQLString), description: 'Type in this zone, after the transform.' },
    class: { type: new GraphQLNonNull(GraphQLString) },
    transform: { type: new GraphQLNonNull(GraphQLString) },
  },
});

const DatasetType = new GraphQLObjectType<{ name: string; zones: readonly string[] }, RequestContext>({
  name: 'Dataset',
  description: 'A dataset, as far as the caller may see it.',
  fields: {
    name: { type: new GraphQLNonNull(GraphQLString) },
    description: { type: GraphQLString, resolve: (d, _, ctx) => ctx.snapshot.set.datasets.get(d.name)?.description ?? null },
    zones: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))), description: 'Zones the caller may read.' },
    field: { type: new GraphQLNonNull(GraphQLString), description: 'The Query field of this dataset.', resolve: (d) => graphqlName(d.name) },
    policyVersion: { type: new GraphQLNonNull(GraphQLInt), resolve: (d, _, ctx) => ctx.snapshot.versions.get(d.name)?.version ?? 0 },
    columns: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(ColumnType))),
      args: { zone: { type: new GraphQLNonNull(GraphQLString) } },
      description: "The columns of one of the caller's zones, with each column's class and transform.",
      resolve: (d, args: { zone: string }, ctx) =>
        ctx.repository.columns(d.name, args.zone as never).map((c) => ({ ...c, field: graphqlName(c.name), transform: transformLabel(c.transform) })),
    },
  },
});

const AuditEventType = new GraphQLObjectType<AuditEvent>({
  name: 'AuditEvent',
  fields: {
    seq: { type: new GraphQLNonNull(GraphQLInt) },
    at: { type: new GraphQLNonNull(GraphQLString), resolve: (e) => e.at.toISOString() },
    type: { type: new GraphQLNonNull(GraphQLString) },
    actor: { type: new GraphQLNonNull(GraphQLString) },
    roles: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))) },
    action: { type: new GraphQLNonNull(GraphQLString) },
    dataset: { type: GraphQLString },
    zone: { type: GraphQLString },
    outcome: { type: new GraphQLNonNull(GraphQLString) },
    details: { type: new GraphQLNonNull(GraphQLString), description: 'JSON.', resolve: (e) => JSON.stringify(e.details) },
    hash: { type: new GraphQLNonNull(GraphQLString) },
  },
});

const num = (path: string[]) => (release: ReleaseRecord): number | null => {
  let value: unknown = release.reports;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'number' ? value : null;
};

const SyntheticReleaseType = new GraphQLObjectType<ReleaseRecord>({
  name: 'SyntheticRelease',
  description: 'A synthetic release and its reports: quality (SDMetrics definitions), utility (train on synthetic, test on real) and privacy.',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLInt) },
    createdAt: { type: new GraphQLNonNull(GraphQLString), resolve: (r) => r.createdAt.toISOString() },
    decision: { type: new GraphQLNonNull(GraphQLString), description: 'published, or refused by the privacy gate.' },
    rows: { type: new GraphQLNonNull(GraphQLInt) },
    policyVersion: { type: new GraphQLNonNull(GraphQLInt) },
    qualityOverall: { type: GraphQLFloat, resolve: num(['quality', 'overall']) },
    columnShapes: { type: GraphQLFloat, resolve: num(['quality', 'columnShapes', 'score']) },
    columnPairTrends: { type: GraphQLFloat, resolve: num(['quality', 'columnPairTrends', 'score']) },
    syntheticTrainedRocAuc: { type: GraphQLFloat, resolve: num(['utility', 'syntheticTrained', 'rocAuc']) },
    realTrainedRocAuc: { type: GraphQLFloat, resolve: num(['utility', 'realTrained', 'rocAuc']) },
    rocAucGap: { type: GraphQLFloat, resolve: num(['utility', 'gaps', 'rocAuc']) },
    f1Gap: { type: GraphQLFloat, resolve: num(['utility', 'gaps', 'f1']) },
    exactMatchRatio: { type: GraphQLFloat, resolve: num(['privacy', 'exactMatch', 'ratio']) },
    closerToTrainShare: { type: GraphQLFloat, resolve: num(['privacy', 'dcr', 'closerToTrainShare']) },
    newRowRate: { type: GraphQLFloat, resolve: num(['privacy', 'newRowRate']) },
    failures: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))), resolve: (r) => r.failures.map((f) => f.message) },
    report: { type: new GraphQLNonNull(GraphQLString), description: 'The full reports as JSON.', resolve: (r) => JSON.stringify(r.reports) },
  },
});

const DetokenizedType = new GraphQLObjectType({
  name: 'Detokenized',
  fields: { value: { type: new GraphQLNonNull(GraphQLString) }, domain: { type: new GraphQLNonNull(GraphQLString) } },
});

/**
 * The schema for one set of roles: only the datasets, zones and fields some role of the caller
 * may use exist in it, so even introspection shows nothing else. Every resolver still goes
 * through the repository, which asks the policy again (enforcement does not rely on the schema).
 */
export function buildSchema(snapshot: PolicySnapshot, roles: readonly string[], limits: { pageSizeMax: number }): GraphQLSchema {
  const { set } = snapshot;
  const visible = visibleDatasets(set, roles);
  const query: GraphQLFieldConfigMap<unknown, RequestContext> = {
    datasets: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(DatasetType))),
      description: 'The datasets the caller may read, and which zones.',
      resolve: () => visible.map((v) => ({ name: v.dataset, zones: v.zones })),
    },
    policy: {
      type: DatasetType,
      description: "One dataset's policy as far as the caller may see it: zones, and each column's class and transform per zone. Null when none of it is visible.",
      args: { dataset: { type: new GraphQLNonNull(GraphQLString) } },
      resolve: (_, a: { dataset: string }) => {
        const found = visible.find((v) => v.dataset === a.dataset);
        return found ? { name: found.dataset, zones: found.zones } : null;
      },
    },
  };
  for (const { dataset } of visible) {
    const fields = datasetFields(set, roles, dataset, limits.pageSizeMax);
    if (Object.keys(fields).length === 0) continue;
    query[graphqlName(dataset)] = {
      type: new GraphQLObjectType({ name: `${typePrefix(dataset)}Query`, fields }),
      resolve: () => ({}),
    };
  }
  const mutations: GraphQLFieldConfigMap<unknown, RequestContext> = {};
  if (canTrainAnything(set, roles)) {
    Object.assign(query, trainingQueries());
    Object.assign(mutations, trainingMutations());
  }
  if (isSteward(set, roles)) {
    Object.assign(query, riskQueries(), rejectsQueries());
    query['auditEvents'] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(AuditEventType))),
      description: 'Audit events, newest first. Page with `before` = the last seq you got.',
      args: {
        first: { type: GraphQLInt, defaultValue: 50 },
        before: { type: GraphQLInt },
        type: { type: GraphQLString },
        actor: { type: GraphQLString },
        dataset: { type: GraphQLString },
        outcome: { type: GraphQLString },
        since: { type: GraphQLString, description: 'ISO timestamp.' },
        until: { type: GraphQLString, description: 'ISO timestamp.' },
      },
      resolve: (_, a: Record<string, string | number | null | undefined>, ctx) =>
        ctx.repository.auditEvents(
          {
            type: (a['type'] as never) ?? undefined,
            actor: (a['actor'] as string) ?? undefined,
            dataset: (a['dataset'] as string) ?? undefined,
            outcome: (a['outcome'] as never) ?? undefined,
            since: instantArg('since', a['since'] as string | null | undefined),
            until: instantArg('until', a['until'] as string | null | undefined),
          },
          auditPageArgs(a['first'] as number | null | undefined, a['before'] as number | null | undefined, limits.pageSizeMax),
        ),
    };
    Object.assign(mutations, {
        detokenize: {
          type: new GraphQLNonNull(DetokenizedType),
          description: 'Reverse a reversible token (steward roles; audited before the value is read).',
          args: {
            dataset: { type: new GraphQLNonNull(GraphQLString) },
            token: { type: new GraphQLNonNull(GraphQLString) },
            purpose: { type: new GraphQLNonNull(GraphQLString), description: 'Why; written to the audit log.' },
          },
          resolve: (_: unknown, a: { dataset: string; token: string; purpose: string }, ctx: RequestContext) => ctx.repository.detokenize(a.dataset, a.token, a.purpose),
        },
        resetPrivacyBudget: {
          type: new GraphQLNonNull(BudgetType),
          description: "Set an analyst's privacy-loss spending on a dataset this period back to zero (steward roles; audited).",
          args: { dataset: { type: new GraphQLNonNull(GraphQLString) }, analyst: { type: new GraphQLNonNull(GraphQLString), description: 'The JWT subject.' } },
          resolve: (_: unknown, a: { dataset: string; analyst: string }, ctx: RequestContext) => ctx.repository.resetPrivacyBudget(a.dataset, a.analyst),
        },
    });
  }
  const mutation = Object.keys(mutations).length ? new GraphQLObjectType({ name: 'Mutation', fields: mutations }) : undefined;
  return new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: query }), ...(mutation ? { mutation } : {}) });
}

/** Whether some role may train on some zone of some dataset (or read a model of one). */
function canTrainAnything(set: PolicySet, roles: readonly string[]): boolean {
  return [...set.datasets.keys()].some((dataset) =>
    (['deidentified', 'synthetic', 'restricted'] as const).some((zone) => trainingApproved(set, roles, dataset, zone).kind === 'allow'),
  );
}

function datasetFields(set: PolicySet, roles: readonly string[], dataset: string, pageSizeMax: number): GraphQLFieldConfigMap<unknown, RequestContext> {
  const fields: GraphQLFieldConfigMap<unknown, RequestContext> = {};
  for (const zone of ['deidentified', 'restricted', 'synthetic'] as const) {
    const decision = allowedColumns(set, roles, dataset, zone);
    if (decision.kind === 'allow') {
      const field = recordsField(dataset, zone, decision.columns, pageSizeMax);
      fields[field.name] = field.config as never;
    }
  }
  const rules = aggregateRules(set, roles, dataset);
  if (rules.kind === 'allow') Object.assign(fields, aggregateFields(dataset, rules));
  if (canRead(set, roles, dataset, 'synthetic').kind === 'allow') {
    fields['syntheticRelease'] = {
      type: SyntheticReleaseType,
      description: 'The newest synthetic release (published or refused) with its quality, utility and privacy reports.',
      resolve: (_, __, ctx) => ctx.repository.syntheticRelease(dataset),
    };
  }
  return fields;
}
