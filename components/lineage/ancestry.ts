// Pure: the chain of sessions from the lineage's origin down to one member, for breadcrumbs.

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
