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
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLResolveInfo,
} from 'graphql';
import type { ColumnType, ColumnView } from '@airlock/policy';
import type { AggregateRules } from '@airlock/policy';
import type { RequestContext } from '../data/request-context.ts';
import type { RecordZone } from '../data/records.repository.ts';
import type { AggregateCell, AggregateResult } from '../data/aggregate.repository.ts';
import { allowedGrains } from '../data/period.ts';
import { columnNames, graphqlName, typePrefix } from './names.ts';
import { requestsExtremes } from './selection.ts';

export const DateGrainEnum = new GraphQLEnumType({
  name: 'DateGrain',
  values: { day: {}, week: {}, month: {}, quarter: {}, year: {} },
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
    },
  });
  const filter = new GraphQLInputObjectType({ name: `${prefix}${suffix}Filter`, fields: filterFields });
  return {
    name: field,
    config: {
      type: connection,
      description: doc,
      args: {
        first: { type: GraphQLInt, defaultValue: Math.min(50, pageSizeMax), description: `Page size, at most ${pageSizeMax}.` },
        after: { type: GraphQLString, description: 'The endCursor of the previous page.' },
        where: { type: filter },
      },
      resolve: async (_: unknown, args: { first: number; after?: string | null; where?: Record<string, unknown> | null }, ctx: RequestContext) => {
        const where: Record<string, unknown> = {};
        for (const [gname, value] of Object.entries(args.where ?? {})) where[names.get(gname)!] = value;
        const page = await ctx.repository.records(dataset, zone, { first: args.first, after: args.after ?? null, where });
        return { nodes: page.rows, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
      },
    },
  };
}

/** The `aggregate` field of a dataset. */
export function aggregateField(dataset: string, rules: AggregateRules) {
  const prefix = typePrefix(dataset);
  const dims = columnNames(rules.dimensions, `${dataset} dimensions`);
  const dateColumns = columnNames(rules.dateColumns, `${dataset} date columns`);
  const measures = columnNames(rules.measures, `${dataset} measures`);

  const cellFields: GraphQLFieldConfigMap<AggregateCell, RequestContext> = {};
  for (const [gname, column] of dims) cellFields[gname] = { type: GraphQLString, resolve: (cell) => cell.dims[column] ?? null };
  cellFields['period'] = { type: GraphQLString, description: 'The date bucket, e.g. 2024-03 or 2024-W09.' };
  cellFields['subjects'] = { type: GraphQLInt, description: 'Distinct subjects (people) in the cell; null when suppressed.' };
  cellFields['rows'] = { type: GraphQLInt, description: 'Rows in the cell; null when suppressed.' };
  for (const [gname, column] of measures) {
    for (const stat of ['sum', 'avg', 'min', 'max'] as const) {
      cellFields[`${gname}_${stat}`] = {
        type: GraphQLFloat,
        description:
          stat === 'min' || stat === 'max'
            ? `${stat} of ${column}; null unless at least min_count people share that value (it would expose one person's value).`
            : `${stat} of ${column}`,
        resolve: (cell) => cell.measures[column]?.[stat] ?? null,
      };
    }
  }
  cellFields['suppressed'] = { type: new GraphQLNonNull(GraphQLBoolean) };
  cellFields['reason'] = {
    type: GraphQLString,
    description: 'Why a cell is suppressed: below_min_count, or complementary (hidden so a small cell cannot be derived by subtraction).',
  };
  const cell = new GraphQLObjectType({ name: `${prefix}AggregateCell`, fields: cellFields });
  const result = new GraphQLObjectType<AggregateResult, RequestContext>({
    name: `${prefix}Aggregate`,
    fields: {
      cells: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(cell))) },
      suppressedCount: { type: new GraphQLNonNull(GraphQLInt) },
      minCount: { type: new GraphQLNonNull(GraphQLInt), description: 'Cells with fewer distinct subjects are never released.' },
      grain: { type: GraphQLString },
    },
  });
  const dimEnum = enumOf(`${prefix}Dimension`, dims);
  const args: Record<string, { type: GraphQLInputType; description?: string; defaultValue?: unknown }> = {
    groupBy: { type: new GraphQLList(new GraphQLNonNull(dimEnum)), defaultValue: [], description: 'Dimensions to group by.' },
    where: {
      type: new GraphQLInputObjectType({
        name: `${prefix}AggregateFilter`,
        fields: Object.fromEntries([...dims.keys()].map((g) => [g, { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), description: 'One of these values.' }])),
      }),
    },
  };
  if (dateColumns.size > 0) {
    args['dateBucket'] = {
      type: new GraphQLInputObjectType({
        name: `${prefix}DateBucket`,
        fields: {
          column: { type: new GraphQLNonNull(enumOf(`${prefix}DateColumn`, dateColumns)) },
          grain: { type: new GraphQLNonNull(DateGrainEnum), description: `Allowed: ${allowedGrains(rules.finestDateGrain).join(', ')}.` },
        },
      }),
    };
    args['from'] = { type: GraphQLString, description: 'First day (YYYY-MM-DD) of the bucketed column.' };
    args['to'] = { type: GraphQLString, description: 'Last day (YYYY-MM-DD), inclusive.' };
  }
  return {
    type: result as GraphQLOutputType,
    description: `Aggregates released only for cells of at least ${rules.minCount} distinct subjects, with complementary suppression.`,
    args,
    resolve: (
      _: unknown,
      a: { groupBy: string[]; where?: Record<string, string[] | null> | null; dateBucket?: { column: string; grain: string } | null; from?: string | null; to?: string | null },
      ctx: RequestContext,
      info: GraphQLResolveInfo,
    ) => {
      const where: Record<string, string[]> = {};
      for (const [gname, values] of Object.entries(a.where ?? {})) if (values) where[dims.get(gname)!] = values;
      return ctx.repository.aggregate(dataset, {
        groupBy: a.groupBy.map((g) => dims.get(g)!),
        dateBucket: a.dateBucket ? { column: dateColumns.get(a.dateBucket.column)!, grain: a.dateBucket.grain as never } : undefined,
        where,
        from: a.from ?? undefined,
        to: a.to ?? undefined,
        extremes: requestsExtremes(info),
      });
    },
  };
}

function enumOf(name: string, names: ReadonlyMap<string, string>): GraphQLEnumType {
  return new GraphQLEnumType({ name, values: Object.fromEntries([...names.keys()].map((g) => [g, { value: g }])) });
}

export { graphqlName };
