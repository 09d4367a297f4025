import { AirlockError } from '@airlock/core';
import type { ColumnPolicy, DatasetPolicy, DeidTransform } from '@airlock/policy';
import { ageAt } from './age.ts';
import { generalizeDate } from './date-generalize.ts';
import { shiftDate } from './date-shift.ts';
import type { KeyProvider } from './key-provider.ts';
import { assertDomain, normalizeValue } from './normalize.ts';
import { bucketNumber, clampNumber, gridCoordinate } from './numbers.ts';
import type { SurrogateResolver } from './surrogates.ts';
import { tokenize } from './tokens.ts';
import { TransformError } from './transform-error.ts';
import { sealValue } from './vault-crypto.ts';
import { truncateZip } from './zip.ts';

/**
 * A row for the vault in the restricted zone: the token or surrogate and the value it stands for,
 * sealed with {@link sealValue} in `domain`. The sealed value is the normalized one the token was
 * computed from. A deidentifier emits each token's entry once, the first time it sees it; a token met again
 * by another deidentifier (a later batch) is emitted again, so insert with ON CONFLICT DO NOTHING.
 */
export interface VaultEntry {
  readonly kind: 'token' | 'surrogate';
  readonly domain: string;
  /** The token (`tk…`) or surrogate (`sg_…`) shown in the deidentified zone. */
  readonly token: string;
  readonly sealed: string;
}

export interface DeidentifierOptions {
  /** The clock for ages whose policy names no `at` column; default: the system clock. */
  readonly now?: () => Date;
  /** Key version for tokens, vault entries and date shifts; default: the keyring's current one. */
  readonly keyVersion?: number;
  /** Required when a column uses the `surrogate` transform. */
  readonly surrogates?: SurrogateResolver;
}

export interface RowContext {
  /** Identifies the row's subject for per-subject date shifts (e.g. the subject column's value). */
  readonly subjectKey: string;
}

export interface DeidentifiedRow {
  /** The deidentified row: policy columns in policy order, dropped ones omitted. */
  readonly row: Record<string, unknown>;
  /** Vault rows to write for reversible tokens and newly minted surrogates. */
  readonly vault: VaultEntry[];
}

export interface Deidentifier {
  /**
   * Applies each column's `deidentified` transform to a row typed by the ingest (ISO strings for
   * dates and timestamps, numbers, booleans, null; a missing column counts as null). Keys the
   * policy does not declare are left out. Throws {@link TransformError} naming the column for a
   * value the transform cannot take; the ingest rejects the row.
   */
  deidentifyRow(row: Readonly<Record<string, unknown>>, ctx: RowContext): DeidentifiedRow;
}

type ColumnStep = (value: unknown, row: Readonly<Record<string, unknown>>, ctx: RowContext, vault: VaultEntry[]) => unknown;

/**
 * Builds the row transform of a dataset policy. Checks the policy's transform parameters, the key
 * version and the surrogate resolver up front, so a bad setup fails once here rather than on every
 * row: throws `POLICY_INVALID` (naming the policy file and line), `KEYRING_INVALID`, or `INTERNAL`
 * when a surrogate column has no resolver.
 */
export function createDeidentifier(policy: DatasetPolicy, keys: KeyProvider, options: DeidentifierOptions = {}): Deidentifier {
  const version = options.keyVersion ?? keys.currentVersion();
  for (const purpose of ['token', 'vault', 'shift'] as const) keys.key(version, purpose);
  const now = options.now ?? (() => new Date());
  const declared = new Set(policy.columns.map((column) => column.name));

  const steps: [string, ColumnStep][] = [];
  for (const column of policy.columns) {
    checkTransform(policy, column, declared, keys, options);
    const step = compileStep(column.deidentified, { keys, version, now, surrogates: options.surrogates });
    if (step !== undefined) steps.push([column.name, step]);
  }

  return {
    deidentifyRow(row, ctx) {
      // Built from the policy's columns only: a key the policy does not declare never reaches the
      // deidentified zone (default deny).
      const out: Record<string, unknown> = {};
      const vault: VaultEntry[] = [];
      for (const [name, step] of steps) {
        try {
          out[name] = step(cell(row, name), row, ctx, vault);
        } catch (error) {
          if (error instanceof TransformError && error.column === undefined) {
            throw new TransformError({ column: name, reason: error.reason }, { cause: error });
          }
          throw error;
        }
      }
      return { row: out, vault };
    },
  };
}

interface StepContext {
  readonly keys: KeyProvider;
  readonly version: number;
  readonly now: () => Date;
  readonly surrogates: SurrogateResolver | undefined;
}

