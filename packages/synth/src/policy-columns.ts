import type { ColumnPolicy, DatasetPolicy, SyntheticPrivacy } from '@airlock/policy';
import { fakeKindFromName } from './fake.ts';
import type { PublicDomain } from './private-domain.ts';
import type { SynthColumn } from './types.ts';
import { MS_PER_DAY } from './values.ts';

/** Columns for the synthesizer derived from a dataset policy, and the label column(s) it declares. */
export interface PolicySynthColumns {
  readonly columns: SynthColumn[];
  /** Columns of class `label`, in policy order; pass the first as `label` to fit and report. */
  readonly labels: string[];
}

/**
 * Map a dataset policy's columns to synthesizer columns: class `identifier` becomes an identifier
 * column with a fake kind guessed from its name (`email`, `ssn`, `mrn`, `name`, `token`, else
 * `id`); other strings are categorical; integer, number, boolean, date and timestamp map to their
 * kinds. The policy's subject column is an identifier whatever its declared class, since it
 * names the person.
 */
export function synthColumnsFromPolicy(policy: DatasetPolicy): PolicySynthColumns {
  const columns = policy.columns.map((column) => toSynthColumn(column, column.name === policy.subject));
  const labels = policy.columns.filter((column) => column.class === 'label').map((column) => column.name);
  return { columns, labels };
}

function toSynthColumn(column: ColumnPolicy, isSubject: boolean): SynthColumn {
  if (column.class === 'identifier' || isSubject) return { name: column.name, kind: 'identifier', fake: fakeKindFromName(column.name) };
  switch (column.type) {
    case 'string':
      return { name: column.name, kind: 'categorical' };
    case 'integer':
      return { name: column.name, kind: 'integer' };
    case 'number':
      return { name: column.name, kind: 'numeric' };
    case 'boolean':
      return { name: column.name, kind: 'boolean' };
    case 'date':
      return { name: column.name, kind: 'date' };
    case 'timestamp':
      return { name: column.name, kind: 'timestamp' };
  }
}

/**
 * The public domains the private synthesizer may use, from the policy alone: declared `values:`
 * of string columns, and `zones.synthetic.privacy.bounds` in each column's units (dates as days
 * since 1970, timestamps as milliseconds; a bound `after` another column is a number of days).
 */
export function privateDomainsFromPolicy(policy: DatasetPolicy, privacy: SyntheticPrivacy): Map<string, PublicDomain> {
  const domains = new Map<string, PublicDomain>();
  for (const column of policy.columns) {
    if (column.type === 'string' && column.values !== undefined) domains.set(column.name, { kind: 'values', values: column.values });
  }
  for (const bound of privacy.bounds) {
    const type = policy.columns.find((c) => c.name === bound.column)?.type;
    const unit = (value: number | string): number => {
      if (typeof value === 'string') {
        const days = Date.parse(`${value}T00:00:00Z`) / MS_PER_DAY;
        return type === 'timestamp' ? days * MS_PER_DAY : days;
      }
      return bound.after !== undefined && type === 'timestamp' ? value * MS_PER_DAY : value;
    };
    domains.set(bound.column, { kind: 'range', min: unit(bound.min), max: unit(bound.max), bins: bound.bins, after: bound.after });
  }
  return domains;
}
