import { describe, expect, it } from 'vitest';
import type { DatasetPolicy } from './model.ts';
import { errorsOf, parseClinic } from './test-fixtures.ts';

describe('columns.<name>.header', () => {
  it('names the source column in any text; absent, the column name is the header', () => {
    const result = parseClinic({ 8: '  ward: { header: "Ward / Unit (2024)", type: string, class: attribute }' });
    expect(errorsOf(result.problems)).toEqual([]);
    const columns = (result.policy as DatasetPolicy).columns;
    expect(columns.find((c) => c.name === 'ward')!.header).toBe('Ward / Unit (2024)');
    expect(columns.find((c) => c.name === 'cost')!.header).toBeUndefined();
  });

  it('refuses two columns reading one header, at the line of the second', () => {
    const result = parseClinic({ 9: '  cost: { header: ward, type: number, class: measure }' });
    const [problem] = errorsOf(result.problems).filter((p) => p.rule === 'duplicate-header');
    expect(problem).toMatchObject({ line: 9, message: 'columns "ward" and "cost" both read the CSV header "ward"' });
  });

  it('refuses an empty header', () => {
    expect(errorsOf(parseClinic({ 8: '  ward: { header: "  ", type: string, class: attribute }' }).problems).length).toBeGreaterThan(0);
  });
});
