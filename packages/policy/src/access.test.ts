import { ZONES, type Zone } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { canRead, isSteward, visibleDatasets } from './access.ts';
import type { DatasetPolicy, RolesPolicy } from './model.ts';
import { parsePolicyText } from './parse-policy.ts';
import { policySetFromModels } from './policy-set.ts';
import { realDataset, realRoles, realSet } from './test-fixtures.ts';

const set = realSet();

type Row = readonly [roles: readonly string[], restricted: boolean, deidentified: boolean, aggregate: boolean, synthetic: boolean];

/** admissions.yaml: restricted [steward]; deidentified [analyst, ml]; aggregate [analyst, steward]; synthetic [all four]. */
const ADMISSIONS: readonly Row[] = [
  [['steward'], true, false, true, true],
  [['analyst'], false, true, true, true],
  [['ml'], false, true, false, true],
  [['public'], false, false, false, true],
  [['analyst', 'ml'], false, true, true, true],
  [['steward', 'public'], true, false, true, true],
  [['intruder'], false, false, false, false],
  [[], false, false, false, false],
];

/** adult.yaml: restricted [steward]; deidentified [analyst, ml]; aggregate [analyst]; synthetic [analyst, ml, public]. */
const ADULT: readonly Row[] = [
  [['steward'], true, false, false, false],
  [['analyst'], false, true, true, true],
  [['ml'], false, true, false, true],
  [['public'], false, false, false, true],
];

function cases(dataset: string, rows: readonly Row[]): [string, readonly string[], Zone, boolean][] {
  return rows.flatMap(([roles, ...allowed]) => ZONES.map((zone, i): [string, readonly string[], Zone, boolean] => [dataset, roles, zone, allowed[i] ?? false]));
}

describe('canRead', () => {
  it.each([...cases('admissions', ADMISSIONS), ...cases('adult', ADULT)])('%s %j %s → %s', (dataset, roles, zone, allowed) => {
    const decision = canRead(set, roles, dataset, zone);
    expect(decision.kind).toBe(allowed ? 'allow' : 'deny');
  });

  it('denies an unknown dataset, whatever the roles', () => {
    expect(canRead(set, ['steward'], 'payroll', 'restricted')).toEqual({ kind: 'deny', reason: 'no dataset "payroll"' });
  });

  it('denies a zone the dataset does not offer', () => {
    const roles = realRoles();
    const noSynthetic = parsePolicyText('policies/lean.yaml', 'dataset: lean\nsubject: _row\ncolumns:\n  a: { type: string, class: attribute }\nzones:\n  restricted: { roles: [steward] }\n', roles).policy as DatasetPolicy;
    const lean = policySetFromModels(roles, [noSynthetic]);
    expect(canRead(lean, ['public', 'analyst', 'ml', 'steward'], 'lean', 'synthetic')).toEqual({ kind: 'deny', reason: 'dataset "lean" has no synthetic zone' });
  });

  it('gives deny reasons that do not name the roles that would be allowed', () => {
    const decision = canRead(set, ['public'], 'admissions', 'restricted');
    expect(decision).toEqual({ kind: 'deny', reason: 'the caller\'s roles may not read the restricted zone of dataset "admissions"' });
  });

  describe('in a set built in code, without validation', () => {
    const roles = parsePolicyText('policies/roles.yaml', 'roles:\n  steward: { steward: true }\n  analyst: {}\n').policy as RolesPolicy;
    const admissions = realDataset('admissions');
    const loose: DatasetPolicy = {
      ...admissions,
      zones: { ...admissions.zones, restricted: { roles: ['steward', 'analyst'] }, deidentified: { roles: ['ml'] } },
    };
    const custom = policySetFromModels(roles, [loose]);

    it('still keeps non-steward roles out of the restricted zone', () => {
      expect(canRead(custom, ['analyst'], 'admissions', 'restricted').kind).toBe('deny');
      expect(canRead(custom, ['steward'], 'admissions', 'restricted').kind).toBe('allow');
    });

    it('ignores a role the roles policy does not define, even when a zone names it', () => {
      expect(canRead(custom, ['ml'], 'admissions', 'deidentified').kind).toBe('deny');
    });
  });
});

describe('isSteward', () => {
  it.each([
    [['steward'], true],
    [['analyst', 'steward'], true],
    [['analyst'], false],
    [['ml', 'public'], false],
    [['Steward'], false],
    [[], false],
  ])('%j → %s', (roles, expected) => {
    expect(isSteward(set, roles)).toBe(expected);
  });
});

describe('visibleDatasets', () => {
  it.each([
    [['steward'], [{ dataset: 'admissions', zones: ['restricted', 'aggregate', 'synthetic'] }, { dataset: 'adult', zones: ['restricted'] }]],
    [['analyst'], [{ dataset: 'admissions', zones: ['deidentified', 'aggregate', 'synthetic'] }, { dataset: 'adult', zones: ['deidentified', 'aggregate', 'synthetic'] }]],
    [['ml'], [{ dataset: 'admissions', zones: ['deidentified', 'synthetic'] }, { dataset: 'adult', zones: ['deidentified', 'synthetic'] }]],
    [['public'], [{ dataset: 'admissions', zones: ['synthetic'] }, { dataset: 'adult', zones: ['synthetic'] }]],
    [['intruder'], []],
    [[], []],
  ])('%j', (roles, expected) => {
    expect(visibleDatasets(set, roles)).toEqual(expected);
  });
});
