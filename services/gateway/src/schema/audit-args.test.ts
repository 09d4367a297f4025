import { describe, expect, it } from 'vitest';
import { auditPageArgs, instantArg } from './audit-args.ts';

describe('audit query arguments', () => {
  it('accepts real dates and timestamps', () => {
    expect(instantArg('since', '2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(instantArg('since', '2026-11-29T10:00:00Z')?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    expect(instantArg('since', undefined)).toBeUndefined();
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-45', 'yesterday', '2024-01-01T25:00:00Z', '1e9'])('refuses %s, naming it', (text) => {
    expect(() => instantArg('since', text)).toThrow(new RegExp(`since: "${text}" is not an ISO 8601`));
  });

  it('bounds first and before', () => {
    expect(auditPageArgs(undefined, undefined, 500)).toEqual({ limit: 50 });
    expect(auditPageArgs(10_000, 7, 500)).toEqual({ limit: 500, beforeSeq: 7 });
    expect(() => auditPageArgs(-1, undefined, 500)).toThrow(/first: -1 must be from 1 to 500/);
    expect(() => auditPageArgs(0, undefined, 500)).toThrow(/first: 0/);
    expect(() => auditPageArgs(5, -5, 500)).toThrow(/before: -5/);
  });
});
