import { formatCost, formatDuration, formatTokens } from "~/components/session/format";
import type { Span, Tokens, Totals } from "./types";

// How the trace view writes money, time and tokens. An unknown price is never written as $0:
// a step the price table did not know is "unknown", and a total says how many such steps it
// leaves out.

export function spanCost(cost: number | null): string {
  return cost === null ? "unknown" : formatCost(cost);
}

/** "$0.12", "$0.12 + 3 steps unpriced", or "unknown" when no step had a price. */
export function totalCost(totals: Pick<Totals, "cost" | "unpricedSteps" | "steps">): string {
  if (totals.unpricedSteps === 0) return formatCost(totals.cost);
  const unpriced = `${totals.unpricedSteps} step${totals.unpricedSteps === 1 ? "" : "s"} unpriced`;
  if (totals.unpricedSteps >= totals.steps && totals.cost === 0) return `unknown (${unpriced})`;
  return `${formatCost(totals.cost)} + ${unpriced}`;
}

export { tokenTotal } from "~/server/stream/entities";

/** "1,200 in · 300 out · 40 reasoning · 5K cache read · 0 cache write" */
export function tokenBreakdown(tokens: Tokens): string {
  return [
    `${formatTokens(tokens.input)} in`,
    `${formatTokens(tokens.output)} out`,
    `${formatTokens(tokens.reasoning)} reasoning`,
    `${formatTokens(tokens.cacheRead)} cache read`,
    `${formatTokens(tokens.cacheWrite)} cache write`,
  ].join(" · ");
}

/** A span's duration, or how long it has been running. */
export function spanDuration(span: Pick<Span, "startMs" | "endMs">, now: number): string {
  const ms = Math.max(0, (span.endMs ?? now) - span.startMs);
  return span.endMs === null ? `${formatDuration(ms)} so far` : formatDuration(ms);
}

/** Words for the statuses a reader must notice without relying on colour. */
export const STATUS_WORD: Record<Span["status"], string | null> = {
  running: "running",
  completed: null,
  error: "error",
  interrupted: "interrupted",
  aborted: "aborted",
};
