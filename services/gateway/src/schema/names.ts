import { graphqlName } from '../data/sql-names.ts';

/** `adult` → `Adult`, `hospital_visits` → `HospitalVisits`: the type-name prefix of a dataset. */
export function typePrefix(dataset: string): string {
  return graphqlName(dataset)
    .split('_')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Map GraphQL names back to columns, refusing two columns that would get the same GraphQL name
 * (e.g. `marital-status` and `marital_status`).
 */
export function columnNames(columns: readonly string[], where: string): Map<string, string> {
  const byGraphql = new Map<string, string>();
  for (const column of columns) {
    const name = graphqlName(column);
    const other = byGraphql.get(name);
    if (other !== undefined && other !== column) {
      throw new Error(`Columns "${other}" and "${column}" of ${where} both map to the GraphQL name "${name}"; rename one in the policy.`);
    }
    byGraphql.set(name, column);
  }
  return byGraphql;
}

export { graphqlName };
