import type { Span } from "./types";

const byStart = (a: Span, b: Span) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Which of two versions of one span to keep. Live upserts are newer than anything read before
 * them ("incoming"); a page read while live upserts arrive can be older than them, so it only
 * replaces a running span with a finished one ("finished").
 */
export type MergeRule = "incoming" | "finished";

function keepIncoming(current: Span, incoming: Span, rule: MergeRule): boolean {
  if (rule === "incoming") return true;
  return current.endMs === null || incoming.endMs !== null;
}

/**
 * The span list with `incoming` upserted by id, ordered by start (then id). Returns the same
 * array when nothing changed, so memoized layouts are not recomputed for a no-op batch.
 */
export function mergeSpans(current: readonly Span[], incoming: readonly Span[], rule: MergeRule = "incoming"): readonly Span[] {
  if (!incoming.length) return current;
  const index = new Map<string, number>();
  for (let i = 0; i < current.length; i++) index.set(current[i]!.id, i);
  let next: Span[] | null = null;
  let reorder = false;
  for (const span of incoming) {
    const at = index.get(span.id);
    if (at !== undefined && !keepIncoming((next ?? current)[at]!, span, rule)) continue;
    const list: Span[] = (next ??= [...current]);
    if (at === undefined) {
      index.set(span.id, list.length);
      if (list.length && byStart(list.at(-1)!, span) > 0) reorder = true;
      list.push(span);
    } else {
      if (list[at]!.startMs !== span.startMs) reorder = true;
      list[at] = span;
    }
  }
  if (!next) return current;
  if (reorder) next.sort(byStart);
  return next;
}

/** True while any span is still running: the view ticks its clock only then. */
export function anyRunning(spans: readonly Span[]): boolean {
  return spans.some((s) => s.endMs === null);
}

/** The latest instant a finished span reached (running spans reach "now", drawn separately). */
export function lastEnd(spans: readonly Span[]): number | null {
  let end: number | null = null;
  for (const s of spans) {
    const at = s.endMs ?? s.startMs;
    if (end === null || at > end) end = at;
  }
  return end;
}
