import { isNumericType } from './check-context.ts';
import type { ColumnPolicy } from './model.ts';

/** A lint finding before it is placed and checked against the column's `accept:`. */
export interface Lint {
  readonly rule: 'location-coordinates' | 'location-address';
  readonly message: string;
  readonly fix: string;
}

// Name parts that say "coordinate": lat/latitude, lon/lng/long/longitude, and their compounds.
const COORDINATE_PARTS = new Set(['lat', 'latitude', 'lon', 'lng', 'long', 'longitude', 'coord', 'coords', 'coordinates', 'geo', 'gps', 'geolocation']);
// Name parts of a street address or a place finer than a ZIP3 area ('address' and 'street' are
// already safe-harbor-identifier's).
const ADDRESS_PARTS = new Set(['addr', 'road', 'house', 'apartment', 'apt', 'city', 'town', 'village', 'locality', 'county', 'residence', 'home']);

function parts(name: string): string[] {
  return name.toLowerCase().split(/[_-]/u);
}

/**
 * A column whose name says coordinate, published at full precision: one point locates a home to
 * a few metres. Rounded to a grid of 0.01° or coarser, or dropped, it is fine.
 */
export function coordinateLint(column: ColumnPolicy): Lint | undefined {
  if (!parts(column.name).some((p) => COORDINATE_PARTS.has(p))) return undefined;
  const t = column.deidentified;
  if (t.kind === 'drop' || t.kind === 'tokenize' || t.kind === 'surrogate' || t.kind === 'bucket') return undefined;
  if (t.kind === 'grid' && t.step >= 0.01) return undefined;
  const precision = t.kind === 'grid' ? `on a ${t.step}° grid (${Math.round(t.step * 111_000)} m)` : 'at full precision';
  return {
    rule: 'location-coordinates',
    message: `column "${column.name}" looks like a coordinate and the deidentified zone publishes it ${precision}; one point can locate a home to a few metres`,
    fix: `use { grid: 0.01 } (about 1.1 km) or coarser${isNumericType(column.type) ? '' : ' with type: number'}, or drop it; and class it quasi_identifier so the risk model counts it`,
  };
}

/** A column whose name says address or place, kept as it is and not classed as an identifier. */
export function addressLint(column: ColumnPolicy): Lint | undefined {
  if (column.class === 'identifier' || column.deidentified.kind !== 'keep' || column.type !== 'string') return undefined;
  const words = parts(column.name);
  const word = words.find((p) => ADDRESS_PARTS.has(p));
  if (word === undefined || words.includes('address') || words.includes('street')) return undefined;
  return {
    rule: 'location-address',
    message: `column "${column.name}" is kept as free text and its name suggests an address or place (${word}), but its class is ${column.class}`,
    fix: 'drop it, or class it identifier; a place coarser than a ZIP3 area can stay as a quasi_identifier with declared values',
  };
}
