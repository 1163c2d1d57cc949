// Parent links of opencode sessions, learned from session info (parentID) and from task tool
// parts (state.metadata.sessionId). Resolves any session to the root of its tree, or to
// nothing while the chain up to a known root has a gap: roots are never guessed.
//
// A link, once known, never changes: events already went out keyed by the root it implied,
// so a later contradicting claim (or one that would make a cycle) is refused.

const ROOT = null;

// new: learned now; known: already known, same link; conflict: contradicts what is known.
export type LinkOutcome = "new" | "known" | "conflict";

export class SessionTree {
  // child -> parent; ROOT marks a session known to have no parent.
  private readonly parents = new Map<string, string | typeof ROOT>();

  /** From session info: `parentId` null means the session is a root. */
  observe(sessionId: string, parentId: string | null): LinkOutcome {
    return parentId === null ? this.setParent(sessionId, ROOT) : this.link(sessionId, parentId);
  }

  /** childId was spawned by parentId. */
  link(childId: string, parentId: string): LinkOutcome {
    if (this.parents.get(childId) === parentId) return "known";
    if (childId === parentId || this.isAncestor(childId, parentId)) return "conflict";
    return this.setParent(childId, parentId);
  }

  parentOf(sessionId: string): string | null | undefined {
    return this.parents.get(sessionId);
  }

  /** The root of the session's tree, or undefined while some link up the chain is unknown. */
  rootOf(sessionId: string): string | undefined {
    let current = sessionId;
    // link() refuses cycles; the bound is a second line of defense, never expected to trip.
    for (let hops = 0; hops <= this.parents.size; hops++) {
      const parent = this.parents.get(current);
      if (parent === undefined) return undefined;
      if (parent === ROOT) return current;
      current = parent;
    }
    return undefined;
  }

  /** Every session known to belong to the tree of rootId, the root included. */
  membersOf(rootId: string): string[] {
    return [...this.parents.keys()].filter((id) => this.rootOf(id) === rootId);
  }

  forget(sessionIds: Iterable<string>): void {
    for (const id of sessionIds) this.parents.delete(id);
  }

  private setParent(sessionId: string, parent: string | typeof ROOT): LinkOutcome {
    const known = this.parents.get(sessionId);
    if (known !== undefined) return known === parent ? "known" : "conflict";
    this.parents.set(sessionId, parent);
    return "new";
  }

  // Is `candidate` an ancestor of (or equal to) `sessionId`?
  private isAncestor(candidate: string, sessionId: string): boolean {
    let current: string | null | undefined = sessionId;
    for (let hops = 0; current && hops <= this.parents.size; hops++) {
      if (current === candidate) return true;
      current = this.parents.get(current);
    }
    return false;
  }
}
