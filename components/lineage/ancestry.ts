// Pure: the chain of sessions from the lineage's origin down to one member, for breadcrumbs,
// and where a fork came from.

type Member = { id: string; title: string; parentId: string | null };

/** The ancestors of `id`, origin first, not including `id` itself. */
export function ancestry<T extends Member>(members: readonly T[], id: string): T[] {
  const byId = new Map(members.map((m) => [m.id, m]));
  const chain: T[] = [];
  for (let parent = byId.get(id)?.parentId; parent && parent !== id && !chain.some((m) => m.id === parent); parent = byId.get(parent)?.parentId) {
    const member = byId.get(parent);
    if (!member) break;
    chain.unshift(member);
  }
  return chain;
}

/** Where a fork was made: its source session and the source's turn; undefined for anything else. */
export function forkSourceOf<T extends Member & { relation: string | null; turnIndex: number | null }>(
  members: readonly T[],
  id: string,
): { source: T; turnIndex: number | null } | undefined {
  const member = members.find((m) => m.id === id);
  const source = member?.relation === "fork" ? members.find((m) => m.id === member.parentId) : undefined;
  return source && { source, turnIndex: member!.turnIndex };
}
