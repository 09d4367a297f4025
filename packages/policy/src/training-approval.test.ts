import { ZONES } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import type { DatasetPolicy } from './model.ts';
import { policySetFromModels } from './policy-set.ts';
import { realDataset, realRoles, realSet } from './test-fixtures.ts';
import { trainingApproved } from './training-approval.ts';

const set = realSet();

/** Zones each role may train on. admissions: approved [synthetic, deidentified], training roles [ml, steward]. */
const ADMISSIONS: Readonly<Record<string, readonly string[]>> = {
  steward: ['deidentified', 'synthetic'],
  ml: ['deidentified', 'synthetic'],
  analyst: [],
  public: [],
  intruder: [],
};

/** adult: approved [synthetic, deidentified], no training roles, so readers of the zone may train. */
const ADULT: Readonly<Record<string, readonly string[]>> = {
  steward: [],
  ml: ['deidentified', 'synthetic'],
  analyst: ['deidentified', 'synthetic'],
  public: ['synthetic'],
  intruder: [],
};

describe('trainingApproved', () => {
  const matrix = (dataset: string, table: Readonly<Record<string, readonly string[]>>) =>
    Object.entries(table).flatMap(([role, zones]) => ZONES.map((zone) => [dataset, role, zone, zones.includes(zone)] as const));

  it.each([...matrix('admissions', ADMISSIONS), ...matrix('adult', ADULT)])('%s: %s on %s → %s', (dataset, role, zone, allowed) => {
    expect(trainingApproved(set, [role], dataset, zone).kind).toBe(allowed ? 'allow' : 'deny');
  });

  it('says why a zone is refused', () => {
    expect(trainingApproved(set, ['steward'], 'admissions', 'restricted')).toEqual({ kind: 'deny', reason: 'the restricted zone of dataset "admissions" is not approved for training' });
    expect(trainingApproved(set, ['analyst'], 'admissions', 'synthetic')).toEqual({ kind: 'deny', reason: 'the caller\'s roles may not train on dataset "admissions"' });
    expect(trainingApproved(set, ['ml'], 'nope', 'synthetic')).toEqual({ kind: 'deny', reason: 'no dataset "nope"' });
  });

  it('allows restricted only when the policy approves it explicitly', () => {
    const admissions = realDataset('admissions');
    const explicit: DatasetPolicy = { ...admissions, training: { approvedZones: ['restricted'], roles: ['steward'] } };
    const custom = policySetFromModels(realRoles(), [explicit]);
    expect(trainingApproved(custom, ['steward'], 'admissions', 'restricted').kind).toBe('allow');
    expect(trainingApproved(custom, ['ml'], 'admissions', 'restricted').kind).toBe('deny');
    expect(trainingApproved(custom, ['steward'], 'admissions', 'synthetic').kind).toBe('deny');
  });

  it('refuses an approved zone the policy does not declare, and roles roles.yaml does not define', () => {
    const admissions = realDataset('admissions');
    const odd: DatasetPolicy = {
      ...admissions,
      zones: { ...admissions.zones, synthetic: undefined },
      training: { approvedZones: ['synthetic', 'deidentified'], roles: ['trainer'] },
    };
    const custom = policySetFromModels(realRoles(), [odd]);
    expect(trainingApproved(custom, ['ml'], 'admissions', 'synthetic')).toEqual({ kind: 'deny', reason: 'dataset "admissions" has no synthetic zone' });
    expect(trainingApproved(custom, ['trainer'], 'admissions', 'deidentified').kind).toBe('deny');
  });
});
