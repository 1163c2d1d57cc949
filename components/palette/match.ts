// How well a name matches what was typed: lower is better, null is no match. A plain
// case-insensitive substring, like the server's title search, so the two never disagree on
// what matches; only the order is the palette's own.

export const MATCH = { exact: 0, prefix: 1, wordStart: 2, inside: 3 } as const;

export function matchScore(name: string, query: string): number | null {
  const text = name.toLocaleLowerCase();
  const q = query.trim().toLocaleLowerCase();
  if (text === q) return MATCH.exact;
  if (text.startsWith(q)) return MATCH.prefix;
  let inside = false;
  for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + 1)) {
    if (!/[\p{L}\p{N}]/u.test(text[at - 1]!)) return MATCH.wordStart;
    inside = true;
  }
  return inside ? MATCH.inside : null;
}
