import { ZONES } from '@airlock/core';
import { error, isDateType, isNumericType, type CheckContext } from './check-context.ts';
import type { ColumnPolicy, PolicyProblem } from './model.ts';
import { suggestionFix } from './suggest.ts';
import type { YamlPath } from './yaml-source.ts';
import { pathLabel } from './zod-problems.ts';

type ListKind = 'dimensions' | 'measures' | 'date_columns';

/**
 * The aggregate zone reads full-precision restricted data under its own database role, so the
 * columns it names are exactly what that role may select: never identifiers, and each in the role
 * its type supports.
 */
export function checkAggregate(ctx: CheckContext): PolicyProblem[] {
  const aggregate = ctx.file.zones.aggregate;
  if (aggregate === undefined) return [];
  const out: PolicyProblem[] = [];
  const measures = aggregate.measures;
  const lists: [ListKind, readonly string[], (name: string, index: number) => YamlPath][] = [
    ['dimensions', aggregate.dimensions, (_, index) => ['zones', 'aggregate', 'dimensions', index]],
    ['measures', Array.isArray(measures) ? measures : Object.keys(measures ?? {}), (name, index) => ['zones', 'aggregate', 'measures', Array.isArray(measures) ? index : name]],
    ['date_columns', aggregate.date_columns ?? [], (_, index) => ['zones', 'aggregate', 'date_columns', index]],
  ];
  for (const [kind, names, pathOf] of lists) {
    for (const [index, name] of names.entries()) {
      const problem = checkAggregateColumn(ctx, kind, name, pathOf(name, index));
      if (problem !== undefined) out.push(problem);
    }
  }
  if (Array.isArray(measures)) {
    // Differential privacy needs each measure's range to bound one person's effect on a sum:
    // without bounds there is no sum (an unbounded sum with no noise would be the alternative).
    for (const [index, name] of measures.entries()) {
      out.push(
        error(
          ctx.locate(['zones', 'aggregate', 'measures', index]),
          'measure-bounds',
          `zones.aggregate.measures lists "${name}" without bounds; a sum is released only with noise scaled to the largest value one person can add`,
          `write measures as a map with each measure's plausible range, e.g. measures: { ${name}: { min: 0, max: 1000 } }`,
        ),
      );
    }
  }
  const privacy = aggregate.privacy;
  if (privacy.query_cost > privacy.budget) {
    out.push(
      error(
        ctx.locate(['zones', 'aggregate', 'privacy', 'query_cost']),
        'query-cost-above-budget',
        `zones.aggregate.privacy.query_cost ${privacy.query_cost} is above the budget ${privacy.budget}; no query could ever run`,
        `lower query_cost to at most ${privacy.budget}, or raise budget`,
      ),
    );
  }
  return out;
}

function checkAggregateColumn(ctx: CheckContext, kind: ListKind, name: string, path: YamlPath): PolicyProblem | undefined {
  const at = ctx.locate(path);
  const label = pathLabel(['zones', 'aggregate', kind]);
  const column = ctx.columns.get(name);
  const fitting = ctx.policy.columns.filter((c) => fitsList(kind, c)).map((c) => c.name);
  if (column === undefined) {
    return error(at, 'aggregate-column', `${label} names "${name}", which is not a declared column`, suggestionFix(name, fitting, `columns that fit ${kind}`));
  }
  if (column.class === 'identifier') {
    return error(
      at,
      'aggregate-identifier',
      `${label} names identifier column "${name}"; aggregates never group by or expose direct identifiers`,
      `remove "${name}" from ${label}`,
    );
  }
  if (fitsList(kind, column)) return undefined;
  switch (kind) {
    case 'dimensions':
      return error(at, 'aggregate-date-dimension', `${label} names ${column.type} column "${name}"; dates are grouped by grain, not by exact value`, `move "${name}" to date_columns`);
    case 'measures':
      return error(at, 'measure-type', `${label} names ${column.type} column "${name}"; measures are summed and averaged, so they must be numbers`, `remove it, or list a numeric column: ${fitting.join(', ') || 'none declared'}`);
    case 'date_columns':
      return error(at, 'aggregate-date-column', `${label} names ${column.type} column "${name}", not a date or timestamp`, `remove it, or list a date column: ${fitting.join(', ') || 'none declared'}`);
  }
}

function fitsList(kind: ListKind, column: ColumnPolicy): boolean {
  if (column.class === 'identifier') return false;
  switch (kind) {
    case 'dimensions':
      return !isDateType(column.type);
    case 'measures':
      return isNumericType(column.type);
    case 'date_columns':
      return isDateType(column.type);
  }
}

