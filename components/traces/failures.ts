import type { Lane } from "./lanes";
import type { Span } from "./types";

/** What "Next failure" stops at. Aborted spans were stopped by someone on purpose: not a failure. */
export function isFailure(span: Span): boolean {
  return span.status === "error" || span.status === "interrupted";
}

/**
 * The lane of the next failed span after the selected one in lane order (top to bottom, collapsed
 * rows included: the caller expands the way to it), wrapping around to the top; from the top when
 * nothing is selected. `keep` (a filter's kept spans) limits the search to what the filter shows.
 * Null when there is no failure at all.
 */
export function nextFailure(lanes: readonly Lane[], selectedId: string | null, keep: ReadonlySet<string> | null = null): number | null {
  const n = lanes.length;
  if (!n) return null;
  const from = selectedId === null ? -1 : lanes.findIndex((l) => l.span.id === selectedId);
  for (let step = 1; step <= n; step++) {
    const i = (from + step + n) % n;
    const span = lanes[i]!.span;
    if (isFailure(span) && (!keep || keep.has(span.id))) return i;
  }
  return null;
}
