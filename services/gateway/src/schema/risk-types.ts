import { GraphQLFloat, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString, type GraphQLFieldConfigMap, type GraphQLNullableType } from 'graphql';
import type { RiskReportRecord } from '@airlock/ingest';
import type { RiskMeasures } from '@airlock/risk';
import type { RequestContext } from '../data/request-context.ts';

/**
 * What the risk query needs from the request's repository: the newest stored report of a
 * dataset, for steward roles of that dataset only (deny otherwise, like every repository read).
 * The repository implements it with `latestRiskReport` from @airlock/ingest.
 */
export interface RiskReportReader {
  riskReport(dataset: string): Promise<RiskReportRecord | undefined>;
}

const nonNull = <T extends GraphQLNullableType>(type: T) => new GraphQLNonNull(type);
const list = <T extends GraphQLNullableType>(type: T) => nonNull(new GraphQLList(nonNull(type)));

const ClassSizeType = new GraphQLObjectType({
  name: 'RiskClassSize',
  description: 'Equivalence classes of this size (in distinct subjects), and their records.',
  fields: { size: { type: nonNull(GraphQLString) }, classes: { type: nonNull(GraphQLInt) }, records: { type: nonNull(GraphQLInt) } },
});

const DiversityType = new GraphQLObjectType({
  name: 'RiskDiversity',
  fields: { column: { type: nonNull(GraphQLString) }, l: { type: nonNull(GraphQLInt), description: 'Fewest distinct values of the column in a class.' } },
});

const MeasuresType = new GraphQLObjectType<RiskMeasures>({
  name: 'RiskMeasures',
  description: 'Re-identification risk of a record-level view (prosecutor model).',
  fields: {
    records: { type: nonNull(GraphQLInt) },
    classes: { type: nonNull(GraphQLInt) },
    k: { type: nonNull(GraphQLInt), description: 'Smallest class, in distinct subjects.' },
    l: { type: list(DiversityType) },
    uniqueShare: { type: nonNull(GraphQLFloat), description: 'Share of records alone in their class.' },
    prosecutorHighest: { type: nonNull(GraphQLFloat), resolve: (m) => m.prosecutor.highest },
    prosecutorAverage: { type: nonNull(GraphQLFloat), resolve: (m) => m.prosecutor.average },
    shareAboveThreshold: { type: nonNull(GraphQLFloat), resolve: (m) => m.prosecutor.shareAbove },
    threshold: { type: nonNull(GraphQLFloat), resolve: (m) => m.prosecutor.threshold },
    distribution: { type: list(ClassSizeType) },
  },
});

const GeneralizationType = new GraphQLObjectType({
  name: 'RiskGeneralization',
  fields: {
    column: { type: nonNull(GraphQLString) },
    level: { type: nonNull(GraphQLInt), description: '0 = as the transform publishes it.' },
    maxLevel: { type: nonNull(GraphQLInt) },
    name: { type: nonNull(GraphQLString), description: 'What the level does, e.g. 10-wide bands, year, *.' },
  },
});

const NoteType = new GraphQLObjectType({
  name: 'RiskNote',
  fields: { column: { type: nonNull(GraphQLString) }, message: { type: nonNull(GraphQLString) }, fix: { type: GraphQLString } },
});

const RiskReportType = new GraphQLObjectType<RiskReportRecord>({
  name: 'RiskReport',
  description: "The deidentified zone's re-identification risk report, stored with each ingest and rebuild.",
  fields: {
    id: { type: nonNull(GraphQLInt) },
    dataset: { type: nonNull(GraphQLString) },
    createdAt: { type: nonNull(GraphQLString), resolve: (r) => r.createdAt.toISOString() },
    reason: { type: nonNull(GraphQLString), description: 'ingest, rebuild or remove.' },
    policyVersion: { type: nonNull(GraphQLInt) },
    decision: { type: nonNull(GraphQLString), description: 'published, or refused (nothing published).', resolve: (r) => r.report.decision },
    k: { type: nonNull(GraphQLInt), description: 'Target k.', resolve: (r) => r.report.targets.k },
    l: { type: nonNull(GraphQLInt), description: 'Target l.', resolve: (r) => r.report.targets.l },
    maxSuppressed: { type: nonNull(GraphQLFloat), resolve: (r) => r.report.targets.maxSuppressed },
    quasiIdentifiers: { type: list(GraphQLString), resolve: (r) => r.report.quasiIdentifiers },
    sensitive: { type: list(GraphQLString), resolve: (r) => r.report.sensitive },
    before: { type: nonNull(MeasuresType), description: 'As the transforms alone would publish it.', resolve: (r) => r.report.before },
    after: { type: MeasuresType, description: 'As published; null when refused.', resolve: (r) => r.report.after },
    generalization: { type: list(GeneralizationType), resolve: (r) => r.report.generalization },
    suppressedRecords: { type: nonNull(GraphQLInt), resolve: (r) => r.report.suppressed.records },
    suppressedShare: { type: nonNull(GraphQLFloat), resolve: (r) => r.report.suppressed.share },
    informationLoss: { type: GraphQLFloat, description: 'Normalized certainty penalty, 0 to 1.', resolve: (r) => r.report.informationLoss },
    blockers: { type: list(NoteType), description: 'What keeps the targets out of reach.', resolve: (r) => r.report.blockers.map((b) => ({ column: b.column, message: b.reason, fix: null })) },
    warnings: { type: list(NoteType), description: 'Kept columns unique per row.', resolve: (r) => r.report.warnings ?? [] },
  },
});

/** The steward-only `riskReport(dataset)` query field. */
export function riskQueries(): GraphQLFieldConfigMap<unknown, RequestContext> {
  return {
    riskReport: {
      type: RiskReportType,
      description: "The newest re-identification risk report of a dataset's deidentified zone (steward roles of the dataset).",
      args: { dataset: { type: new GraphQLNonNull(GraphQLString) } },
      resolve: async (_, a: { dataset: string }, ctx) => (await ctx.repository.riskReport(a.dataset)) ?? null,
    },
  };
}
