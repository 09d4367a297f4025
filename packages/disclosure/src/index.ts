/*
 * @airlock/disclosure — statistical disclosure control for aggregate responses: small-cell
 * suppression with complementary suppression proven by exact linear algebra, the margins an
 * attacker can combine with a response, and the release rule for minima and maxima. Pure code.
 */
export { suppressCells } from './suppress.ts';
export type { CellStatus, SuppressionCell, SuppressionInput, SuppressionMargin, SuppressionResult } from './suppress.ts';
export { determinedUnknowns } from './elimination.ts';
export { marginId, standardMargins } from './margins.ts';
export type { CubeCellKey, MarginKey, StandardMargin, StandardMarginOptions } from './margins.ts';
export { minMaxReleasable } from './min-max.ts';
