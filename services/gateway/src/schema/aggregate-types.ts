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
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLResolveInfo,
} from 'graphql';
import type { AggregateRules } from '@airlock/policy';
import { epsilonFromRho, type AccuracyTarget, type NoisyValue } from '@airlock/privacy';
import type { RequestContext } from '../data/request-context.ts';
import type { AggregateCell, AggregateEstimate, AggregateQuery, AggregateResult, BudgetStatus } from '../data/aggregate.service.ts';
import { allowedGrains } from '../data/period.ts';
import { DateGrainEnum, enumOf } from './dataset-types.ts';
import { columnNames, typePrefix } from './names.ts';
import { selectedFields } from './selection.ts';

const IntervalType = new GraphQLObjectType<NoisyValue>({
  name: 'Interval',
  description: 'A 95% interval: the true value lies in [low, high] at least 95% of the time (for stewards, low = high = the exact value).',
  fields: { low: { type: new GraphQLNonNull(GraphQLFloat) }, high: { type: new GraphQLNonNull(GraphQLFloat) } },
});

export const BudgetType = new GraphQLObjectType<BudgetStatus>({
  name: 'PrivacyBudget',
  description: "An analyst's privacy-loss budget on a dataset for the current period, in zero-concentrated DP (ρ) and as (ε, δ).",
  fields: {
    dataset: { type: new GraphQLNonNull(GraphQLString) },
    analyst: { type: new GraphQLNonNull(GraphQLString), description: 'The JWT subject the budget belongs to.' },
    period: { type: new GraphQLNonNull(GraphQLString), description: 'day, week, month, quarter or year (UTC).' },
    periodStart: { type: new GraphQLNonNull(GraphQLString) },
    renewsAt: { type: new GraphQLNonNull(GraphQLString), description: 'The day the budget starts afresh.' },
    budgetRho: { type: new GraphQLNonNull(GraphQLFloat) },
    spentRho: { type: new GraphQLNonNull(GraphQLFloat) },
    remainingRho: { type: new GraphQLNonNull(GraphQLFloat) },
    delta: { type: new GraphQLNonNull(GraphQLFloat) },
    budgetEpsilon: { type: new GraphQLNonNull(GraphQLFloat), description: 'The whole budget as ε at δ.', resolve: (b) => round(epsilonFromRho(b.budgetRho, b.delta)) },
    spentEpsilon: { type: new GraphQLNonNull(GraphQLFloat), description: 'What was spent, as ε at δ.', resolve: (b) => round(epsilonFromRho(b.spentRho, b.delta)) },
    defaultQueriesLeft: { type: new GraphQLNonNull(GraphQLInt), description: "Queries at the policy's default cost that still fit." },
  },
});

const WindowType = new GraphQLObjectType({
  name: 'AggregateWindow',
  description:
    'The date window the aggregate covers, widened to whole periods of the grain (never finer than the policy allows): ' +
    "a window that ends mid-period would let two queries a day apart isolate one day's people, so periods are released whole.",
  fields: {
    from: { type: GraphQLString, description: 'First day covered (YYYY-MM-DD), the start of a period.' },
    to: { type: GraphQLString, description: 'Last day covered (YYYY-MM-DD), the end of a period.' },
    widened: { type: new GraphQLNonNull(GraphQLBoolean), description: 'True when from/to were moved out to period boundaries.' },
    grain: { type: new GraphQLNonNull(GraphQLString), description: "The grain the window was aligned to: the bucket grain, or the policy's finest grain when that is coarser." },
    explanation: {
      type: GraphQLString,
      description:
        'How and why the bounds moved, e.g. "from 1999-01-01 (a Friday) was moved back to 1998-12-28, the Monday its week starts; …: weeks are released whole so that two windows one day apart cannot isolate a day\'s people." Null when nothing moved.',
    },
  },
});

const notesField = (what: string) => ({
  type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))),
  description: `Plain sentences on how ${what} was shaped: a widened window, suppressed cells and how to get fewer, groups left to \`other\`. Built from the query, the policy and the released answer only: they never tell more than the answer shows.`,
});

