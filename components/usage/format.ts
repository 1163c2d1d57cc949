import type { Bucket } from "~/server/usage/range";
import type { Tokens } from "~/server/stream/entities";

// How the Usage page names buckets and colours series. Locale-stable and in UTC (the buckets
// are UTC days), so the server render and the browser's print the same text.

const monthDay = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const fullDay = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

const at = (day: string) => new Date(`${day}T00:00:00Z`);

/** "Nov 2" on an axis. */
export function bucketTick(day: string): string {
  return monthDay.format(at(day));
}

/** "Nov 2, 2026" or "Week of Nov 2, 2026" in a tooltip or a table. */
export function bucketName(day: string, bucket: Bucket): string {
  return bucket === "week" ? `Week of ${fullDay.format(at(day))}` : fullDay.format(at(day));
}

// An axis's ticks are evenly spaced values (0.0045, 0.009, 0.0135...): printed to two significant
// digits each, so no tick reads as its neighbour's value (formatCost would print 0.0135 as $0.01).
const tickCost = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumSignificantDigits: 2 });
const tickTokens = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "$0.0135" → "$0.014" on a cost axis. */
export function costTick(usd: number): string {
  return tickCost.format(usd);
}

/** "8K", "16K": one notation for every tick of a token axis. */
export function tokensTick(n: number): string {
  return tickTokens.format(n);
}

export function dayName(day: string): string {
  return fullDay.format(at(day));
}

export const TOKEN_KINDS: { key: keyof Tokens; label: string; color: string }[] = [
  { key: "input", label: "Input", color: "#0ea5e9" },
  { key: "output", label: "Output", color: "#8b5cf6" },
  { key: "reasoning", label: "Reasoning", color: "#f59e0b" },
  { key: "cacheRead", label: "Cache read", color: "#10b981" },
  { key: "cacheWrite", label: "Cache write", color: "#94a3b8" },
];

export const COST_COLOR = "#e11d48";

/** Colours of a breakdown's largest groups; the rest are drawn together as "Other". */
export const GROUP_COLORS = ["#0ea5e9", "#8b5cf6", "#f59e0b", "#10b981", "#e11d48", "#0f766e"];
export const OTHER_COLOR = "#cbd5e1";
