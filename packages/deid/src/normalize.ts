import { AirlockError } from '@airlock/core';

/**
 * The form of a value that tokens, surrogates and the vault see: Unicode NFC, trimmed, runs of
 * whitespace collapsed to one space, and lower-cased when `caseFold` is set. Two spellings of the
 * same identifier (`"Ann  Lee "`, `"Ann Lee"`) must give the same token, or joins silently miss.
 */
export function normalizeValue(value: string, caseFold: boolean): string {
  const collapsed = value.normalize('NFC').trim().replace(/\s+/gu, ' ');
  // toLowerCase() is locale-independent (unlike toLocaleLowerCase), so tokens match on every host.
  return caseFold ? collapsed.toLowerCase() : collapsed;
}

/**
 * Checks a token or vault domain: non-empty and without NUL, which separates the domain from the
 * value in MAC and AAD inputs. Throws `BAD_REQUEST` otherwise.
 */
export function assertDomain(domain: string): void {
  if (domain.length === 0 || domain.includes('\0')) {
    throw new AirlockError('BAD_REQUEST', 'a token domain must be a non-empty name without NUL characters; fix the policy');
  }
}