const PrivacyReportType = new GraphQLObjectType({
  name: 'AggregatePrivacy',
  fields: {
    rho: { type: new GraphQLNonNull(GraphQLFloat), description: 'zCDP ρ this answer cost (0 when cached).' },
    epsilon: { type: new GraphQLNonNull(GraphQLFloat), resolve: (p: { epsilon: number }) => round(p.epsilon) },
    delta: { type: new GraphQLNonNull(GraphQLFloat) },
    cached: { type: new GraphQLNonNull(GraphQLBoolean), description: 'The same question was answered before: the same answer, at no new cost.' },
    threshold: { type: new GraphQLNonNull(GraphQLInt), description: 'Noisy subjects a cell needs to be shown.' },
    budget: { type: new GraphQLNonNull(BudgetType) },
  },
});

const StatisticEnum = new GraphQLEnumType({ name: 'AccuracyStatistic', values: { subjects: {}, rows: {}, sum: {} } });

interface AggregateArgs {
  groupBy: string[];
  where?: Record<string, string[] | null> | null;
  dateBucket?: { column: string; grain: string } | null;
  from?: string | null;
  to?: string | null;
  cost?: number | null;
  accuracy?: { statistic: 'subjects' | 'rows' | 'sum'; measure?: string | null; halfWidth: number } | null;
  rows?: boolean | null;
  measures?: string[] | null;
}

