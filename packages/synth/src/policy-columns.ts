import type { ColumnPolicy, DatasetPolicy } from '@airlock/policy';
import { fakeKindFromName } from './fake.ts';
import type { SynthColumn } from './types.ts';

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
