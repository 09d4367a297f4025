import { createRng } from '@airlock/core';
import type { Rng } from '@airlock/core';
import { en } from '@faker-js/faker';
import type { FakeKind } from './types.ts';

const FIRST_NAMES: readonly string[] = en.person?.first_name?.generic ?? ['Alex'];
const LAST_NAMES: readonly string[] = en.person?.last_name?.generic ?? ['Doe'];

/**
 * A seeded source of fake identifiers of one kind. Names come from faker's English name lists,
 * picked with Airlock's seeded RNG (faster than faker's own calls, and reproducible). The other
 * kinds are built so they cannot be a real value:
 * - email: at `example.invalid` (RFC 2606 reserves `.invalid`; no real mailbox lives there);
 * - ssn: area 900–999, never issued as a Social Security number;
 * - mrn: prefix `SYN`;
 * - token: prefix `syn_` (real tokens start `tk1_`);
 * - id: prefix `syn-`.
 * Names can coincide with a real person's name by chance; the pipeline redraws any fake that
 * equals a real value of the column (see `SampleOptions.avoid`).
 */
export function fakeSource(kind: FakeKind, seed: string): () => string {
  const rng = createRng(seed);
  switch (kind) {
    case 'name':
      return () => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    case 'email':
      return () => `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}${rng.int(1000)}@example.invalid`.toLowerCase().replace(/[^a-z0-9.@-]/g, '');
    case 'ssn':
      return () => `9${digits(rng, 2)}-${digits(rng, 2)}-${digits(rng, 4)}`;
    case 'mrn':
      return () => `SYN${digits(rng, 8)}`;
    case 'token':
      return () => `syn_${hex(rng, 24)}`;
    case 'id':
      return () => `syn-${hex(rng, 16)}`;
  }
}

function digits(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(rng.int(10));
  return out;
}

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += rng.int(16).toString(16);
  return out;
}

/** A fake kind guessed from an identifier column's name (`email`, `ssn`, `mrn`, `name`, `token`), else `id`. */
export function fakeKindFromName(columnName: string): FakeKind {
  const name = columnName.toLowerCase();
  if (name.includes('email') || name.includes('e_mail') || name.includes('mail')) return 'email';
  if (/(^|_|\b)ssn($|_|\b)|social_security/.test(name)) return 'ssn';
  if (/(^|_|\b)mrn($|_|\b)|medical_record/.test(name)) return 'mrn';
  if (name.includes('token')) return 'token';
  if (/(^|_)(id|key|number|no)$/.test(name)) return 'id';
  if (name.includes('name')) return 'name';
  return 'id';
}
