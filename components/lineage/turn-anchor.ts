// One address for "turn N of the root session's conversation", the same in both views: the
// archived view renders it as an element id (a plain anchor, no script), the live view reads it
// from the hash and scrolls its virtualized list there.

export const turnAnchor = (index: number) => `turn-${index}`;

/** The turn a location hash names, if any. */
export function turnOfHash(hash: string): number | undefined {
  const match = /^#turn-(\d+)$/.exec(hash);
  return match ? Number(match[1]) : undefined;
}
