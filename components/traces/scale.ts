import type { Range } from "./types";

// The time axis: milliseconds on the runner's clock <-> a fraction of the drawn width (0 at the
// left edge of the visible range, 1 at its right edge). Fractions, not pixels, so rows position
// their bars with percentages and nothing has to measure the page while it renders.

/** The narrowest range a zoom goes to: below this the bars are all wider than the screen. */
export const MIN_SPAN_MS = 5;

export function fractionOf(ms: number, view: Range): number {
  return (ms - view.start) / (view.end - view.start);
}

export function msAt(fraction: number, view: Range): number {
  return view.start + fraction * (view.end - view.start);
}

/**
 * A bar's left edge and width as fractions of the visible range, clipped to it; null when the
 * span lies wholly outside. A bar too short to see still gets `minWidth` (a fraction), so a
 * 1 ms tool call in a one-hour run is a sliver, not nothing.
 */
export function barGeometry(startMs: number, endMs: number, view: Range, minWidth = 0): { left: number; width: number } | null {
  if (endMs < view.start || startMs > view.end) return null;
  const left = Math.max(0, fractionOf(startMs, view));
  const right = Math.min(1, fractionOf(Math.max(endMs, startMs), view));
  return { left: Math.min(left, 1 - minWidth), width: Math.max(right - left, minWidth) };
}

/** A range kept inside `bounds` and at least `minSpan` wide (shifted, not shrunk, at an edge). */
export function clampRange(range: Range, bounds: Range, minSpan = MIN_SPAN_MS): Range {
  const full = bounds.end - bounds.start;
  let start = Math.min(range.start, range.end);
  let end = Math.max(range.start, range.end);
  const span = Math.min(Math.max(end - start, minSpan), Math.max(full, minSpan));
  if (end - start < span) {
    const mid = (start + end) / 2;
    start = mid - span / 2;
    end = mid + span / 2;
  }
  if (start < bounds.start) [start, end] = [bounds.start, bounds.start + span];
  if (end > bounds.end) [start, end] = [Math.max(bounds.start, bounds.end - span), bounds.end];
  return { start, end };
}

/** Zoom to a dragged range (its ends in either order), clamped. */
export function zoomTo(a: number, b: number, bounds: Range, minSpan = MIN_SPAN_MS): Range {
  return clampRange({ start: Math.min(a, b), end: Math.max(a, b) }, bounds, minSpan);
}

/**
 * Zoom by `factor` (< 1 in, > 1 out) keeping the instant `atMs` where it is on screen: the wheel
 * zooms around the pointer, the buttons around the middle.
 */
export function zoomAround(view: Range, atMs: number, factor: number, bounds: Range, minSpan = MIN_SPAN_MS): Range {
  const start = atMs - (atMs - view.start) * factor;
  const end = atMs + (view.end - atMs) * factor;
  return clampRange({ start, end }, bounds, minSpan);
}

/** True when a range shows all of `bounds` (the view is "reset"). */
export function isFull(view: Range, bounds: Range): boolean {
  return view.start <= bounds.start && view.end >= bounds.end;
}

const STEPS = [1, 2, 5];

/** A round tick interval (1, 2 or 5 x 10^k ms) giving at most `maxTicks` ticks over the range. */
export function tickStep(view: Range, maxTicks: number): number {
  const raw = (view.end - view.start) / Math.max(1, maxTicks);
  if (!(raw > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const step of STEPS) if (step * magnitude >= raw) return step * magnitude;
  return 10 * magnitude;
}

/**
 * Ticks over the visible range, on round offsets from `origin` (the run's start), so the labels
 * read "0, 500 ms, 1 s..." from the start of the run whatever the zoom.
 */
export function ticks(view: Range, origin: number, maxTicks: number): { ms: number; label: string }[] {
  const step = tickStep(view, maxTicks);
  const first = origin + Math.ceil((view.start - origin) / step) * step;
  const out: { ms: number; label: string }[] = [];
  for (let ms = first; ms <= view.end && out.length <= maxTicks + 1; ms += step) out.push({ ms, label: offsetLabel(ms - origin, step) });
  return out;
}

/** An offset from the run's start, with as many decimals as the tick step needs. */
export function offsetLabel(offsetMs: number, stepMs: number): string {
  const ms = Math.round(offsetMs * 1000) / 1000;
  if (ms === 0) return "0";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (stepMs < 1000 && abs < 1000) return `${sign}${trim(abs, stepMs < 1 ? 2 : 0)} ms`;
  if (abs < 60_000) return `${sign}${trim(abs / 1000, decimals(stepMs / 1000))} s`;
  const minutes = Math.floor(abs / 60_000);
  const seconds = (abs - minutes * 60_000) / 1000;
  return `${sign}${minutes} min${seconds ? ` ${trim(seconds, decimals(stepMs / 1000))} s` : ""}`;
}

function decimals(step: number): number {
  return step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
