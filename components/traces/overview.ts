import type { Range, Span } from "./types";

// The overview strip: the whole run in a fixed number of columns, how busy each one was, where
// the failures are, and which part of it the waterfall shows.

export type OverviewColumn = { busy: number; failed: boolean; running: boolean };

/** Spans whose work the strip draws: the calls and waits, not the turns and steps around them. */
const ACTIVITY = new Set(["tool", "subagent", "wait", "retry"]);

/**
 * How many activity spans overlap each of `columns` equal slices of `bounds`, in O(spans +
 * columns) (a difference array), so the strip of a 10,000-span run costs next to nothing.
 * Running spans count up to `now`.
 */
export function overviewColumns(spans: readonly Span[], bounds: Range, columns: number, now: number): OverviewColumn[] {
  const delta = new Float64Array(columns + 1);
  const out: OverviewColumn[] = Array.from({ length: columns }, () => ({ busy: 0, failed: false, running: false }));
  const width = bounds.end - bounds.start;
  if (columns <= 0 || !(width > 0)) return out;
  const column = (ms: number) => Math.min(columns - 1, Math.max(0, Math.floor(((ms - bounds.start) / width) * columns)));
  for (const span of spans) {
    if (!ACTIVITY.has(span.kind)) continue;
    const first = column(span.startMs);
    const last = column(span.endMs ?? now);
    delta[first]! += 1;
    delta[last + 1]! -= 1;
    if (span.status === "error" || span.status === "interrupted") out[last]!.failed = true;
    if (span.status === "running") out[last]!.running = true;
  }
  let busy = 0;
  for (let i = 0; i < columns; i++) {
    busy += delta[i]!;
    out[i]!.busy = busy;
  }
  return out;
}

/** The visible window as fractions of the strip, clipped to it. */
export function windowRect(view: Range, bounds: Range): { left: number; width: number } {
  const full = bounds.end - bounds.start;
  if (!(full > 0)) return { left: 0, width: 1 };
  const left = Math.max(0, Math.min(1, (view.start - bounds.start) / full));
  const right = Math.max(left, Math.min(1, (view.end - bounds.start) / full));
  return { left, width: right - left };
}

/** The visible range moved so that it is centred on a point of the strip (a click there). */
export function centreOn(view: Range, fraction: number, bounds: Range): Range {
  const span = view.end - view.start;
  const at = bounds.start + fraction * (bounds.end - bounds.start);
  const start = Math.min(Math.max(bounds.start, at - span / 2), Math.max(bounds.start, bounds.end - span));
  return { start, end: start + span };
}
