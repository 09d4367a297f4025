/**
 * The candidate closest to `word` by edit distance, when close enough to be a typo (at most a
 * third of the candidate's length, at least 1) or an abbreviation (`int` for `integer`);
 * otherwise undefined. Case is ignored.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const distance = editDistance(lower, other);
    const abbreviation = lower.length >= 3 && other.startsWith(lower);
    if (distance < bestDistance && (abbreviation || distance <= Math.max(1, Math.floor(candidate.length / 3)))) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A fix text: "did you mean" when a candidate is close, else the list of what is allowed. */
export function suggestionFix(word: string, candidates: readonly string[], what: string): string {
  const match = closestMatch(word, candidates);
  const list = candidates.map((c) => `"${c}"`).join(', ');
  if (match !== undefined) return `did you mean "${match}"? ${capitalize(what)}: ${list}`;
  return candidates.length === 0 ? `remove it` : `use one of the ${what}: ${list}`;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`mni` → `min`). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
