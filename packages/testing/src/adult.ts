import { readFileSync } from 'node:fs';
import { ADULT_CSV } from './policies.ts';

/**
 * UCI Adult from the shared data folder as row objects: `;`-separated, header first, no quoted
 * fields; `age` is a number, every other column text. For tests and benchmarks.
 */
export function readAdultRows(file = ADULT_CSV): Array<Record<string, string | number>> {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  const header = lines[0]!.split(';');
  return lines.slice(1).map((line) => {
    const cells = line.split(';');
    return Object.fromEntries(header.map((name, i) => [name, name === 'age' ? Number(cells[i]) : cells[i]!]));
  });
}