/** Approved zones must be zones the policy declares and that hold rows to train on. */
export function checkTraining(ctx: CheckContext): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const declared = ZONES.filter((zone) => zone === 'restricted' || ctx.policy.zones[zone] !== undefined);
  for (const [index, zone] of ctx.policy.training.approvedZones.entries()) {
    const at = ctx.locate(['training', 'approved_zones', index]);
    if (zone === 'aggregate') {
      out.push(error(at, 'training-zone', 'training.approved_zones names "aggregate", which releases thresholded counts, not rows to train on', 'remove "aggregate"; approve synthetic or deidentified'));
    } else if (!declared.includes(zone)) {
      out.push(
        error(at, 'training-zone', `training.approved_zones names "${zone}", which this policy does not declare under zones`, `declare zones.${zone}, or remove "${zone}" from training.approved_zones`),
      );
    }
  }
  const evaluation = ctx.policy.training.evaluationZone;
  if (evaluation !== undefined && ctx.policy.zones[evaluation] === undefined) {
    out.push(
      error(ctx.locate(['training', 'evaluation_zone']), 'training-zone', `training.evaluation_zone names "${evaluation}", which this policy does not declare under zones`, `declare zones.${evaluation}, or remove training.evaluation_zone`),
    );
  }
  for (const [index, name] of (ctx.policy.training.fairnessAttributes ?? []).entries()) {
    const at = ctx.locate(['training', 'fairness_attributes', index]);
    const column = ctx.columns.get(name);
    if (column === undefined) {
      out.push(error(at, 'fairness-attribute', `training.fairness_attributes names "${name}", which is not a column of this dataset`, suggestionFix(name, [...ctx.columns.keys()], 'columns')));
    } else if (column.class === 'identifier') {
      // Per-person values: every subgroup would be one person.
      out.push(error(at, 'fairness-attribute', `training.fairness_attributes names "${name}", an identifier`, 'name a column that groups people, such as sex or an age band'));
    } else if (isDateType(column.type)) {
      out.push(error(at, 'fairness-attribute', `training.fairness_attributes names "${name}", a ${column.type}, whose values are too many to group by`, 'name a categorical or numeric column (numbers are banded at quartiles)'));
    }
  }
  return out;
}

/** Every role named must exist in roles.yaml, and raw data is for steward roles only. */
export function checkRoles(ctx: CheckContext): PolicyProblem[] {
  const roles = ctx.roles;
  if (roles === undefined) return [];
  const known = new Map(roles.roles.map((role) => [role.name, role]));
  const out: PolicyProblem[] = [];
  const lists: [YamlPath, readonly string[] | undefined][] = [
    ...ZONES.map((zone): [YamlPath, readonly string[] | undefined] => [['zones', zone, 'roles'], ctx.policy.zones[zone]?.roles]),
    [['training', 'roles'], ctx.policy.training.roles],
  ];
  for (const [path, names] of lists) {
    for (const [index, name] of (names ?? []).entries()) {
      const at = ctx.locate([...path, index]);
      const role = known.get(name);
      if (role === undefined) {
        out.push(
          error(at, 'unknown-role', `${pathLabel(path)} names role "${name}", which ${roles.source.file} does not define`, `${suggestionFix(name, [...known.keys()], 'defined roles')}; or define "${name}" in ${roles.source.file}`),
        );
      } else if (path[1] === 'restricted' && !role.steward) {
        out.push(
          error(
            at,
            'restricted-non-steward',
            `zones.restricted names role "${name}", which is not a steward role; the restricted zone holds raw identifiers`,
            `remove "${name}" from zones.restricted.roles, or mark it steward: true in ${roles.source.file} if it really is a data owner role`,
          ),
        );
      }
    }
  }
  return out;
}

/** A name listed twice is a copy-paste slip that hides which entry the owner meant to change. */
export function checkDuplicates(ctx: CheckContext): PolicyProblem[] {
  const { file } = ctx;
  const lists: [YamlPath, readonly string[] | undefined][] = [
    ...Object.entries(file.columns).map(([name, column]): [YamlPath, readonly string[] | undefined] => [['columns', name, 'values'], column.values]),
    ...ZONES.map((zone): [YamlPath, readonly string[] | undefined] => [['zones', zone, 'roles'], file.zones[zone]?.roles]),
    [['zones', 'deidentified', 'quasi_identifiers'], file.zones.deidentified?.quasi_identifiers],
    [['zones', 'aggregate', 'dimensions'], file.zones.aggregate?.dimensions],
    [['zones', 'aggregate', 'measures'], Array.isArray(file.zones.aggregate?.measures) ? file.zones.aggregate.measures : undefined],
    [['zones', 'aggregate', 'date_columns'], file.zones.aggregate?.date_columns],
    [['training', 'approved_zones'], file.training?.approved_zones],
    [['training', 'roles'], file.training?.roles],
  ];
  const out: PolicyProblem[] = [];
  // Two columns read from one header would load the same field twice.
  const headers = new Map<string, string>();
  for (const [name, column] of Object.entries(file.columns)) {
    const header = column.header ?? name;
    const other = headers.get(header);
    if (other !== undefined) {
      out.push(
        error(
          ctx.locate(['columns', name, ...(column.header === undefined ? [] : ['header'])], column.header === undefined ? 'key' : 'value'),
          'duplicate-header',
          `columns "${other}" and "${name}" both read the CSV header "${header}"`,
          `give one of them its own header: (the text of its column in the file)`,
        ),
      );
    }
    headers.set(header, name);
  }
  for (const [path, names] of lists) {
    const seen = new Set<string>();
    for (const [index, name] of (names ?? []).entries()) {
      if (seen.has(name)) {
        out.push(error(ctx.locate([...path, index]), 'duplicate-entry', `${pathLabel(path)} lists "${name}" twice`, `remove the second "${name}"`));
      }
      seen.add(name);
    }
  }
  return out;
}
