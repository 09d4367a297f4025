import { AirlockError } from '@airlock/core';
import { TransformError } from './transform-error.ts';

/**
 * The 17 three-digit ZIP prefixes whose areas held 20,000 or fewer people in the 2000 Census, as
 * listed in HHS's guidance on the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)(i)(B)). Safe
 * Harbor allows the first three ZIP digits only where the area holds more than 20,000 people;
 * these must become `000`.
 */
export const SAFE_HARBOR_RESTRICTED_ZIP3: ReadonlySet<string> = new Set([
  '036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893',
]);

// Five digits, optionally followed by the +4 part with or without a hyphen.
const ZIP = /^(\d{5})(?:-?\d{4})?$/;

/**
 * The first `digits` (1–5) digits of a US ZIP code. Accepts ZIP+4 (`12345-6789`, `123456789`)
 * and surrounding spaces; ZIPs must be strings, since a number has lost its leading zeros. When
 * `zip3` is set and the ZIP3 area is one of {@link SAFE_HARBOR_RESTRICTED_ZIP3}, the kept digits
 * all become 0 (`000` for the usual 3). Below 3 digits the mapping does not apply: a 1- or
 * 2-digit prefix spans many ZIP3 areas and is already coarser. Null and undefined give null.
 *
 * Throws {@link TransformError} for an invalid ZIP, `BAD_REQUEST` when digits is not 1–5.
 */
export function truncateZip(zip: string, digits: number, zip3: boolean): string;
export function truncateZip(zip: string | null | undefined, digits: number, zip3: boolean): string | null;
export function truncateZip(zip: string | null | undefined, digits: number, zip3: boolean): string | null {
  if (!Number.isSafeInteger(digits) || digits < 1 || digits > 5) {
    throw new AirlockError('BAD_REQUEST', `ZIP truncation keeps 1 to 5 digits, got ${String(digits)}; fix the policy`);
  }
  if (zip === null || zip === undefined) return null;
  const five = ZIP.exec(zip.trim())?.[1];
  if (five === undefined) throw new TransformError({ reason: 'not a US ZIP code (5 digits, or ZIP+4)' });
  if (zip3 && digits >= 3 && SAFE_HARBOR_RESTRICTED_ZIP3.has(five.slice(0, 3))) return '0'.repeat(digits);
  return five.slice(0, digits);
}
