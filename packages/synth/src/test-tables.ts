import { createRng } from '@airlock/core';
import type { SynthColumn, SynthRow, SynthTable } from './types.ts';

/**
 * A made-up patient table for tests: identifiers of every fake kind, a category with a few rare
 * values, correlated numbers, a date, a timestamp, a boolean label that depends on the others,
 * and some nulls. Not for production code (not exported from the package entry).
 */
export function patientTable(rows: number, seed: number | string = 1): SynthTable {
  const rng = createRng(seed);
  const columns: SynthColumn[] = [
    { name: 'patient_id', kind: 'identifier', fake: 'token' },
    { name: 'name', kind: 'identifier', fake: 'name' },
    { name: 'email', kind: 'identifier', fake: 'email' },
    { name: 'ssn', kind: 'identifier', fake: 'ssn' },
    { name: 'mrn', kind: 'identifier', fake: 'mrn' },
    { name: 'visit_id', kind: 'identifier', fake: 'id' },
    { name: 'ward', kind: 'categorical' },
    { name: 'age', kind: 'integer' },
    { name: 'cost', kind: 'numeric' },
    { name: 'admitted', kind: 'date' },
    { name: 'discharged', kind: 'date' },
    { name: 'seen_at', kind: 'timestamp' },
    { name: 'smoker', kind: 'boolean' },
    { name: 'readmitted', kind: 'boolean' },
  ];
  const wards = ['cardio', 'cardio', 'cardio', 'ortho', 'ortho', 'neuro'];
  const out: SynthRow[] = [];
  for (let i = 0; i < rows; i++) {
    // Every 50th row gets a one-off ward: these must be folded, never modelled.
    const ward = i % 50 === 7 ? `rare-ward-${i}` : rng.pick(wards);
    const age = Math.min(95, Math.max(18, Math.round(55 + 15 * rng.normal())));
    const smoker = rng.next() < 0.3;
    const cost = Math.round((1000 + age * 80 + (ward === 'cardio' ? 1500 : 0) + 400 * rng.normal()) * 100) / 100;
    const day = 19_700 + rng.int(365);
    const risk = (ward === 'cardio' ? 1.2 : -0.5) + (age - 55) / 15 + (smoker ? 0.8 : 0) - 1;
    out.push({
      patient_id: `tk1_${i.toString(16).padStart(8, '0')}`,
      name: `Realperson${i} Surname${i % 97}`,
      email: `real${i}@hospital.example.com`,
      ssn: `123-45-${String(i).padStart(4, '0')}`,
      mrn: `MRN${String(i).padStart(7, '0')}`,
      visit_id: `V-${i}`,
      ward,
      age: rng.next() < 0.05 ? null : age,
      cost,
      admitted: new Date(day * 86_400_000).toISOString().slice(0, 10),
      // Never before admission; empty while the patient is still in.
      discharged: rng.next() < 0.03 ? null : new Date((day + rng.int(10) + (ward === 'cardio' ? 3 : 0)) * 86_400_000).toISOString().slice(0, 10),
      seen_at: new Date(day * 86_400_000 + rng.int(86_400) * 1000).toISOString(),
      smoker,
      readmitted: rng.next() < 1 / (1 + Math.exp(-risk)),
    });
  }
  return { columns, rows: out };
}
