import type { ColumnView } from '@airlock/policy';
import { describe, expect, it } from 'vitest';
import { bucketLabels, deriveTargetRows } from './derived-target.ts';
import { resolveSpecs, type TrainingRequest } from './training-request.ts';

const column = (name: string, type: ColumnView['type'], extra: Partial<ColumnView> = {}): ColumnView => ({ name, type, class: 'attribute', nullable: true, transform: { kind: 'keep' }, ...extra });
const COLUMNS: ColumnView[] = [
  column('cost', 'number'),
  column('age', 'integer'),
  column('ward', 'string'),
  column('sex', 'string'),
  column('readmitted', 'boolean'),
  column('admitted_at', 'date'),
  column('patient_token', 'string', { class: 'identifier' }),
  column('age_band', 'string', { transform: { kind: 'generalize' } as ColumnView['transform'] }),
];
const request = (overrides: Partial<TrainingRequest> = {}): TrainingRequest => ({ dataset: 'admissions', zone: 'deidentified', target: 'ward', features: ['age', 'sex', 'cost'], kind: 'logistic_regression', ...overrides });
const derive = (d: Record<string, unknown>) => ({ derive: d }) as unknown as TrainingRequest['target'];

describe('resolveSpecs: column targets', () => {
  it('a text target without positiveClass is multiclass; with it, binary; a boolean one binary', () => {
    expect(resolveSpecs(request(), COLUMNS).target).toEqual({ name: 'ward', kind: 'multiclass' });
    expect(resolveSpecs(request({ positiveClass: 'icu' }), COLUMNS).target).toEqual({ name: 'ward', kind: 'binary', positive: 'icu' });
    const specs = resolveSpecs(request({ target: 'readmitted' }), COLUMNS);
    expect(specs).toMatchObject({ target: { name: 'readmitted', kind: 'binary', positive: true }, columns: ['age', 'sex', 'cost', 'readmitted'], excludedFeatures: [], targetSlug: 'readmitted' });
    expect(specs.derived).toBeUndefined();
  });
});