/** The function for one column, or undefined for a dropped one. Null passes through every step. */
function compileStep(transform: DeidTransform, c: StepContext): ColumnStep | undefined {
  switch (transform.kind) {
    case 'drop':
      return undefined;
    case 'keep':
      return (value) => value;
    case 'tokenize': {
      const spec = { domain: transform.domain, caseFold: transform.caseFold };
      // The same person recurs across rows: one HMAC and one seal per distinct value for the life
      // of this deidentifier (the ingest makes one per batch, so the memory stays bounded).
      const tokens = new Map<string, string>();
      const sealed = new Set<string>();
      return (value, _row, _ctx, vault) => {
        if (value === null) return null;
        const text = asText(value);
        let token = tokens.get(text);
        if (token === undefined) {
          token = tokenize(c.keys, spec, text, c.version);
          tokens.set(text, token);
        }
        if (transform.reversible && !sealed.has(token)) {
          sealed.add(token);
          vault.push({ kind: 'token', domain: spec.domain, token, sealed: sealValue(c.keys, spec.domain, normalizeValue(text, spec.caseFold), c.version) });
        }
        return token;
      };
    }
    case 'surrogate': {
      const resolver = c.surrogates;
      if (resolver === undefined) return undefined; // unreachable: checkTransform requires one
      return (value, _row, _ctx, vault) => {
        if (value === null) return null;
        const normalized = normalizeValue(asText(value), false);
        const { surrogate, created } = resolver.surrogateFor(transform.domain, normalized);
        if (created) {
          const sealed = sealValue(c.keys, transform.domain, normalized, c.version);
          vault.push({ kind: 'surrogate', domain: transform.domain, token: surrogate, sealed });
        }
        return surrogate;
      };
    }
    case 'generalize':
      return (value) => generalizeDate(asDateText(value), transform.grain);
    case 'shift':
      return (value, _row, ctx) => shiftDate(c.keys, ctx.subjectKey, asDateText(value), transform.maxDays, c.version);
    case 'age': {
      const at = transform.at;
      return (value, row) => {
        if (at === undefined) return ageAt(asDateText(value), c.now().toISOString(), transform.topCode);
        let reference: string | null;
        try {
          // Checked first so that a bad reference date is blamed on its own column, not this one.
          reference = generalizeDate(asDateText(cell(row, at)), 'day');
        } catch (error) {
          if (error instanceof TransformError) throw new TransformError({ column: at, reason: error.reason }, { cause: error });
          throw error;
        }
        return ageAt(asDateText(value), reference, transform.topCode);
      };
    }
    case 'truncate':
      return (value) => truncateZip(value === null ? null : asZipText(value), transform.digits, transform.zip3);
    case 'bucket':
      return (value) => bucketNumber(asNumber(value), transform.edges);
    case 'clamp':
      return (value) => clampNumber(asNumber(value), transform.min, transform.max);
    case 'grid':
      return (value) => gridCoordinate(asNumber(value), transform.step);
  }
}

/**
 * Refuses transform parameters the functions would refuse on every row, naming the policy file
 * and line. The policy package validates these too; this guards policies built in code.
 */
function checkTransform(
  policy: DatasetPolicy,
  column: ColumnPolicy,
  declared: ReadonlySet<string>,
  keys: KeyProvider,
  options: DeidentifierOptions,
): void {
  const transform = column.deidentified;
  const where = `${column.position.file}:${column.position.line}: column "${column.name}"`;
  if (transform.kind === 'surrogate' && options.surrogates === undefined) {
    throw new AirlockError('INTERNAL', `${where} uses surrogates; pass options.surrogates to createDeidentifier for dataset "${policy.dataset}"`);
  }
  if (transform.kind === 'age' && transform.at !== undefined && !declared.has(transform.at)) {
    throw new AirlockError('POLICY_INVALID', `${where}: age_at names column "${transform.at}", which dataset "${policy.dataset}" does not declare; name a declared date column`);
  }
  try {
    // Each function checks its parameters before looking at the value, so a null value runs the
    // parameter checks alone.
    switch (transform.kind) {
      case 'tokenize':
      case 'surrogate':
        assertDomain(transform.domain);
        break;
      case 'shift':
        shiftDate(keys, '', null, transform.maxDays);
        break;
      case 'age':
        ageAt(null, null, transform.topCode);
        break;
      case 'truncate':
        truncateZip(null, transform.digits, transform.zip3);
        break;
      case 'bucket':
        bucketNumber(null, transform.edges);
        break;
      case 'clamp':
        clampNumber(null, transform.min, transform.max);
        break;
      case 'grid':
        gridCoordinate(null, transform.step);
        break;
      case 'keep':
      case 'drop':
      case 'generalize':
        break;
    }
  } catch (error) {
    if (error instanceof AirlockError && error.code === 'BAD_REQUEST') {
      throw new AirlockError('POLICY_INVALID', `${where}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * A row's value for a column; missing counts as null. Own keys only, so a column named
 * `constructor` never picks up Object.prototype's.
 */
function cell(row: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(row, name) ? (row[name] ?? null) : null;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new TransformError({ reason: `expected text, got ${describe(value)}` });
}

function asDateText(value: unknown): string | null {
  if (value === null || typeof value === 'string') return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new TransformError({ reason: `expected an ISO date or timestamp string, got ${describe(value)}` });
}

function asZipText(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new TransformError({ reason: `expected a ZIP code as text (a number loses leading zeros), got ${describe(value)}` });
}

function asNumber(value: unknown): number | null {
  if (value === null || typeof value === 'number') return value;
  throw new TransformError({ reason: `expected a number, got ${describe(value)}` });
}

/** The type of a value, never the value: reasons end up in logs (see TransformError). */
function describe(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  return Array.isArray(value) ? 'an array' : typeof value;
}
