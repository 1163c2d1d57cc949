import type { TraceRows } from "./rows";
import type { Span, SpanStatus } from "./span";

const KIND_ORDER: Record<Span["kind"], number> = { turn: 0, step: 1, retry: 2, tool: 3, subagent: 3, wait: 4 };

const ms = (date: Date | null | undefined) => (date ? date.getTime() : null);

/**
 * The flat span list of a tree, ordered by start. Pure: the same rows give the same spans.
 *
 * Times are the runner's (message and tool times), so a tree imported long after it ran still
 * lines up; a turn runs from its prompt to the end of its last step. Whatever was still open
 * when its turn ended (the runner stopped, the session errored, an abort) is `interrupted` and
 * ends with the turn, so nothing is left drawn as running forever.
 */
export function buildSpans(rows: TraceRows): Span[] {
  const session = new Map(rows.sessions.map((s) => [s.id, s]));
  // A sub-agent's turns nest under the task call that spawned it.
  const spawnedBy = new Map<string, string>();
  for (const tool of rows.tools) if (tool.childSessionId && session.has(tool.childSessionId)) spawnedBy.set(tool.childSessionId, tool.id);

  const turnOpen = new Map(rows.turns.map((t) => [t.id, t.status === "running" || t.status === "stalled"]));
  const promptAt = new Map<string, number>();
  const spans: Span[] = [];
  const stepStart = new Map<string, number>();
  const stepOf = new Map<string, { agent: string | null; model: string | null }>();

  for (const m of rows.messages) {
    if (!turnOpen.has(m.turnId)) continue;
    const created = m.createdAt.getTime();
    if (m.role !== "assistant") {
      promptAt.set(m.turnId, Math.min(promptAt.get(m.turnId) ?? Infinity, created));
      continue;
    }
    stepStart.set(m.id, created);
    const agent = m.agent ?? session.get(m.sessionId)?.agent ?? null;
    stepOf.set(m.id, { agent, model: m.modelId });
    const failed = m.errorName;
    spans.push({
      id: m.id,
      parentId: m.turnId,
      sessionId: m.sessionId,
      kind: "step",
      name: m.modelId ?? "model",
      detail: null,
      startMs: created,
      endMs: ms(m.completedAt),
      status: failed ? (failed === "MessageAbortedError" ? "aborted" : "error") : m.completedAt ? "completed" : "running",
      agent,
      model: m.modelId,
      tokens: { input: m.tokensInput, output: m.tokensOutput, reasoning: m.tokensReasoning, cacheRead: m.tokensCacheRead, cacheWrite: m.tokensCacheWrite },
      cost: m.costSource === "unknown" ? null : m.cost,
      childSessionId: null,
    });
  }

  const toolByCall = new Map<string, string>();
  for (const t of rows.tools) {
    if (!turnOpen.has(t.turnId)) continue;
    toolByCall.set(`${t.sessionId}\n${t.callId}`, t.id);
    const parentId = stepStart.has(t.messageId) ? t.messageId : t.turnId;
    const startMs = ms(t.startedAt) ?? stepStart.get(parentId) ?? promptAt.get(t.turnId) ?? 0;
    const open = t.status === "pending" || t.status === "running";
    spans.push({
      id: t.id,
      parentId,
      sessionId: t.sessionId,
      kind: t.tool === "task" && t.childSessionId ? "subagent" : "tool",
      name: t.tool,
      detail: t.title,
      startMs,
      endMs: open ? null : (ms(t.endedAt) ?? startMs),
      status: open ? "running" : (t.status as SpanStatus),
      // The step that called it says which agent and model chose the call.
      agent: stepOf.get(parentId)?.agent ?? session.get(t.sessionId)?.agent ?? null,
      model: stepOf.get(parentId)?.model ?? null,
      tokens: null,
      cost: null,
      childSessionId: t.childSessionId && session.has(t.childSessionId) ? t.childSessionId : null,
    });
  }

  for (const w of rows.waits) {
    const turnId = w.turnId && turnOpen.has(w.turnId) ? w.turnId : null;
    const parentId = (w.callId && toolByCall.get(`${w.sessionId}\n${w.callId}`)) || turnId;
    spans.push({
      id: w.id,
      parentId,
      sessionId: w.sessionId,
      kind: w.kind === "retry" ? "retry" : "wait",
      name: w.kind,
      detail: w.reply ? `${w.title} → ${w.reply}` : w.title,
      startMs: w.startedAt.getTime(),
      endMs: ms(w.endedAt),
      status: w.endedAt ? "completed" : "running",
      agent: session.get(w.sessionId)?.agent ?? null,
      model: null,
      tokens: null,
      cost: null,
      childSessionId: null,
    });
  }

  const children = childrenOf(spans);
  for (const t of rows.turns) {
    const inside = children.get(t.id) ?? [];
    const open = turnOpen.get(t.id)!;
    let startMs = promptAt.get(t.id) ?? Infinity;
    let lastEnd = -Infinity;
    for (const s of inside) {
      startMs = Math.min(startMs, s.startMs);
      lastEnd = Math.max(lastEnd, s.endMs ?? -Infinity);
    }
    spans.push({
      id: t.id,
      parentId: spawnedBy.get(t.sessionId) ?? null,
      sessionId: t.sessionId,
      kind: "turn",
      name: `Turn ${t.index}`,
      detail: null,
      startMs: Number.isFinite(startMs) ? startMs : t.startedAt.getTime(),
      endMs: open ? null : Number.isFinite(lastEnd) ? lastEnd : (ms(t.endedAt) ?? t.startedAt.getTime()),
      status: open ? "running" : t.status === "aborted" ? "aborted" : t.status === "error" ? "error" : "completed",
      agent: session.get(t.sessionId)?.agent ?? null,
      model: null,
      tokens: null,
      cost: null,
      childSessionId: null,
    });
  }

  closeInterrupted(spans);
  return spans.sort((a, b) => a.startMs - b.startMs || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : 1));
}

/** Open spans under an ended turn will not finish: interrupted, ending where their turn ended. */
function closeInterrupted(spans: Span[]): void {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const turnOf = (span: Span): Span | undefined => {
    let at: Span | undefined = span;
    while (at && at.kind !== "turn") at = at.parentId ? byId.get(at.parentId) : undefined;
    return at;
  };
  for (const span of spans) {
    if (span.endMs !== null || span.kind === "turn") continue;
    const turn = turnOf(span);
    if (!turn || turn.endMs === null) continue;
    span.status = "interrupted";
    span.endMs = Math.max(span.startMs, turn.endMs);
  }
}

export function childrenOf(spans: readonly Span[]): Map<string, Span[]> {
  const children = new Map<string, Span[]>();
  for (const span of spans) {
    if (!span.parentId) continue;
    const list = children.get(span.parentId);
    if (list) list.push(span);
    else children.set(span.parentId, [span]);
  }
  return children;
}
