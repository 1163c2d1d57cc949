import type { PrismaClient } from "~/server/generated/prisma/client";
import type { TraceCache } from "~/server/traces/cache";
import type { Span, SpanDetail, TraceSummary } from "~/server/traces/span";
import { spanDetail, summaryOf, TraceError, type Trace } from "~/server/traces/trace";
import type { ActiveLink } from "./access";
import type { Redactor } from "./redact";
import { redactForShare } from "./shared-tree";

/**
 * The trace as a share link shows it: the sub-agents' spans only when the link includes them,
 * tool outputs only when it includes those, every string redacted as the shared tree is.
 */
type Deps = { db: PrismaClient; traces: Pick<TraceCache, "trace"> };

async function projectedTrace(deps: Deps, link: ActiveLink): Promise<Trace> {
  const trace = await deps.traces.trace(link.sessionId);
  if (link.include.subAgents) return trace;
  const root = trace.rows.rootId;
  return {
    rows: { ...trace.rows, sessions: trace.rows.sessions.filter((s) => s.id === root) },
    spans: trace.spans.filter((s) => s.sessionId === root).map((s): Span => ({ ...s, childSessionId: null })),
  };
}

export async function sharedSpans(deps: Deps, link: ActiveLink, redactor: Redactor): Promise<Span[]> {
  return redactForShare(redactor, (await projectedTrace(deps, link)).spans);
}

export async function sharedSummary(deps: Deps, link: ActiveLink, redactor: Redactor): Promise<TraceSummary> {
  return redactForShare(redactor, summaryOf(await projectedTrace(deps, link)));
}

export async function sharedSpanDetail(deps: Deps, link: ActiveLink, redactor: Redactor, spanId: string): Promise<SpanDetail> {
  const span = (await projectedTrace(deps, link)).spans.find((s) => s.id === spanId);
  if (!span) throw new TraceError("not-found", `No span ${spanId} in this shared trace.`);
  const detail = await spanDetail(deps.db, link.sessionId, spanId);
  return redactForShare(redactor, link.include.toolOutputs ? detail : { ...detail, output: null, outputTruncated: false });
}
