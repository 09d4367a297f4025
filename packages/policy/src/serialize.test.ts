import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import type { DatasetPolicy } from './model.ts';
import { policySetFromModels } from './policy-set.ts';
import { deserializePolicy, serializePolicy } from './serialize.ts';
import { realDataset, realRoles } from './test-fixtures.ts';

describe('serializePolicy / deserializePolicy', () => {
  it.each(['admissions', 'adult'] as const)('roundtrips %s through JSON text and a jsonb-like object', (name) => {
    const policy = realDataset(name);
    const stored = JSON.stringify(serializePolicy(policy));
    expect(deserializePolicy(stored)).toEqual(policy);
    expect(deserializePolicy(JSON.parse(stored))).toEqual(policy);
  });

  it('roundtrips the roles policy', () => {
    const roles = realRoles();
    expect(deserializePolicy(JSON.stringify(serializePolicy(roles)))).toEqual(roles);
  });

  it('restores a frozen policy that decisions can use', () => {
    const restored = deserializePolicy(JSON.stringify(serializePolicy(realDataset('admissions')))) as DatasetPolicy;
    expect(Object.isFrozen(restored)).toBe(true);
    expect(Object.isFrozen(restored.columns[0]?.deidentified)).toBe(true);
    const set = policySetFromModels(realRoles(), [restored]);
    expect(set.datasets.get('admissions')?.zones.aggregate?.minCount).toBe(11);
  });

  it.each([
    ['not JSON', '{'],
    ['no format', { policy: {} }],
    // Format 1 held measures without bounds and no privacy settings: it must be stored again.
    ['the previous format', { format: 1, policy: { kind: 'roles', roles: [], source: { file: 'x' } } }],
    ['a later format', { format: 3, policy: { kind: 'roles', roles: [], source: { file: 'x' } } }],
    ['no kind', { format: 2, policy: { source: { file: 'x' } } }],
    ['a dataset without columns', { format: 2, policy: { kind: 'dataset', dataset: 'x', zones: {}, training: {}, source: { file: 'x' } } }],
    ['null', null],
  ])('refuses %s with POLICY_INVALID', (_name, stored) => {
    expect(() => deserializePolicy(stored)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
    try {
      deserializePolicy(stored);
    } catch (error) {
      expect(isAirlockError(error, 'POLICY_INVALID')).toBe(true);
    }
  });
});

describe('policySetFromModels', () => {
  it('builds a frozen set whose dataset map refuses writes', () => {
    const admissions = realDataset('admissions');
    const set = policySetFromModels(realRoles(), [admissions]);
    expect(Object.isFrozen(set)).toBe(true);
    expect(set.datasets.get('admissions')).toBe(admissions);
    const map = set.datasets as Map<string, DatasetPolicy>;
    expect(() => map.set('x', admissions)).toThrow(TypeError);
    expect(() => map.delete('admissions')).toThrow(TypeError);
    expect(() => map.clear()).toThrow(TypeError);
    expect([...set.datasets.keys()]).toEqual(['admissions']);
  });

  it('refuses two policies for one dataset', () => {
    const admissions = realDataset('admissions');
    expect(() => policySetFromModels(realRoles(), [admissions, admissions])).toThrow(/dataset "admissions" is defined twice/u);
  });
});
