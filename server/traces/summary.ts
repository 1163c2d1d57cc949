import { childrenOf } from "./build";
import type { TraceRows } from "./rows";
import type { Span, Tokens, TraceSummary, Totals } from "./span";

const TOP = 10;

const zeroTotals = (): Totals => ({
  tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
  cost: 0,
  unpricedSteps: 0,
  steps: 0,
  toolCalls: 0,
  failures: 0,
});

const failed = (span: Span) => span.status === "error" || span.status === "interrupted";

function add(into: Totals, span: Span): void {
  if (span.kind === "step") {
    into.steps += 1;
    for (const key of Object.keys(into.tokens) as (keyof Tokens)[]) into.tokens[key] += span.tokens?.[key] ?? 0;
    if (span.cost === null) into.unpricedSteps += 1;
    else into.cost += span.cost;
    if (span.status === "error") into.failures += 1;
  } else if (span.kind === "tool" || span.kind === "subagent") {
    into.toolCalls += 1;
    if (failed(span)) into.failures += 1;
  }
}

function merge(into: Totals, from: Totals): void {
  for (const key of Object.keys(into.tokens) as (keyof Tokens)[]) into.tokens[key] += from.tokens[key];
  into.cost += from.cost;
  into.unpricedSteps += from.unpricedSteps;
  into.steps += from.steps;
  into.toolCalls += from.toolCalls;
  into.failures += from.failures;
}

/**
 * Each session right after its parent (depth first, siblings in their given order), so lists
 * show a sub-agent under the one that spawned it; sessions no call links come last.
 */
