import type { Lane } from "./lanes";
import type { Span, SpanStatus } from "./types";

/** What the reader narrowed the waterfall to; an empty list does not narrow. */
export type TraceFilter = { tools: string[]; statuses: SpanStatus[]; sessions: string[]; agents: string[] };

export const NO_FILTER: TraceFilter = { tools: [], statuses: [], sessions: [], agents: [] };

export function isFiltering(filter: TraceFilter): boolean {
  return filter.tools.length + filter.statuses.length + filter.sessions.length + filter.agents.length > 0;
}

/** A tool filter names tool calls (sub-agent calls are `task` tool calls, so they count). */
const CALLS = new Set(["tool", "subagent"]);

export function matches(span: Span, filter: TraceFilter): boolean {
  if (filter.tools.length && !(CALLS.has(span.kind) && filter.tools.includes(span.name))) return false;
  if (filter.statuses.length && !filter.statuses.includes(span.status)) return false;
  if (filter.sessions.length && !filter.sessions.includes(span.sessionId)) return false;
  if (filter.agents.length && !(span.agent !== null && filter.agents.includes(span.agent))) return false;
  return true;
}

/**
 * The spans a filter keeps: each match and every ancestor of one, so a matching call is shown
 * where it happened (under its step, turn and sub-agent), not as an orphan. `match` says which
 * kept spans matched (the rest are context, drawn dimmed). Null when nothing is filtered.
 */
export function keptSpans(lanes: readonly Lane[], filter: TraceFilter): { keep: Set<string>; match: Set<string> } | null {
  if (!isFiltering(filter)) return null;
  const keep = new Set<string>();
  const match = new Set<string>();
  for (let i = 0; i < lanes.length; i++) {
    const lane = lanes[i]!;
    if (!matches(lane.span, filter)) continue;
    match.add(lane.span.id);
    // Walk up until an ancestor already kept: its own ancestors are kept too.
    for (let p = i; p >= 0 && !keep.has(lanes[p]!.span.id); p = lanes[p]!.parent) keep.add(lanes[p]!.span.id);
  }
  return { keep, match };
}

/** The choices the filter menus offer, from what is in the trace. */
export function filterOptions(spans: readonly Span[]): { tools: string[]; statuses: SpanStatus[]; sessions: string[]; agents: string[] } {
  const tools = new Set<string>();
  const statuses = new Set<SpanStatus>();
  const sessions = new Set<string>();
  const agents = new Set<string>();
  for (const span of spans) {
    if (CALLS.has(span.kind)) tools.add(span.name);
    statuses.add(span.status);
    sessions.add(span.sessionId);
    if (span.agent) agents.add(span.agent);
  }
  const sorted = <T extends string>(set: Set<T>) => [...set].sort();
  return { tools: sorted(tools), statuses: sorted(statuses), sessions: [...sessions], agents: sorted(agents) };
}

/** Toggle one value in one of the filter's lists. */
export function toggleFilter<K extends keyof TraceFilter>(filter: TraceFilter, key: K, value: TraceFilter[K][number]): TraceFilter {
  const list = filter[key] as string[];
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return { ...filter, [key]: next };
}
