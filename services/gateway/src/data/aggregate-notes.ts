import type { DateGrain } from '@airlock/core';
import type { AlignedWindow } from '@airlock/privacy';

/**
 * Everything a note may be built from: the query, the policy, and the released answer (how many
 * cells it shows and how many of them are suppressed, both visible in the answer itself). There is
 * deliberately no field for the true figures: a note is post-processing of the release, so it
 * cannot tell more than the answer already does — not which cell held how many people, not how
 * many people or groups were held back.
 */
export interface NotesInput {
  exact: boolean;
  window: AlignedWindow | null;
  groupBy: readonly string[];
  /** Columns filtered on (where) but not grouped by: dropping such a filter puts more people in each cell. */
  filteredOnly: readonly string[];
  /** The next grain coarser than the bucket grain that the policy allows; null if none or no bucket. */
  coarserGrain: DateGrain | null;
  /** Dimensions whose group keys come from the data (partition selection), and "period" for an open window. */
  fromData: readonly string[];
  /** Noisy subjects a cell needs to be shown, and the policy's minCount. */
  threshold: number;
  minCount: number;
  /** What the answer shows; null for an estimate, before anything is released. */
  released: { cells: number; suppressed: number; cached: boolean } | null;
}

/** Plain sentences about how the answer was shaped: widened windows, suppression, hidden groups. */
export function aggregateNotes(input: NotesInput): string[] {
  const notes: string[] = [];
  const { window } = input;
  // From the query and the policy: where the window's bounds moved and why.
  if (window?.explanation) notes.push(window.widened ? `The window was widened: ${window.explanation}` : window.explanation);
  if (input.exact) {
    notes.push('Exact figures (steward access): no noise, nothing suppressed, no privacy budget spent.');
    return notes;
  }
  const released = input.released;
  // From the answer: the count of cells marked suppressed, which the caller can count in `cells`;
  // the rule (the threshold) is the policy's; the advice depends on the query's shape only.
  if (released && released.suppressed > 0) {
    const one = released.suppressed === 1;
    const which = released.cells === 1 ? 'The one cell is' : released.suppressed === released.cells ? `All ${released.cells} cells are` : `${released.suppressed} of ${released.cells} ${released.cells === 1 ? 'cell' : 'cells'} ${one ? 'is' : 'are'}`;
    const rule = input.threshold === input.minCount ? `minCount (${input.minCount})` : `the threshold of ${input.threshold} (partition selection)`;
    notes.push(
      `${which} suppressed: ${one ? 'its' : 'their'} noisy count of subjects was below ${rule}, so ${one ? 'it shows' : 'they show'} no figures. ` +
        `A suppressed cell looks the same whether it holds nobody or a few people. ${moreCoverage(input)}`.trimEnd(),
    );
  }
  // From the query and the plan: which keys come from the data, and the threshold a group needs.
  if (input.fromData.length) {
    const dims = input.fromData.filter((d) => d !== 'period');
    const fixes: string[] = [];
    if (dims.length) fixes.push(`listing the ${joinAnd(dims)} values you want in where returns every one of them, shown or suppressed`);
    if (input.fromData.includes('period')) fixes.push('giving from and to returns every period of the window');
    notes.push(
      `Groups of ${joinAnd(input.fromData.map((d) => (d === 'period' ? 'periods' : d)))} come from the data: a group is shown only when its noisy count of subjects reaches ${input.threshold}, ` +
        `and the people in groups not shown are counted, with noise, in other. ${capitalize(fixes.join('; '))}.`,
    );
  }
  if (released?.cached) notes.push('This question was answered before: the same answer, at no new cost.');
  return notes;
}

/** Changes to the query's shape that put more people in each cell. */
function moreCoverage(input: NotesInput): string {
  const ways: string[] = [];
  if (input.coarserGrain) ways.push(`a coarser grain (${input.coarserGrain})`);
  if (input.groupBy.length) ways.push(input.groupBy.length === 1 ? `not grouping by ${input.groupBy[0]}` : `fewer dimensions than ${input.groupBy.join(' × ')}`);
  if (input.filteredOnly.length) ways.push(`no filter on ${joinAnd(input.filteredOnly)}`);
  if (!ways.length && input.window && (input.window.from !== null || input.window.to !== null)) ways.push('a longer window');
  return ways.length ? `${capitalize(joinOr(ways))} puts more people in each cell.` : '';
}

function joinAnd(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
}

function joinOr(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
