import type { Span } from "./types";

/**
 * One row of the waterfall. Lanes are in depth-first order (a span, then its children by start
 * time, each followed by its own descendants), so a span's descendants are exactly the lanes
 * from its index + 1 up to `end`: collapsing, filtering and "next failure" skip a whole subtree
 * in one step instead of walking it.
 */
export type Lane = {
  span: Span;
  depth: number;
  /** The index of the parent's lane, -1 for a root. */
  parent: number;
  /** One past the index of the last descendant. */
  end: number;
};

const byStart = (a: Span, b: Span) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The lanes of a flat span list. A span whose parent is not (yet) in the list is drawn as a root,
 * so a page that arrives before its parent's (or a live upsert that does) still shows; it moves
 * under its parent once that arrives. O(n log n), no recursion (trees are deep enough to matter).
 */
export function layoutLanes(spans: readonly Span[]): Lane[] {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parentId !== null && span.parentId !== span.id && ids.has(span.parentId)) {
      const list = children.get(span.parentId);
      if (list) list.push(span);
      else children.set(span.parentId, [span]);
    } else roots.push(span);
  }
  for (const list of children.values()) list.sort(byStart);
  roots.sort(byStart);

  const lanes: Lane[] = [];
  const placed = new Set<string>();
  const visit = (root: Span) => {
    // Stack of [span, parent lane index]; children pushed in reverse so the earliest pops first.
    const stack: [Span, number][] = [[root, -1]];
    const open: number[] = [];
    while (stack.length) {
      const [span, parent] = stack.pop()!;
      if (placed.has(span.id)) continue;
      placed.add(span.id);
      // Close the lanes this one is not under: their subtrees ended before it.
      while (open.length && open.at(-1) !== parent) lanes[open.pop()!]!.end = lanes.length;
      const index = lanes.length;
      lanes.push({ span, depth: parent < 0 ? 0 : lanes[parent]!.depth + 1, parent, end: index + 1 });
      open.push(index);
      const kids = children.get(span.id);
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, index]);
    }
    while (open.length) lanes[open.pop()!]!.end = lanes.length;
  };
  for (const root of roots) visit(root);
  // Spans caught in a parent cycle (bad data) are never reached from a root: show them anyway.
  for (const span of [...spans].sort(byStart)) if (!placed.has(span.id)) visit(span);
  return lanes;
}

/**
 * The lanes shown: every lane, minus the descendants of collapsed spans and the lanes a filter
 * leaves out (`keep`: null shows all; a span not kept has no kept descendant, see filters.ts).
 * Returns lane indexes.
 */
export function visibleLanes(lanes: readonly Lane[], collapsed: ReadonlySet<string>, keep: ReadonlySet<string> | null = null): number[] {
  const shown: number[] = [];
  for (let i = 0; i < lanes.length; ) {
    const lane = lanes[i]!;
    if (keep && !keep.has(lane.span.id)) {
      i = lane.end;
      continue;
    }
    shown.push(i);
    i = collapsed.has(lane.span.id) ? lane.end : i + 1;
  }
  return shown;
}

/** The number of descendants of a lane (what a collapsed row says it hides). */
export function descendantCount(lanes: readonly Lane[], index: number): number {
  return lanes[index]!.end - index - 1;
}

/** The ids of a lane's ancestors, nearest first. */
export function ancestorIds(lanes: readonly Lane[], index: number): string[] {
  const ids: string[] = [];
  for (let p = lanes[index]!.parent; p >= 0; p = lanes[p]!.parent) ids.push(lanes[p]!.span.id);
  return ids;
}

/** The collapsed set with every ancestor of a lane expanded, so that lane shows. */
export function revealLane(lanes: readonly Lane[], index: number, collapsed: ReadonlySet<string>): ReadonlySet<string> {
  const hidden = ancestorIds(lanes, index).filter((id) => collapsed.has(id));
  if (!hidden.length) return collapsed;
  const next = new Set(collapsed);
  for (const id of hidden) next.delete(id);
  return next;
}

/** Index of each span's lane, for lookups by id (selection, critical path, summary clicks). */
export function laneIndex(lanes: readonly Lane[]): Map<string, number> {
  return new Map(lanes.map((lane, i) => [lane.span.id, i]));
}
