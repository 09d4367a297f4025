import { isDateType, isNumericType, transformPosition, type CheckContext } from './check-context.ts';
import type { ColumnPolicy, PolicyProblem, SourcePosition } from './model.ts';
import { addressLint, coordinateLint } from './location-lints.ts';
import { problem } from './problem.ts';
import { suggestionFix } from './suggest.ts';

/*
 * Lints against the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)). They are warnings: a data
 * owner may deliberately go beyond Safe Harbor under an expert determination (164.514(b)(1)),
 * and then records that choice on the column with `accept: { <rule>: <reason> }`.
 */

/** Lint rule ids a column may list under `accept:`. */
export const LINT_RULES = ['safe-harbor-dates', 'safe-harbor-zip', 'safe-harbor-age', 'safe-harbor-token', 'safe-harbor-identifier', 'location-coordinates', 'location-address'] as const;
/** A lint rule id, e.g. `safe-harbor-dates`. */
export type LintRule = (typeof LINT_RULES)[number];

// Safe Harbor (B): ZIP codes may keep 3 digits only where the ZIP3 area has more than 20,000 people.
const ZIP_NAME = /zip|postal/iu;
const AGE_NAME = /(^|[_-])age([_-]|$)/iu;
// Safe Harbor (C): ages over 89 are aggregated into one category of 90 or older.
const AGE_CAP = 90;
// Words that name the direct identifiers Safe Harbor lists in (A)–(R).
const IDENTIFIER_WORDS = new Set(['name', 'firstname', 'lastname', 'surname', 'email', 'mail', 'phone', 'telephone', 'mobile', 'fax', 'ssn', 'mrn', 'address', 'street', 'ip', 'url', 'license', 'licence', 'passport', 'vin', 'account']);

/** Safe Harbor warnings for each column, minus those the column accepts. */
export function safeHarborLints(ctx: CheckContext): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  // Rows about no one (`about_people: false`): Safe Harbor is about people, so is every lint here.
  if (!ctx.file.about_people) return out;
  for (const column of ctx.policy.columns) {
    const accepted = ctx.file.columns[column.name]?.accept ?? {};
    const at = transformPosition(ctx, column);
    for (const lint of [dateLint(column), zipLint(column), ageLint(column), tokenLint(column), identifierNameLint(column), coordinateLint(column), addressLint(column)]) {
      if (lint !== undefined && !(lint.rule in accepted)) out.push(warning(at, lint));
    }
  }
  return out;
}

/** `accept:` keys must be lint rule ids, so a typo does not leave a warning silently unsilenced. */
export function checkAccepts(ctx: CheckContext): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  for (const [name, column] of Object.entries(ctx.file.columns)) {
    for (const rule of Object.keys(column.accept ?? {})) {
      if (!(LINT_RULES as readonly string[]).includes(rule)) {
        out.push(
          problem('error', ctx.locate(['columns', name, 'accept', rule], 'key'), 'unknown-lint', `columns.${name}.accept names "${rule}", which is not a lint rule`, suggestionFix(rule, LINT_RULES, 'lint rules')),
        );
      }
    }
  }
  return out;
}

interface Lint {
  readonly rule: LintRule;
  readonly message: string;
  readonly fix: string;
}

function warning(at: SourcePosition, lint: Lint): PolicyProblem {
  return problem('warning', at, lint.rule, lint.message, `${lint.fix}; or record why with accept: { ${lint.rule}: "<reason>" } on the column`);
}

function dateLint(column: ColumnPolicy): Lint | undefined {
  if (!isDateType(column.type)) return undefined;
  const t = column.deidentified;
  const rule = 'safe-harbor-dates';
  const safeHarbor = 'HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) removes all elements of dates except the year';
  switch (t.kind) {
    case 'keep':
      return { rule, message: `column "${column.name}" keeps full dates in the deidentified zone; ${safeHarbor}`, fix: 'use { generalize: year }, or drop the column' };
    case 'generalize':
      if (t.grain === 'year') return undefined;
      return {
        rule,
        message: `column "${column.name}" is generalized to ${t.grain}; ${safeHarbor}, so ${t.grain} is a choice beyond Safe Harbor's strict reading that needs an expert determination`,
        fix: 'use { generalize: year } to meet Safe Harbor',
      };
    case 'shift':
      return {
        rule,
        message: `column "${column.name}" is date-shifted; shifting keeps intervals and is an expert-determination method (45 CFR 164.514(b)(1)), not Safe Harbor, which keeps only the year`,
        fix: 'use { generalize: year } to meet Safe Harbor',
      };
    case 'drop':
    case 'tokenize':
    case 'surrogate':
    case 'age':
    case 'truncate':
    case 'bucket':
    case 'clamp':
    case 'grid':
      return undefined;
  }
}

