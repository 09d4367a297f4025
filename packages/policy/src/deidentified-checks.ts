import { error, isNumericType, type CheckContext } from './check-context.ts';
import type { PolicyProblem } from './model.ts';
import { suggestionFix } from './suggest.ts';

/**
 * The deidentified zone's risk settings name published, non-identifier columns: extra
 * quasi-identifiers and hierarchies must point at columns the zone shows, bands fit numbers, and
 * groups hold declared values, each in one group only.
 */
export function checkDeidentified(ctx: CheckContext): PolicyProblem[] {
  const zone = ctx.file.zones.deidentified;
  if (zone === undefined) return [];
  const out: PolicyProblem[] = [];
  const published = ctx.policy.columns.filter((c) => c.deidentified.kind !== 'drop' && c.class !== 'identifier').map((c) => c.name);
  for (const [index, name] of (zone.quasi_identifiers ?? []).entries()) {
    const at = ctx.locate(['zones', 'deidentified', 'quasi_identifiers', index]);
    const column = ctx.columns.get(name);
    if (column === undefined) {
      out.push(error(at, 'risk-column', `zones.deidentified.quasi_identifiers names "${name}", which is not a declared column`, suggestionFix(name, published, 'published columns')));
    } else if (column.class === 'identifier' || column.deidentified.kind === 'drop') {
      out.push(
        error(at, 'risk-column', `zones.deidentified.quasi_identifiers names "${name}", which the deidentified zone does not publish as a value (it is ${column.class === 'identifier' ? 'an identifier' : 'dropped'})`, `remove "${name}" from the list`),
      );
    }
  }
  const quasi = new Set(ctx.policy.zones.deidentified?.quasiIdentifiers ?? []);
  for (const [name, hierarchy] of Object.entries(zone.hierarchies ?? {})) {
    const at = ctx.locate(['zones', 'deidentified', 'hierarchies', name], 'key');
    const column = ctx.columns.get(name);
    if (column === undefined || !quasi.has(name)) {
      out.push(
        error(
          at,
          'risk-hierarchy',
          `zones.deidentified.hierarchies names "${name}", which is not a published quasi-identifier`,
          column === undefined ? suggestionFix(name, [...quasi], 'quasi-identifiers') : `class it quasi_identifier, or list it under zones.deidentified.quasi_identifiers`,
        ),
      );
      continue;
    }
    const numeric = isNumericType(column.type) && (column.deidentified.kind === 'keep' || column.deidentified.kind === 'clamp' || column.deidentified.kind === 'grid');
    const banded = numeric || column.deidentified.kind === 'age';
    if (hierarchy.bands !== undefined && !banded) {
      out.push(error(ctx.locate(['zones', 'deidentified', 'hierarchies', name, 'bands'], 'key'), 'risk-hierarchy', `hierarchies.${name}.bands applies to numbers and ages, but "${name}" is published as ${column.type} via ${column.deidentified.kind}`, 'remove bands, or use groups for categories'));
    }
    if (hierarchy.groups !== undefined) {
      if (banded) {
        out.push(error(ctx.locate(['zones', 'deidentified', 'hierarchies', name, 'groups'], 'key'), 'risk-hierarchy', `hierarchies.${name}.groups applies to categories, but "${name}" is numeric`, 'use bands: [<width>, ...] instead'));
      }
      const seen = new Map<string, string>();
      for (const [group, values] of Object.entries(hierarchy.groups)) {
        for (const [index, value] of values.entries()) {
          const vat = ctx.locate(['zones', 'deidentified', 'hierarchies', name, 'groups', group, index]);
          const other = seen.get(value);
          if (other !== undefined) out.push(error(vat, 'risk-hierarchy', `hierarchies.${name}.groups puts "${value}" in both "${other}" and "${group}"`, `keep "${value}" in one group`));
          seen.set(value, group);
          if (column.values !== undefined && !column.values.includes(value)) {
            out.push(error(vat, 'risk-hierarchy', `hierarchies.${name}.groups.${group} lists "${value}", which is not one of the declared values of "${name}"`, suggestionFix(value, column.values, 'declared values')));
          }
        }
      }
    }
  }
  return out;
}
