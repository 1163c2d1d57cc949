/** "6 matches, the best 5 shown": the tree's count, and how many of them the snippets below hold. */
export function hitsLabel(hits: number, shown: number): string {
  const count = `${hits} match${hits === 1 ? "" : "es"}`;
  return shown < hits ? `${count}, the best ${shown} shown` : count;
}