function zipLint(column: ColumnPolicy): Lint | undefined {
  if (!ZIP_NAME.test(column.name) || column.type !== 'string') return undefined;
  const t = column.deidentified;
  const rule = 'safe-harbor-zip';
  const safeHarbor = 'HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) keeps at most the first 3 digits, and 000 for ZIP3 areas of 20,000 people or fewer';
  if (t.kind === 'keep') return { rule, message: `column "${column.name}" keeps full ZIP codes; ${safeHarbor}`, fix: 'use { truncate: 3, zip3: true }' };
  if (t.kind !== 'truncate') return undefined;
  if (t.digits > 3) return { rule, message: `column "${column.name}" keeps ${t.digits} ZIP digits; ${safeHarbor}`, fix: 'use { truncate: 3, zip3: true }' };
  // Below 3 digits a prefix spans many ZIP3 areas; the low-population mapping is about ZIP3.
  if (t.digits === 3 && !t.zip3) return { rule, message: `column "${column.name}" keeps ZIP3 areas of 20,000 people or fewer; ${safeHarbor}`, fix: 'add zip3: true' };
  return undefined;
}

function ageLint(column: ColumnPolicy): Lint | undefined {
  const t = column.deidentified;
  const rule = 'safe-harbor-age';
  const safeHarbor = `HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) reports ages over 89 as one category of ${AGE_CAP} or older`;
  if (t.kind === 'age') {
    if (t.topCode <= AGE_CAP) return undefined;
    return { rule, message: `column "${column.name}" top-codes ages at ${t.topCode}, so ages ${AGE_CAP}–${t.topCode - 1} stay exact; ${safeHarbor}`, fix: `set top_code: ${AGE_CAP}` };
  }
  if (!AGE_NAME.test(column.name) || !isNumericType(column.type)) return undefined;
  switch (t.kind) {
    case 'keep':
      return { rule, message: `column "${column.name}" looks like an age and is kept with ages over 89; ${safeHarbor}`, fix: `use { clamp: { max: ${AGE_CAP} } }` };
    case 'clamp':
      if (t.max !== undefined && t.max <= AGE_CAP) return undefined;
      return { rule, message: `column "${column.name}" looks like an age and is clamped ${t.max === undefined ? 'without a max' : `at ${t.max}`}; ${safeHarbor}`, fix: `set clamp max: ${AGE_CAP}` };
    case 'bucket': {
      const last = t.edges[t.edges.length - 1];
      if (last === undefined || last <= AGE_CAP) return undefined;
      return { rule, message: `column "${column.name}" looks like an age and its last bucket edge is ${last}, above ${AGE_CAP}; ${safeHarbor}`, fix: `end the edges at ${AGE_CAP}` };
    }
    case 'drop':
    case 'tokenize':
    case 'surrogate':
    case 'generalize':
    case 'shift':
    case 'truncate':
    case 'grid':
      return undefined;
  }
}

function tokenLint(column: ColumnPolicy): Lint | undefined {
  const t = column.deidentified;
  if (column.class !== 'identifier' || t.kind !== 'tokenize') return undefined;
  return {
    rule: 'safe-harbor-token',
    message: `identifier column "${column.name}" is tokenized; a keyed token is derived from the identifier, and Safe Harbor's re-identification code rule (45 CFR 164.514(c)) does not accept codes derived from it`,
    fix: `use { surrogate: { domain: ${t.domain} } } to meet Safe Harbor, or keep the token under an expert determination`,
  };
}

function identifierNameLint(column: ColumnPolicy): Lint | undefined {
  if (column.class === 'identifier' || column.deidentified.kind !== 'keep') return undefined;
  const word = column.name.split(/[_-]/u).find((part) => IDENTIFIER_WORDS.has(part));
  if (word === undefined) return undefined;
  return {
    rule: 'safe-harbor-identifier',
    message: `column "${column.name}" is kept and its name suggests a direct identifier (${word}), which Safe Harbor (45 CFR 164.514(b)(2)(i)) removes, but its class is ${column.class}`,
    fix: 'if it names a person, set class: identifier and drop, tokenize or surrogate it',
  };
}
