import { markUnrepresentable } from "~/server/store/lossless-text";
import type { UsageRange } from "./range";
import type { UsageTree } from "./report";

/** The export's columns, in order: one row per tree of the range, dearest first. */
export const CSV_HEADER = [
  "root_session_id",
  "title",
  "runner",
  "started_by",
  "first_day",
  "last_day",
  "steps",
  "unpriced_steps",
  "tokens_input",
  "tokens_output",
  "tokens_reasoning",
  "tokens_cache_read",
  "tokens_cache_write",
  "cost_usd",
  "deleted",
] as const;

/**
 * RFC 4180 text: every cell quoted when it holds a quote, comma or line break. Titles come from
 * prompts and agents, so a cell a spreadsheet would read as a formula (= + - @, or a tab or
 * carriage return that some strip first) is prefixed with ' and shown as text. A NUL or a lone
 * surrogate, which UTF-8 cannot carry, is shown as the archived views show it.
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? "" : typeof value === "string" ? markUnrepresentable(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function usageCsv(trees: UsageTree[]): string {
  const rows = trees.map((t) => [
    t.rootId,
    t.title,
    t.runner?.name ?? null,
    t.startedBy,
    t.firstDay,
    t.lastDay,
    t.steps,
    t.unpricedSteps,
    t.tokens.input,
    t.tokens.output,
    t.tokens.reasoning,
    t.tokens.cacheRead,
    t.tokens.cacheWrite,
    // Summed floats carry noise (0.016189000000000002): a millionth of a dollar is precision enough.
    Number(t.cost.toFixed(6)),
    t.deleted,
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** `flightdeck-usage-2026-11-01-to-2026-11-30[-runner-<id>].csv` */
export function csvFileName(range: UsageRange): string {
  return `flightdeck-usage-${range.from}-to-${range.to}${range.runnerId ? `-runner-${range.runnerId}` : ""}.csv`;
}
