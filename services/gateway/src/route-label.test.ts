import { describe, expect, it } from 'vitest';
import { routeLabel } from './route-label.ts';

describe('routeLabel', () => {
  it('names each served route by its template', () => {
    expect(routeLabel('/graphql')).toBe('/graphql');
    expect(routeLabel('/readyz')).toBe('/readyz');
    expect(routeLabel('/models/readmission@production/predict')).toBe('/models/:ref/predict');
    expect(routeLabel('/models/42/predict')).toBe('/models/:ref/predict');
    expect(routeLabel('/graphiql/assets/graphiql.min.js')).toBe('/graphiql/assets/:name');
  });

  it('gives every other path one label, so random paths cannot add series', () => {
    const labels = new Set(Array.from({ length: 1000 }, (_, i) => routeLabel(`/x${i}/${Math.random()}`)));
    expect([...labels]).toEqual(['unmatched']);
    expect(routeLabel('/models/a/b/predict')).toBe('unmatched');
    expect(routeLabel('/graphql/extra')).toBe('unmatched');
  });
});
