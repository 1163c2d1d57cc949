/** Where the words of a search occur in a text: at word starts, case-insensitive, stems included ("handles" marks "handled"). */
export function matchOffsets(text: string, terms: string[]): Array<[number, number]> {
  const lower = text.toLowerCase();
  const found: Array<[number, number]> = [];
  for (const term of terms.map(stemish)) {
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) {
      if (at > 0 && /[\p{L}\p{N}_]/u.test(lower[at - 1]!)) continue;
      let end = at + term.length;
      while (end < lower.length && /[\p{L}\p{N}_]/u.test(lower[end]!)) end++;
      found.push([at, end]);
    }
  }
  return found.sort((a, b) => a[0] - b[0]);
}

// The search stems words (PostgreSQL's English stemmer); marking by a shorter prefix finds the same forms.
function stemish(term: string): string {
  const stem = term.replace(/(ing|ed|es|s)$/, "");
  return stem.length >= 3 ? stem : term;
}
