import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLScalarType,
} from 'graphql';
import type { ColumnType, ColumnView } from '@airlock/policy';
import type { RequestContext } from '../data/request-context.ts';
import type { RecordZone } from '../data/records.repository.ts';
import { columnNames, graphqlName, typePrefix } from './names.ts';

export const DateGrainEnum = new GraphQLEnumType({
  name: 'DateGrain',
  values: { day: {}, week: {}, month: {}, quarter: {}, year: {} },
});

export const SortDirectionEnum = new GraphQLEnumType({
  name: 'SortDirection',
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } },
});

export const PageInfoType = new GraphQLObjectType({
  name: 'PageInfo',
  fields: { endCursor: { type: GraphQLString }, hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) } },
});

function scalarOf(type: ColumnType): GraphQLScalarType {
  switch (type) {
    case 'string':
    case 'date':
    case 'timestamp':
      return GraphQLString;
    case 'integer':
      return GraphQLInt;
    case 'number':
      return GraphQLFloat;
    case 'boolean':
      return GraphQLBoolean;
  }
}

const ZONE_FIELD: Record<RecordZone, { field: string; suffix: string; doc: string }> = {
  deidentified: { field: 'records', suffix: 'Record', doc: 'Deidentified records: identifiers tokenized or dropped, dates generalized.' },
  restricted: { field: 'restrictedRecords', suffix: 'RestrictedRecord', doc: 'Raw records as ingested (steward roles only).' },
  synthetic: { field: 'syntheticRecords', suffix: 'SyntheticRecord', doc: 'Synthetic records: sampled from a model, no real person in them.' },
};

/** The `records`-style field of one zone of a dataset. */
export function recordsField(dataset: string, zone: RecordZone, columns: readonly ColumnView[], pageSizeMax: number) {
  const prefix = typePrefix(dataset);
  const names = columnNames(columns.map((c) => c.name), `${dataset} (${zone})`);
  const { field, suffix, doc } = ZONE_FIELD[zone];
  const recordFields: GraphQLFieldConfigMap<Record<string, unknown>, RequestContext> = {};
  const filterFields: GraphQLInputFieldConfigMap = {};
  for (const [gname, column] of names) {
    const view = columns.find((c) => c.name === column)!;
    recordFields[gname] = { type: scalarOf(view.type), resolve: (row) => row[column] };
    filterFields[gname] = { type: scalarOf(view.type), description: `Equal to this value.` };
  }
  const record = new GraphQLObjectType({ name: `${prefix}${suffix}`, fields: recordFields });
  const connection = new GraphQLObjectType({
    name: `${prefix}${suffix}Connection`,
    fields: {
      nodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(record))) },
      pageInfo: { type: new GraphQLNonNull(PageInfoType) },
      // A function on the source: counted only when asked for.
      totalCount: { type: new GraphQLNonNull(GraphQLInt), description: 'Records matching `where`, all pages together.' },
    },
  });
  const filter = new GraphQLInputObjectType({ name: `${prefix}${suffix}Filter`, fields: filterFields });
  const order = new GraphQLInputObjectType({
    name: `${prefix}${suffix}Order`,
    fields: {
      field: { type: new GraphQLNonNull(enumOf(`${prefix}${suffix}Field`, names)) },
      direction: { type: SortDirectionEnum, defaultValue: 'asc' },
    },
  });
  return {
    name: field,
    config: {
      type: connection,
      description: doc,
      args: {
        first: { type: GraphQLInt, defaultValue: Math.min(50, pageSizeMax), description: `Page size, at most ${pageSizeMax}.` },
        after: { type: GraphQLString, description: 'The endCursor of the previous page.' },
        where: { type: filter },
        orderBy: { type: order, description: 'Sort on one field (nulls last); default: a random but stable order.' },
      },
      resolve: async (
        _: unknown,
        args: { first: number; after?: string | null; where?: Record<string, unknown> | null; orderBy?: { field: string; direction: 'asc' | 'desc' } | null },
        ctx: RequestContext,
      ) => {
        const where: Record<string, unknown> = {};
        for (const [gname, value] of Object.entries(args.where ?? {})) where[names.get(gname)!] = value;
        const orderBy = args.orderBy ? { column: names.get(args.orderBy.field)!, direction: args.orderBy.direction } : null;
        const page = await ctx.repository.records(dataset, zone, { first: args.first, after: args.after ?? null, where, orderBy });
        return { nodes: page.rows, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage }, totalCount: () => ctx.repository.recordCount(dataset, zone, where) };
      },
    },
  };
}

export function enumOf(name: string, names: ReadonlyMap<string, string>): GraphQLEnumType {
  return new GraphQLEnumType({ name, values: Object.fromEntries([...names.keys()].map((g) => [g, { value: g }])) });
}

export { graphqlName };
