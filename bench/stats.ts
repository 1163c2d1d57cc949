import type { Arrivals } from "./client";

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Per-event added latency of `viewer` over `baseline` (both saw the same text): for every
 * event the viewer got, the time since the baseline had received the same character.
 */
export function addedLatencies(baseline: Arrivals, viewer: Arrivals): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < viewer.chars.length; i++) {
    while (j < baseline.chars.length - 1 && baseline.chars[j]! < viewer.chars[i]!) j++;
    out.push(viewer.at[i]! - baseline.at[j]!);
  }
  return out;
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), n: sorted.length };
}

/** Characters per second over the stream's whole span since `start`. */
export function throughput(arrivals: Arrivals, start: number): number {
  const end = arrivals.at.at(-1);
  return end === undefined ? 0 : arrivals.total / ((end - start) / 1000);
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
