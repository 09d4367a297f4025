import type { ColumnPolicy, DatasetPolicy } from '@airlock/policy';
import { describe, expect, it } from 'vitest';
import { synthColumnsFromPolicy } from './policy-columns.ts';

const column = (name: string, type: ColumnPolicy['type'], klass: ColumnPolicy['class']): ColumnPolicy => ({
  name,
  type,
  class: klass,
  nullable: false,
  values: undefined,
  deidentified: { kind: 'keep' },
  position: { file: 'policies/admissions.yaml', line: 1, column: 1 },
});

const policy: DatasetPolicy = {
  kind: 'dataset',
  dataset: 'admissions',
  description: undefined,
  subject: 'patient_id',
  columns: [
    column('patient_id', 'string', 'identifier'),
    column('name', 'string', 'identifier'),
    column('email', 'string', 'identifier'),
    column('ssn', 'string', 'identifier'),
    column('mrn', 'string', 'identifier'),
    column('insurance_token', 'string', 'identifier'),
    column('zip', 'string', 'quasi_identifier'),
    column('birth_date', 'date', 'quasi_identifier'),
    column('admitted_at', 'timestamp', 'event_date'),
    column('diagnosis', 'string', 'sensitive'),
    column('length_of_stay', 'integer', 'measure'),
    column('cost', 'number', 'measure'),
    column('readmitted', 'boolean', 'label'),
  ],
  zones: { restricted: { roles: ['steward'] }, deidentified: undefined, aggregate: undefined, synthetic: undefined },
  training: { approvedZones: ['synthetic'], roles: undefined },
  source: { file: 'policies/admissions.yaml', sha256: '0'.repeat(64), content: '' },
};

describe('synthColumnsFromPolicy', () => {
  it('maps classes and types to synthesizer kinds and notes the label', () => {
    expect(synthColumnsFromPolicy(policy)).toEqual({
      columns: [
        { name: 'patient_id', kind: 'identifier', fake: 'id' },
        { name: 'name', kind: 'identifier', fake: 'name' },
        { name: 'email', kind: 'identifier', fake: 'email' },
        { name: 'ssn', kind: 'identifier', fake: 'ssn' },
        { name: 'mrn', kind: 'identifier', fake: 'mrn' },
        { name: 'insurance_token', kind: 'identifier', fake: 'token' },
        { name: 'zip', kind: 'categorical' },
        { name: 'birth_date', kind: 'date' },
        { name: 'admitted_at', kind: 'timestamp' },
        { name: 'diagnosis', kind: 'categorical' },
        { name: 'length_of_stay', kind: 'integer' },
        { name: 'cost', kind: 'numeric' },
        { name: 'readmitted', kind: 'boolean' },
      ],
      labels: ['readmitted'],
    });
  });

  it('treats the subject column as an identifier whatever its class', () => {
    const subjectAsAttribute: DatasetPolicy = { ...policy, columns: [column('patient_id', 'string', 'attribute')] };
    expect(synthColumnsFromPolicy(subjectAsAttribute).columns).toEqual([{ name: 'patient_id', kind: 'identifier', fake: 'id' }]);
  });
});
