/**
 * "Did you mean" for a misspelt name: a bot name in a finding or the config, a
 * config key. One implementation for the handler and the deployer; it lives in
 * bots/ because both may import bots/ (DESIGN.md's dependency direction).
 */

/** Levenshtein distance, ignoring case: `optin` is one step from nothing but `optIn`'s case. */
export function editDistance(a: string, b: string): number {
  const [left, right] = [a.toLowerCase(), b.toLowerCase()];
  const row = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    let diagonal = i - 1;
    row[0] = i;
    for (let j = 1; j <= right.length; j++) {
      const above = row[j] ?? 0;
      const substitution = diagonal + (left[i - 1] === right[j - 1] ? 0 : 1);
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, substitution);
      diagonal = above;
    }
  }
  return row[right.length] ?? 0;
}

/** The candidate closest to `name`, when close enough to be a plausible typo (2 edits, or a third of the name). */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** ` Did you mean "x"?` or an empty string, to append to a sentence. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closestMatch(name, candidates);
  return match ? ` Did you mean "${match}"?` : '';
}