/** The `aggregate`, `aggregateEstimate` and `privacyBudget` fields of a dataset. */
export function aggregateFields(dataset: string, rules: AggregateRules): GraphQLFieldConfigMap<unknown, RequestContext> {
  const prefix = typePrefix(dataset);
  const dims = columnNames(rules.dimensions, `${dataset} dimensions`);
  const dateColumns = columnNames(rules.dateColumns, `${dataset} date columns`);
  const measures = columnNames(
    rules.measures.map((m) => m.column),
    `${dataset} measures`,
  );
  const measureEnum = measures.size ? enumOf(`${prefix}Measure`, measures) : null;

  const interval = (pick: (cell: AggregateCell) => NoisyValue | null | undefined) => ({ type: IntervalType, resolve: (cell: AggregateCell) => pick(cell) ?? null });
  const cellFields: GraphQLFieldConfigMap<AggregateCell, RequestContext> = {};
  for (const [gname, column] of dims) cellFields[gname] = { type: GraphQLString, resolve: (cell) => cell.dims[column] ?? null };
  cellFields['period'] = { type: GraphQLString, description: 'The date bucket, e.g. 2024-03 or 2024-W09.' };
  cellFields['subjects'] = { type: GraphQLInt, description: 'Distinct subjects (people) in the cell, with noise; null when suppressed.', resolve: (cell) => cell.subjects?.value ?? null };
  cellFields['subjectsInterval'] = interval((cell) => cell.subjects);
  cellFields['rows'] = { type: GraphQLInt, description: 'Rows in the cell, with noise; null when suppressed.', resolve: (cell) => cell.rows?.value ?? null };
  cellFields['rowsInterval'] = interval((cell) => cell.rows);
  for (const [gname, column] of measures) {
    const bounds = rules.measures.find((m) => m.column === column)!;
    cellFields[`${gname}_sum`] = { type: GraphQLFloat, description: `Sum of ${column}, each value clamped to [${bounds.min}, ${bounds.max}], with noise.`, resolve: (cell) => cell.sums[column]?.value ?? null };
    cellFields[`${gname}_sumInterval`] = interval((cell) => cell.sums[column]);
    cellFields[`${gname}_avg`] = { type: GraphQLFloat, description: `Average of ${column}: noisy sum over noisy rows.`, resolve: (cell) => cell.avgs[column]?.value ?? null };
    cellFields[`${gname}_avgInterval`] = interval((cell) => cell.avgs[column]);
    if (rules.exact) {
      // Minima and maxima are one person's value: exact aggregates (stewards) only.
      cellFields[`${gname}_min`] = { type: GraphQLFloat, resolve: (cell) => cell.extremes?.[column]?.min ?? null };
      cellFields[`${gname}_max`] = { type: GraphQLFloat, resolve: (cell) => cell.extremes?.[column]?.max ?? null };
    }
  }
  cellFields['suppressed'] = {
    type: new GraphQLNonNull(GraphQLBoolean),
    description: 'The noisy count was below the threshold. Says nothing more: a cell with nobody in it looks the same.',
  };
  const cell = new GraphQLObjectType({ name: `${prefix}AggregateCell`, fields: cellFields });
  const result = new GraphQLObjectType<AggregateResult, RequestContext>({
    name: `${prefix}Aggregate`,
    fields: {
      cells: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(cell))) },
      exact: { type: new GraphQLNonNull(GraphQLBoolean), description: 'True for steward roles: exact figures, no noise, no budget.' },
      other: { type: GraphQLInt, description: 'People in groups too small to show (noisy); null when every group key is declared.', resolve: (r) => r.other?.value ?? null },
      otherInterval: { type: IntervalType, resolve: (r) => r.other },
      window: { type: WindowType },
      grain: { type: GraphQLString },
      minCount: { type: new GraphQLNonNull(GraphQLInt), description: 'Cells whose noisy count of subjects is below this are suppressed.' },
      suppressedCount: { type: new GraphQLNonNull(GraphQLInt), description: 'Cells of this answer marked suppressed.' },
      notes: notesField('this answer'),
      privacy: { type: PrivacyReportType, description: 'What the answer cost and the budget left; null for exact aggregates.' },
    },
  });
  const estimate = new GraphQLObjectType<AggregateEstimate, RequestContext>({
    name: `${prefix}AggregateEstimate`,
    description: 'What an aggregate would cost and its 95% error, before running it. Free: reads no data.',
    fields: {
      exact: { type: new GraphQLNonNull(GraphQLBoolean) },
      rho: { type: new GraphQLNonNull(GraphQLFloat) },
      epsilon: { type: new GraphQLNonNull(GraphQLFloat), resolve: (e) => round(e.epsilon) },
      delta: { type: new GraphQLNonNull(GraphQLFloat) },
      threshold: { type: new GraphQLNonNull(GraphQLInt) },
      partitionSelection: { type: new GraphQLNonNull(GraphQLBoolean), description: 'Group keys come from the data: groups below the threshold are left out and counted in `other`.' },
      cells: { type: GraphQLInt, description: 'Cells the answer will have (null with partition selection).' },
      subjectsHalfWidth: { type: new GraphQLNonNull(GraphQLFloat), resolve: (e) => e.halfWidths.subjects },
      rowsHalfWidth: { type: GraphQLFloat, resolve: (e) => e.halfWidths.rows },
      sumHalfWidths: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLObjectType({ name: `${prefix}SumHalfWidth`, fields: { measure: { type: new GraphQLNonNull(GraphQLString) }, halfWidth: { type: new GraphQLNonNull(GraphQLFloat) } } })))),
        resolve: (e) => Object.entries(e.halfWidths.sums).map(([measure, halfWidth]) => ({ measure, halfWidth })),
      },
      window: { type: WindowType },
      budget: { type: BudgetType },
      notes: notesField('the answer will be'),
    },
  });

  const args: GraphQLFieldConfigArgumentMap = {
    groupBy: { type: new GraphQLList(new GraphQLNonNull(enumOf(`${prefix}Dimension`, dims))), defaultValue: [], description: 'Dimensions to group by.' },
    where: {
      type: new GraphQLInputObjectType({
        name: `${prefix}AggregateFilter`,
        fields: Object.fromEntries([...dims.keys()].map((g) => [g, { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), description: 'One of these values.' }])),
      }),
    },
    cost: { type: GraphQLFloat, description: `Privacy cost ρ to spend; default ${rules.privacy.queryRho}. More ρ, less noise.` },
    accuracy: {
      type: new GraphQLInputObjectType({
        name: `${prefix}AccuracyTarget`,
        description: 'Ask for a 95% half-width instead of a cost: Airlock picks the ρ that gives it.',
        fields: {
          statistic: { type: new GraphQLNonNull(StatisticEnum) },
          ...(measureEnum ? { measure: { type: measureEnum, description: 'For statistic sum.' } } : {}),
          halfWidth: { type: new GraphQLNonNull(GraphQLFloat), description: 'E.g. 10 for ±10 people.' },
        },
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
    args['from'] = { type: GraphQLString, description: 'First day (YYYY-MM-DD) of the bucketed column; widened back to the start of its period (window.explanation says how and why).' };
    args['to'] = { type: GraphQLString, description: 'Last day (YYYY-MM-DD), inclusive; widened to the end of its period (window.explanation says how and why). With both, every period in the window is returned.' };
  }
  const toQuery = (a: AggregateArgs, wants: AggregateQuery['wants']): AggregateQuery => {
    const where: Record<string, string[]> = {};
    for (const [gname, values] of Object.entries(a.where ?? {})) if (values) where[dims.get(gname)!] = values;
    const accuracy: AccuracyTarget | undefined = a.accuracy
      ? a.accuracy.statistic === 'sum'
        ? { statistic: 'sum', measure: measures.get(a.accuracy.measure ?? '') ?? '', halfWidth: a.accuracy.halfWidth }
        : { statistic: a.accuracy.statistic, halfWidth: a.accuracy.halfWidth }
      : undefined;
    return {
      groupBy: a.groupBy.map((g) => dims.get(g)!),
      dateBucket: a.dateBucket ? { column: dateColumns.get(a.dateBucket.column)!, grain: a.dateBucket.grain as never } : undefined,
      where,
      from: a.from ?? undefined,
      to: a.to ?? undefined,
      wants,
      cost: a.cost != null ? { rho: a.cost } : accuracy ? { accuracy } : undefined,
    };
  };

  const fields: Record<string, GraphQLFieldConfig<unknown, RequestContext>> = {
    aggregate: {
      type: new GraphQLNonNull(result),
      description: rules.exact
        ? 'Exact aggregates (steward roles), audited.'
        : `Differentially private aggregates: noisy counts and sums with 95% intervals, cells below ${rules.minCount} noisy subjects suppressed, each answer charged to your privacy budget (the same question again is free).`,
      args,
      resolve: (_: unknown, a: AggregateArgs, ctx: RequestContext, info: GraphQLResolveInfo) => {
        const selected = selectedFields(info);
        const wanted = [...measures].filter(([g]) => selected.has(`${g}_sum`) || selected.has(`${g}_sumInterval`) || selected.has(`${g}_avg`) || selected.has(`${g}_avgInterval`));
        const rows = selected.has('rows') || selected.has('rowsInterval') || [...measures.keys()].some((g) => selected.has(`${g}_avg`) || selected.has(`${g}_avgInterval`));
        return ctx.repository.aggregate(dataset, toQuery(a, { rows, measures: wanted.map(([, column]) => column) }));
      },
    },
    aggregateEstimate: {
      type: new GraphQLNonNull(estimate),
      description: 'The cost and 95% error of an aggregate before running it (free).',
      args: {
        ...args,
        rows: { type: GraphQLBoolean, defaultValue: false, description: 'Include row counts (averages need them).' },
        ...(measureEnum ? { measures: { type: new GraphQLList(new GraphQLNonNull(measureEnum)), defaultValue: [], description: 'Measures whose sums or averages you will ask for.' } } : {}),
      },
      resolve: (_: unknown, a: AggregateArgs, ctx: RequestContext) =>
        ctx.repository.aggregateEstimate(dataset, toQuery(a, { rows: !!a.rows, measures: (a.measures ?? []).map((g) => measures.get(g)!) })),
    },
  };
  if (!rules.exact) {
    fields['privacyBudget'] = { type: new GraphQLNonNull(BudgetType), description: 'Your privacy-loss budget on this dataset.', resolve: (_: unknown, __: unknown, ctx: RequestContext) => ctx.repository.privacyBudget(dataset) };
  } else {
    fields['privacyBudgets'] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(BudgetType))),
      description: "Every analyst's spending on this dataset this period.",
      resolve: (_: unknown, __: unknown, ctx: RequestContext) => ctx.repository.privacyBudgets(dataset),
    };
  }
  return fields;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
