import { error, isDateType, isNumericType, type CheckContext } from './check-context.ts';
import type { PolicyProblem } from './model.ts';
import { suggestionFix } from './suggest.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/u;

/**
 * The private synthesizer models only public domains, so every number and date it releases needs
 * a public range: `zones.synthetic.privacy.bounds` (or the aggregate zone's measure bounds). Each
 * bound names a released numeric or date column, with min < max in the column's units: numbers
 * for numbers, YYYY-MM-DD for dates and timestamps, and a number of days for a date bounded
 * `after` another date column (which has bounds of its own).
 */
export function checkSynthetic(ctx: CheckContext): PolicyProblem[] {
  const privacy = ctx.policy.zones.synthetic?.privacy;
  if (privacy === undefined) return [];
  const out: PolicyProblem[] = [];
  const bounded = new Map(privacy.bounds.map((b) => [b.column, b]));
  const written = ctx.file.zones.synthetic?.privacy?.bounds ?? {};
  const released = ctx.policy.columns.filter((c) => c.deidentified.kind !== 'drop' && c.class !== 'identifier' && c.name !== ctx.policy.subject);
  const rangeColumns = released.filter((c) => isNumericType(c.type) || isDateType(c.type)).map((c) => c.name);

  for (const name of Object.keys(written)) {
    const bound = bounded.get(name)!;
    const at = ctx.locate(['zones', 'synthetic', 'privacy', 'bounds', name], 'key');
    const column = ctx.columns.get(name);
    if (column === undefined || !rangeColumns.includes(name)) {
      out.push(
        error(
          at,
          'synthetic-bounds-column',
          column === undefined
            ? `zones.synthetic.privacy.bounds names "${name}", which is not a declared column`
            : `zones.synthetic.privacy.bounds names "${name}", which is not a released number or date (${column.class}, ${column.type}${column.deidentified.kind === 'drop' ? ', dropped' : ''})`,
          suggestionFix(name, rangeColumns, 'released number and date columns'),
        ),
      );
      continue;
    }
    const where = ctx.locate(['zones', 'synthetic', 'privacy', 'bounds', name]);
    const dated = isDateType(column.type) && bound.after === undefined;
    const ok = (v: number | string) => (dated ? typeof v === 'string' && DAY.test(v) : typeof v === 'number' && Number.isFinite(v));
    if (!ok(bound.min) || !ok(bound.max) || !(bound.min < bound.max)) {
      out.push(
        error(
          where,
          'synthetic-bounds-value',
          `zones.synthetic.privacy.bounds.${name} must have min < max, ${dated ? 'both dates (YYYY-MM-DD)' : bound.after ? 'both numbers of days' : 'both numbers'}; got ${String(bound.min)} and ${String(bound.max)}`,
          dated ? `e.g. ${name}: { min: 2020-01-01, max: 2026-12-31 }` : `e.g. ${name}: { min: 0, max: 100 }`,
        ),
      );
    }
    if (bound.after !== undefined) {
      const anchor = ctx.columns.get(bound.after);
      const anchorBound = bounded.get(bound.after);
      if (anchor === undefined || anchor.type !== column.type || anchorBound === undefined || anchorBound.after !== undefined) {
        out.push(
          error(
            where,
            'synthetic-bounds-after',
            `zones.synthetic.privacy.bounds.${name}.after is "${bound.after}": it must name a ${column.type} column with bounds of its own, not itself bounded after another`,
            `bound "${bound.after}" with min and max dates, or remove after`,
          ),
        );
      }
    }
  }
  for (const name of rangeColumns) {
    if (bounded.has(name)) continue;
    const column = ctx.columns.get(name)!;
    out.push(
      error(
        ctx.locate(['zones', 'synthetic', 'privacy']),
        'synthetic-bounds-missing',
        `zones.synthetic.privacy is set, and "${name}" (${column.type}) is released with no public range: the private synthesizer cannot model it without looking at the data`,
        `add bounds: { ${name}: ${isDateType(column.type) ? '{ min: 2020-01-01, max: 2026-12-31 }' : '{ min: 0, max: 100 }'} } under zones.synthetic.privacy, or drop the column from the deidentified (and so synthetic) zone`,
      ),
    );
  }
  return out;
}
