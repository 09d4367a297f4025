import { error, isDateType, isNumericType, transformPosition, type CheckContext } from './check-context.ts';
import { ROW_SUBJECT, type ColumnPolicy, type ColumnType, type DeidTransform, type PolicyProblem } from './model.ts';
import { suggestionFix } from './suggest.ts';

/** The column types each transform can take; keep and drop take any. */
const TRANSFORM_TYPES: Readonly<Record<DeidTransform['kind'], readonly ColumnType[] | undefined>> = {
  keep: undefined,
  drop: undefined,
  // A float is no one's id; integer ids (numeric MRNs) are common.
  tokenize: ['string', 'integer'],
  surrogate: ['string', 'integer'],
  generalize: ['date', 'timestamp'],
  shift: ['date', 'timestamp'],
  age: ['date', 'timestamp'],
  truncate: ['string'],
  bucket: ['integer', 'number'],
  clamp: ['integer', 'number'],
  grid: ['number'],
};

/** Transforms that cut the link between an identifier and the person. */
const IDENTIFIER_TRANSFORMS: ReadonlySet<DeidTransform['kind']> = new Set(['drop', 'tokenize', 'surrogate']);

/** Per-column checks: transforms fit the type, identifiers are protected, ages refer to a date. */
export function checkColumns(ctx: CheckContext): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  for (const column of ctx.policy.columns) {
    out.push(...checkTransformType(ctx, column), ...checkIdentifier(ctx, column), ...checkAgeAt(ctx, column));
    if (column.class === 'measure' && !isNumericType(column.type)) {
      out.push(
        error(
          ctx.locate(['columns', column.name, 'class']),
          'measure-type',
          `column "${column.name}" has class measure but type ${column.type}; measures are summed and averaged, so they are numbers`,
          'set type: integer or number, or choose another class (attribute for categories)',
        ),
      );
    }
    if (column.values !== undefined && column.type !== 'string') {
      out.push(
        error(
          ctx.locate(['columns', column.name, 'values']),
          'values-type',
          `column "${column.name}" lists values but has type ${column.type}; value lists declare the categories of a string column`,
          'remove values, or set type: string',
        ),
      );
    }
  }
  return out;
}

/**
 * The subject is how deidentified rows and aggregate cells are counted by person, so it must
 * survive deidentification as a stable pseudonym: a token or a surrogate.
 */
export function checkSubject(ctx: CheckContext): PolicyProblem[] {
  const { subject } = ctx.policy;
  if (subject === ROW_SUBJECT) return [];
  const column = ctx.columns.get(subject);
  if (column === undefined) {
    return [
      error(
        ctx.locate(['subject']),
        'unknown-subject',
        `subject "${subject}" is not a declared column`,
        `${suggestionFix(subject, subjectCandidates(ctx), 'identifier columns')}; or write subject: ${ROW_SUBJECT} when each row is its own person`,
      ),
    ];
  }
  const out: PolicyProblem[] = [];
  if (column.class !== 'identifier') {
    out.push(
      error(
        ctx.locate(['columns', subject, 'class']),
        'subject-class',
        `subject column "${subject}" has class ${column.class}, but the column that names a person is an identifier`,
        'set class: identifier (and tokenize it or replace it with a surrogate)',
      ),
    );
  }
  const kind = column.deidentified.kind;
  // A kept identifier is already reported by the identifier check; one message per mistake.
  const reportedElsewhere = kind === 'keep' && column.class === 'identifier';
  if (kind !== 'tokenize' && kind !== 'surrogate' && !reportedElsewhere) {
    out.push(
      error(
        transformPosition(ctx, column),
        'subject-transform',
        kind === 'drop'
          ? `subject column "${subject}" is dropped, so deidentified rows could not be counted by person`
          : `subject column "${subject}" uses ${kind} in the deidentified zone; it must stay a stable pseudonym so rows can be counted by person`,
        `use { tokenize: { domain: ${subject} } } or { surrogate: { domain: ${subject} } }`,
      ),
    );
  }
  return out;
}

function subjectCandidates(ctx: CheckContext): string[] {
  const identifiers = ctx.policy.columns.filter((c) => c.class === 'identifier').map((c) => c.name);
  return identifiers.length > 0 ? identifiers : [...ctx.columns.keys()];
}

function checkTransformType(ctx: CheckContext, column: ColumnPolicy): PolicyProblem[] {
  const kind = column.deidentified.kind;
  const fits = TRANSFORM_TYPES[kind];
  if (fits === undefined || fits.includes(column.type)) return [];
  const alternatives = (Object.keys(TRANSFORM_TYPES) as DeidTransform['kind'][]).filter((k) => TRANSFORM_TYPES[k]?.includes(column.type) ?? true);
  return [
    error(
      transformPosition(ctx, column),
      'transform-type',
      `column "${column.name}" has type ${column.type}, but ${kind} applies to ${fits.join(' or ')} columns`,
      `use a transform for ${column.type} columns (${alternatives.join(', ')}), or correct the column's type`,
    ),
  ];
}

function checkIdentifier(ctx: CheckContext, column: ColumnPolicy): PolicyProblem[] {
  if (column.class !== 'identifier' || IDENTIFIER_TRANSFORMS.has(column.deidentified.kind)) return [];
  const implicit = ctx.file.columns[column.name]?.deidentified === undefined;
  const kind = column.deidentified.kind;
  return [
    error(
      transformPosition(ctx, column),
      kind === 'keep' ? 'identifier-kept' : 'identifier-transform',
      kind === 'keep'
        ? `identifier column "${column.name}" is ${implicit ? 'kept (no deidentified transform)' : 'kept'} in the deidentified zone`
        : `identifier column "${column.name}" uses ${kind}; a partial identifier still points at a person`,
      `write deidentified: drop, { tokenize: { domain: ${column.name} } } or { surrogate: { domain: ${column.name} } }`,
    ),
  ];
}

function checkAgeAt(ctx: CheckContext, column: ColumnPolicy): PolicyProblem[] {
  const transform = column.deidentified;
  if (transform.kind !== 'age' || transform.at === undefined) return [];
  const at = ctx.locate(['columns', column.name, 'deidentified', 'age_at']);
  const reference = ctx.columns.get(transform.at);
  const dates = ctx.policy.columns.filter((c) => isDateType(c.type) && c.name !== column.name).map((c) => c.name);
  if (reference === undefined) {
    return [error(at, 'age-at', `age_at of column "${column.name}" names "${transform.at}", which is not a declared column`, suggestionFix(transform.at, dates, 'date columns'))];
  }
  if (reference.name === column.name) {
    return [error(at, 'age-at', `age_at of column "${column.name}" names the column itself, so every age would be 0`, `name the date the age is measured at (${dates.join(', ') || 'declare one'})`)];
  }
  if (!isDateType(reference.type)) {
    return [
      error(
        at,
        'age-at',
        `age_at of column "${column.name}" names "${transform.at}", a ${reference.type} column; an age is measured at a date`,
        dates.length > 0 ? `name a date or timestamp column: ${dates.join(', ')}` : 'name a date or timestamp column, or drop age_at to measure ages at the ingest date',
      ),
    ];
  }
  return [];
}
