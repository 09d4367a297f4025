import { describe, expect, it } from 'vitest';
import { findUnstorableText, storableText, storableValue } from './index.ts';

describe('storable text', () => {
  it('replaces NUL and unpaired surrogates, keeps pairs and ordinary text', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('\ud800x')).toBe('\uFFFDx');
    expect(storableText('x\udc00')).toBe('x\uFFFD');
    expect(storableText('😀 ok é')).toBe('😀 ok é');
    expect(Buffer.from(storableText('\ud83d'), 'utf8').toString('utf8')).toBe('\uFFFD');
  });

  it('applies to nested values and keys', () => {
    expect(storableValue({ 'k\u0000': ['\ud800', 1, null, { x: 'y\u0000' }] })).toEqual({ 'k\uFFFD': ['\uFFFD', 1, null, { x: 'y\uFFFD' }] });
  });

  it('names where the first bad character is', () => {
    expect(findUnstorableText({ a: [1, 'ok', 'n\u0000'] }, 'variables')).toBe('variables.a[2]');
    expect(findUnstorableText({ ['\ud800']: 1 }, 'variables')).toBe('variables.<key>');
    expect(findUnstorableText({ a: '😀' }, 'variables')).toBeUndefined();
    // Repeated calls are independent of the global regex's state.
    expect(findUnstorableText('\u0000', 'x')).toBe('x');
    expect(findUnstorableText('\u0000', 'x')).toBe('x');
  });
});
