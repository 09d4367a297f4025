import { parsePolicyText, type DatasetPolicy } from '@airlock/policy';
import { describe, expect, it } from 'vitest';
import { planTableChange, type LoadedColumn } from './table-change.ts';

function policy(columns: string[]): DatasetPolicy {
  const text = ['dataset: t', 'subject: id', 'columns:', '  id: { type: string, class: identifier, deidentified: { surrogate: { domain: id } } }', ...columns.map((c) => `  ${c}`), 'zones:', '  restricted: { roles: [steward] }', ''].join('\n');
  const parsed = parsePolicyText('/p/t.yaml', text);
  if (parsed.policy?.kind !== 'dataset') throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.policy;
}

const ID: LoadedColumn = { name: 'id', type: 'text', notNull: true };

describe('planTableChange', () => {
  it('is none when the table has the policy shape (integer tables count as bigint)', () => {
    expect(planTableChange(policy(['n: { type: integer, class: attribute }']), [ID, { name: 'n', type: 'integer', notNull: true }], 10)).toEqual({ kind: 'none' });
  });

  it('adds a nullable column; on an empty table a required one too, then requires it', () => {
    expect(planTableChange(policy(['n: { type: integer, class: attribute, nullable: true }']), [ID], 5)).toMatchObject({ kind: 'reshape', add: [{ name: 'n', type: 'bigint' }], require: [] });
    expect(planTableChange(policy(['n: { type: integer, class: attribute }']), [ID], 0)).toMatchObject({ kind: 'reshape', add: [{ name: 'n' }], require: ['n'] });
  });

  it('retires a column the policy left out, relaxing NOT NULL so new loads can leave it empty', () => {
    expect(planTableChange(policy([]), [ID, { name: 'old', type: 'text', notNull: true }], 3)).toEqual({ kind: 'reshape', add: [], relax: ['old'], require: [], retired: ['old'] });
    expect(planTableChange(policy([]), [ID, { name: 'old', type: 'text', notNull: false }], 3)).toEqual({ kind: 'none' });
  });

  it('requires a column only when no loaded row is empty there', () => {
    const p = policy(['n: { type: integer, class: attribute }']);
    expect(planTableChange(p, [ID, { name: 'n', type: 'bigint', notNull: false, nulls: 0 }], 3)).toMatchObject({ kind: 'reshape', require: ['n'] });
    const refused = planTableChange(p, [ID, { name: 'n', type: 'bigint', notNull: false, nulls: 2 }], 3);
    expect(refused).toEqual({ kind: 'refuse', reasons: [expect.stringMatching(/^\/p\/t\.yaml:5:\d+: column "n" is now required .* but 2 loaded row\(s\) have no value there\. Keep `nullable: true`/)] });
  });

  it('refuses a new required column on loaded rows and a re-typed column, naming file, line and fix', () => {
    const refused = planTableChange(policy(['n: { type: string, class: attribute }', 'm: { type: boolean, class: attribute }']), [ID, { name: 'n', type: 'bigint', notNull: true }], 7);
    expect(refused.kind).toBe('refuse');
    const reasons = refused.kind === 'refuse' ? refused.reasons : [];
    expect(reasons[0]).toMatch(/^\/p\/t\.yaml:5:\d+: column "n" holds bigint values in the 7 loaded row\(s\); the policy now says type string \(text\)\. Loaded raw values are never re-typed/);
    expect(reasons[1]).toMatch(/^\/p\/t\.yaml:6:\d+: column "m" is new, and the 7 row\(s\) already loaded into "t" have no value for it\. Declare it `nullable: true`/);
  });
});
