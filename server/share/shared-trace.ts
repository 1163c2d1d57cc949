import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Span, SpanDetail, TraceSummary } from "~/server/traces/span";
import { spanDetail, summaryOf, treeTrace, type Trace } from "~/server/traces/trace";
import type { ActiveLink } from "./access";
import type { Redactor } from "./redact";
import { redactForShare } from "./shared-tree";
import { TraceError } from "~/server/traces/trace";

/**
 * The trace as a share link shows it: the sub-agents' spans only when the link includes them,
 * tool outputs only when it includes those, every string redacted as the shared tree is.
 */
async function projectedTrace(db: PrismaClient, link: ActiveLink): Promise<Trace> {
  const trace = await treeTrace(db, link.sessionId);
  if (link.include.subAgents) return trace;
  const root = trace.rows.rootId;
  return {
    rows: { ...trace.rows, sessions: trace.rows.sessions.filter((s) => s.id === root) },
    spans: trace.spans.filter((s) => s.sessionId === root).map((s): Span => ({ ...s, childSessionId: null })),
  };
}

export async function sharedSpans(db: PrismaClient, link: ActiveLink, redactor: Redactor): Promise<Span[]> {
  return redactForShare(redactor, (await projectedTrace(db, link)).spans);
}

export async function sharedSummary(db: PrismaClient, link: ActiveLink, redactor: Redactor): Promise<TraceSummary> {
  return redactForShare(redactor, summaryOf(await projectedTrace(db, link)));
}

export async function sharedSpanDetail(db: PrismaClient, link: ActiveLink, redactor: Redactor, spanId: string): Promise<SpanDetail> {
  const span = (await projectedTrace(db, link)).spans.find((s) => s.id === spanId);
  if (!span) throw new TraceError("not-found", `No span ${spanId} in this shared trace.`);
  const detail = await spanDetail(db, link.sessionId, spanId);
  return redactForShare(redactor, link.include.toolOutputs ? detail : { ...detail, output: null, outputTruncated: false });
}
