import type { ColumnPolicy, DatasetPolicy, PolicyProblem, RolesPolicy, SourcePosition } from './model.ts';
import { problem } from './problem.ts';
import type { DatasetFile } from './schema.ts';
import type { Locator } from './yaml-source.ts';

/** What the cross-checks and lints of one dataset file look at. */
export interface CheckContext {
  /** The file as the schema parsed it: tells explicit values from defaults. */
  readonly file: DatasetFile;
  readonly policy: DatasetPolicy;
  readonly locate: Locator;
  /** Known when the roles policy parsed; role checks are skipped otherwise. */
  readonly roles: RolesPolicy | undefined;
  readonly columns: ReadonlyMap<string, ColumnPolicy>;
}

/** Bundles what the checks need, indexing the columns by name once. */
export function createCheckContext(file: DatasetFile, policy: DatasetPolicy, locate: Locator, roles: RolesPolicy | undefined): CheckContext {
  return { file, policy, locate, roles, columns: new Map(policy.columns.map((column) => [column.name, column])) };
}

/**
 * Where a column's transform is written, or the column's key when it has no `deidentified:`
 * (the implicit keep is what the problem is about).
 */
export function transformPosition(ctx: CheckContext, column: ColumnPolicy): SourcePosition {
  return ctx.file.columns[column.name]?.deidentified === undefined
    ? ctx.locate(['columns', column.name], 'key')
    : ctx.locate(['columns', column.name, 'deidentified']);
}

/** An error problem: cross-checks report errors only. */
export function error(at: SourcePosition, rule: string, message: string, fix: string): PolicyProblem {
  return problem('error', at, rule, message, fix);
}

/** Date and timestamp columns: the ones that transforms and aggregates treat as dates. */
export function isDateType(type: ColumnPolicy['type']): boolean {
  return type === 'date' || type === 'timestamp';
}

/** Integer and number columns: the ones that can be measures, bucketed or clamped. */
export function isNumericType(type: ColumnPolicy['type']): boolean {
  return type === 'integer' || type === 'number';
}