describe('resolveSpecs: derived targets', () => {
  it('cost > 0: binary, positive true, the source read last and never a feature', () => {
    const specs = resolveSpecs(request({ target: derive({ column: 'cost', op: '>', value: 0 }) }), COLUMNS);
    expect(specs.target).toEqual({ name: 'cost > 0', kind: 'binary', positive: true });
    expect(specs.features.map((f) => f.name)).toEqual(['age', 'sex']);
    expect(specs.excludedFeatures).toEqual(['cost']);
    expect(specs.columns).toEqual(['age', 'sex', 'cost']);
    expect(specs.targetSlug).toBe('cost-gt-0');
  });

  it('ward in [icu, surgery]: binary; age buckets: multiclass', () => {
    const inList = resolveSpecs(request({ target: derive({ column: 'ward', in: ['icu', 'surgery'] }) }), COLUMNS);
    expect(inList.target).toEqual({ name: 'ward in [icu, surgery]', kind: 'binary', positive: true });
    expect(inList.targetSlug).toBe('ward-in-icu-surgery');
    const buckets = resolveSpecs(request({ target: derive({ column: 'age', buckets: [30, 50, 70] }) }), COLUMNS);
    expect(buckets.target).toEqual({ name: 'age buckets [30, 50, 70]', kind: 'multiclass' });
    expect(buckets.features.map((f) => f.name)).toEqual(['sex', 'cost']);
  });

  it.each([
    [{ column: 'costs', op: '>', value: 0 }, /target.derive.column "costs" is not a column you can read in the deidentified zone of admissions; readable: cost, age/],
    [{ column: 'ward', op: '>', value: 'icu' }, /target.derive.op ">" needs a numeric column; "ward" is string in the deidentified zone of admissions: use = or != \(or "in"\)/],
    [{ column: 'age_band', buckets: [30] }, /target.derive.buckets needs a numeric column; "age_band" is string in the deidentified zone of admissions \(generalize\)/],
    [{ column: 'cost', op: '>', value: '0' }, /target.derive.value must be a number: "cost" is number/],
    [{ column: 'cost', op: '~', value: 0 }, /target.derive.op "~" is unknown; use one of > >= < <= = !=/],
    [{ column: 'cost', op: '>' }, /target.derive.value is missing/],
    [{ column: 'cost', op: '>', value: 0, in: [1] }, /exactly one of "op" \(with "value"\), "in" or "buckets", not op and in/],
    [{ column: 'age', buckets: [50, 30] }, /target.derive.buckets must ascend strictly; 30 follows 50/],
    [{ column: 'age', buckets: [] }, /target.derive.buckets must be a list of 1 to 49 edges/],
    [{ column: 'ward', in: [] }, /target.derive.in must be a list of 1 to 100 values/],
    [{ column: 'ward', in: ['icu', 3] }, /target.derive.in\[1\] must be a string/],
    [{ column: 'patient_token', in: ['x'] }, /is an identifier/],
    [{ column: 'admitted_at', op: '>', value: 2020 }, /"admitted_at" is date .*derive targets from numeric, text or boolean columns/],
    [{ column: 'cost', op: '>', value: 0, when: 1 }, /target.derive has unknown field\(s\) "when"/],
  ])('refuses %j with a BAD_REQUEST naming the field and the fix', (definition, message) => {
    expect(() => resolveSpecs(request({ target: derive(definition) }), COLUMNS)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(message) }));
  });

  it('refuses a malformed target, a derived target for a regressor, and a source that is the only feature', () => {
    expect(() => resolveSpecs(request({ target: { nope: 1 } as never }), COLUMNS)).toThrow(/target must be a column name or \{ "derive": \{ ... \} \}/);
    expect(() => resolveSpecs(request({ target: derive({ column: 'cost', op: '>', value: 0 }), kind: 'linear_regression' }), COLUMNS)).toThrow(/train it with logistic_regression or mlp_classifier/);
    expect(() => resolveSpecs(request({ target: derive({ column: 'cost', op: '>', value: 0 }), features: ['cost'] }), COLUMNS)).toThrow(/The only feature, "cost", is the derived target's source/);
  });
});

describe('deriveTargetRows', () => {
  it('labels rows, drops the source column, and leaves out rows whose source is null', () => {
    const rows = [
      { age: 20, cost: '0' },
      { age: 30, cost: '12.5' },
      { age: 70, cost: null },
      { age: 49, cost: 3 },
    ];
    const gt = deriveTargetRows(rows, { definition: { column: 'cost', op: '>', value: 0 }, name: 'cost > 0', slug: 'cost-gt-0', kind: 'binary' });
    expect(gt).toEqual({ rows: [{ age: 20, 'cost > 0': false }, { age: 30, 'cost > 0': true }, { age: 49, 'cost > 0': true }], droppedNullRows: 1 });
    const buckets = deriveTargetRows(rows, { definition: { column: 'age', buckets: [30, 50] }, name: 't', slug: 't', kind: 'multiclass' });
    expect(buckets.rows.map((r) => r['t'])).toEqual(['<30', '30–50', '≥50', '30–50']);
    const inList = deriveTargetRows([{ ward: 'icu' }, { ward: 'cardiology' }], { definition: { column: 'ward', in: ['icu', 'surgery'] }, name: 'w', slug: 'w', kind: 'binary' });
    expect(inList.rows).toEqual([{ w: true }, { w: false }]);
    const numbers = deriveTargetRows([{ n: '3.50' }, { n: 4 }, { n: '2' }], { definition: { column: 'n', in: [3.5, 2] }, name: 'n', slug: 'n', kind: 'binary' });
    expect(numbers.rows.map((r) => r['n'])).toEqual([true, false, true]);
    expect(bucketLabels([30, 50, 70])).toEqual(['<30', '30–50', '50–70', '≥70']);
  });
});
