import { GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString, type GraphQLFieldConfigMap } from 'graphql';
import type { RejectPage, RejectRow } from '@airlock/ingest';
import type { RequestContext } from '../data/request-context.ts';

/** What the rejects query needs from the request's repository (steward roles of the dataset). */
export interface RejectsReader {
  ingestRejects(dataset: string, query: { loadId?: number | undefined; limit: number; offset: number }): Promise<RejectPage>;
}

const RejectType = new GraphQLObjectType<RejectRow>({
  name: 'IngestReject',
  description: 'A record ingest rejected, as read from the file (raw data).',
  fields: {
    load: { type: new GraphQLNonNull(GraphQLInt), resolve: (r) => r.loadId },
    file: { type: new GraphQLNonNull(GraphQLString), resolve: (r) => r.fileName },
    line: { type: new GraphQLNonNull(GraphQLInt) },
    column: { type: GraphQLString, description: 'The column at fault; null when the record as a whole is (a wrong field count).' },
    reason: { type: new GraphQLNonNull(GraphQLString) },
    raw: { type: new GraphQLNonNull(GraphQLString) },
  },
});

const RejectPageType = new GraphQLObjectType<RejectPage>({
  name: 'IngestRejectPage',
  fields: {
    total: { type: new GraphQLNonNull(GraphQLInt), description: 'Rejected records in all pages.' },
    rows: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(RejectType))) },
  },
});

/** The steward-only `ingestRejects(dataset, load, first, offset)` query field. */
export function rejectsQueries(): GraphQLFieldConfigMap<unknown, RequestContext> {
  return {
    ingestRejects: {
      type: new GraphQLNonNull(RejectPageType),
      description: "Records a dataset's ingests rejected, oldest load first, in file order (steward roles of the dataset).",
      args: {
        dataset: { type: new GraphQLNonNull(GraphQLString) },
        load: { type: GraphQLInt, description: 'Only this load.' },
        first: { type: GraphQLInt, defaultValue: 100, description: '1 to 10,000.' },
        offset: { type: GraphQLInt, defaultValue: 0 },
      },
      resolve: (_, a: { dataset: string; load?: number | null; first: number; offset: number }, ctx) =>
        ctx.repository.ingestRejects(a.dataset, { loadId: a.load ?? undefined, limit: a.first, offset: a.offset }),
    },
  };
}