function treeOrder<S extends { id: string }>(rootId: string, sessions: readonly S[], parentSession: ReadonlyMap<string, string>): S[] {
  const kids = new Map<string, S[]>();
  for (const s of sessions) {
    const parent = parentSession.get(s.id);
    if (parent) kids.set(parent, [...(kids.get(parent) ?? []), s]);
  }
  const ordered: S[] = [];
  const seen = new Set<string>();
  const visit = (s: S) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    ordered.push(s);
    for (const kid of kids.get(s.id) ?? []) visit(kid);
  };
  const root = sessions.find((s) => s.id === rootId);
  if (root) visit(root);
  for (const s of sessions) visit(s);
  return ordered;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * What the top of the traces page says. Running spans count up to `now`. Totals of a session
 * roll up over every descendant (opencode reports a session's cost without its sub-agents).
 */
export function summarize(rows: Pick<TraceRows, "rootId" | "sessions">, spans: readonly Span[], now: number): TraceSummary {
  const duration = (span: Span) => Math.max(0, (span.endMs ?? now) - span.startMs);
  const children = childrenOf(spans);

  const own = new Map(rows.sessions.map((s) => [s.id, zeroTotals()]));
  const byAgent = new Map<string, Totals>();
  const byModel = new Map<string, Totals>();
  const tools = new Map<string, { durations: number[]; failures: number }>();
  const parentSession = new Map<string, string>();
  let startMs: number | null = null;
  let endMs: number | null = null;
  let running = false;

  for (const span of spans) {
    const sessionTotals = own.get(span.sessionId);
    if (sessionTotals) add(sessionTotals, span);
    startMs = startMs === null ? span.startMs : Math.min(startMs, span.startMs);
    if (span.endMs === null) running = true;
    else endMs = endMs === null ? span.endMs : Math.max(endMs, span.endMs);
    if (span.kind === "step" || span.kind === "tool" || span.kind === "subagent") {
      // A tool call counts for the agent and model of the step that made it (build.ts).
      const groups: [Map<string, Totals>, string][] = [[byAgent, span.agent ?? "unknown"]];
      if (span.kind === "step" || span.model) groups.push([byModel, span.model ?? "unknown"]);
      for (const [map, key] of groups) {
        const totals = map.get(key) ?? zeroTotals();
        add(totals, span);
        map.set(key, totals);
      }
    }
    if (span.kind === "tool" || span.kind === "subagent") {
      const stats = tools.get(span.name) ?? { durations: [], failures: 0 };
      stats.durations.push(duration(span));
      if (failed(span)) stats.failures += 1;
      tools.set(span.name, stats);
      if (span.childSessionId) parentSession.set(span.childSessionId, span.sessionId);
    }
  }

  const depthOf = (id: string): number => {
    let depth = 0;
    for (let at = parentSession.get(id); at; at = parentSession.get(at)) depth += 1;
    return depth;
  };
  const rolledUp = new Map<string, Totals>();
  // Deepest first, so every child is rolled up before its parent takes it.
  const ordered = [...rows.sessions].sort((a, b) => depthOf(b.id) - depthOf(a.id));
  for (const s of ordered) {
    const totals = zeroTotals();
    merge(totals, own.get(s.id)!);
    for (const [child, parent] of parentSession) if (parent === s.id && rolledUp.has(child)) merge(totals, rolledUp.get(child)!);
    rolledUp.set(s.id, totals);
  }

  const byCost = spans.filter((s) => s.kind === "step" && s.cost !== null).sort((a, b) => b.cost! - a.cost!);
  const bySlowness = spans.filter((s) => s.kind === "tool").sort((a, b) => duration(b) - duration(a));
  const groups = (map: Map<string, Totals>) => [...map].map(([key, totals]) => ({ key, ...totals })).sort((a, b) => b.cost - a.cost || b.steps - a.steps);

  return {
    rootSessionId: rows.rootId,
    spanCount: spans.length,
    startMs,
    endMs: running ? null : endMs,
    running,
    tree: rolledUp.get(rows.rootId) ?? zeroTotals(),
    sessions: treeOrder(rows.rootId, rows.sessions, parentSession)
      .map((s) => ({
        sessionId: s.id,
        parentSessionId: parentSession.get(s.id) ?? null,
        title: s.title,
        agent: s.agent,
        depth: depthOf(s.id),
        own: own.get(s.id)!,
        rolledUp: rolledUp.get(s.id)!,
      })),
    byAgent: groups(byAgent),
    byModel: groups(byModel),
    byTool: [...tools]
      .map(([tool, { durations, failures }]) => {
        const sorted = durations.sort((a, b) => a - b);
        return { tool, count: sorted.length, totalMs: sorted.reduce((a, b) => a + b, 0), p95Ms: percentile(sorted, 95), failures };
      })
      .sort((a, b) => b.totalMs - a.totalMs),
    time: splitTime(spans, now),
    criticalPath: criticalPath(spans, children, now),
    slowestTools: bySlowness.slice(0, TOP),
    expensiveSteps: byCost.slice(0, TOP),
  };
}

/**
 * The tree's wall time split by what it was doing: each instant goes to waiting on a human if
 * any request is open, else to tools if any call runs, else to the model if any step runs (a
 * step holds its calls, a call its requests: this is a step's own time, minus its calls'). So
 * parallel sub-agents never count twice, and the parts never add up to more than the run.
 */
function splitTime(spans: readonly Span[], now: number): TraceSummary["time"] {
  const RANK = { step: 0, tool: 1, wait: 2 } as const;
  const edges: { at: number; rank: 0 | 1 | 2; delta: 1 | -1 }[] = [];
  for (const span of spans) {
    if (span.kind !== "step" && span.kind !== "tool" && span.kind !== "wait") continue;
    const end = span.endMs ?? now;
    if (end <= span.startMs) continue;
    edges.push({ at: span.startMs, rank: RANK[span.kind], delta: 1 }, { at: end, rank: RANK[span.kind], delta: -1 });
  }
  edges.sort((a, b) => a.at - b.at);
  const active = [0, 0, 0];
  const spent = [0, 0, 0];
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    active[edge.rank]! += edge.delta;
    const next = edges[i + 1];
    if (!next || next.at === edge.at) continue;
    const rank = active[2]! > 0 ? 2 : active[1]! > 0 ? 1 : active[0]! > 0 ? 0 : -1;
    if (rank >= 0) spent[rank]! += next.at - edge.at;
  }
  return { modelMs: spent[0]!, toolMs: spent[1]!, waitingMs: spent[2]! };
}

/**
 * The spans that decided when the tree finished, in time order: the top-level span that ended
 * last, preceded by the sibling that ended latest before it began, and so on back; then the
 * same inside each of them. Parallel siblings that ended sooner are off the path.
 */
function criticalPath(spans: readonly Span[], children: Map<string, Span[]>, now: number): string[] {
  const end = (s: Span) => s.endMs ?? now;
  const path: string[] = [];
  const walk = (siblings: readonly Span[]) => {
    const byEnd = [...siblings].sort((a, b) => end(a) - end(b));
    const chain: Span[] = [];
    // Only spans earlier in end order can precede: the index falls, so the walk ends.
    for (let index = byEnd.length - 1; index >= 0; ) {
      const at = byEnd[index]!;
      chain.unshift(at);
      // The latest-ending sibling that ended by the time this one began (binary search).
      let lo = 0;
      let hi = index;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (end(byEnd[mid]!) <= at.startMs) lo = mid + 1;
        else hi = mid;
      }
      index = lo - 1;
    }
    for (const span of chain) {
      path.push(span.id);
      walk(children.get(span.id) ?? []);
    }
  };
  walk(spans.filter((s) => s.parentId === null));
  return path;
}
