import type { DeidTransform } from '@airlock/policy';

/** A short human description of a column's transform, for the `policy` queries. */
export function transformLabel(transform: DeidTransform): string {
  switch (transform.kind) {
    case 'keep':
    case 'drop':
      return transform.kind;
    case 'tokenize':
      return `tokenize(${transform.domain}${transform.reversible ? ', reversible' : ''})`;
    case 'surrogate':
      return `surrogate(${transform.domain})`;
    case 'generalize':
      return `generalize(${transform.grain})`;
    case 'shift':
      return `shift(±${transform.maxDays} days)`;
    case 'age':
      return `age(at ${transform.at ?? 'ingest date'}, top-coded ${transform.topCode}+)`;
    case 'truncate':
      return `truncate(${transform.digits}${transform.zip3 ? ', small ZIP3 areas → 000' : ''})`;
    case 'bucket':
      return `bucket(${transform.edges.join(', ')})`;
    case 'clamp':
      return `clamp(${transform.min ?? '-∞'}, ${transform.max ?? '∞'})`;
    case 'grid':
      return `grid(${transform.step}°)`;
  }
}
