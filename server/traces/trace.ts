import type { PrismaClient } from "~/server/generated/prisma/client";
import { buildSpans } from "./build";
import { loadTraceRows, rootOf, type TraceRows } from "./rows";
import type { Span, SpanDetail, SpanPage, TraceSummary } from "./span";
import { summarize } from "./summary";
import { namedError } from "~/server/named-error";

export class TraceError extends namedError("TraceError") {
  constructor(
    readonly kind: "not-found" | "bad-cursor",
    message: string,
  ) {
    super(message);
  }
}

export type Trace = { rows: TraceRows; spans: Span[] };

/** The whole trace of the tree `sessionId` belongs to. */
export async function treeTrace(db: PrismaClient, sessionId: string): Promise<Trace> {
  const rootId = await rootOf(db, sessionId);
  if (!rootId) throw new TraceError("not-found", `No session ${sessionId}.`);
  const rows = await loadTraceRows(db, rootId);
  return { rows, spans: buildSpans(rows) };
}

const finishedSummaries = new WeakMap<Trace, TraceSummary>();

/** The trace's summary; a finished tree's does not change with the clock, so it is kept with the trace. */
export function summaryOf(trace: Trace, now = Date.now()): TraceSummary {
  const kept = finishedSummaries.get(trace);
  if (kept) return kept;
  const summary = summarize(trace.rows, trace.spans, now);
  if (!summary.running) finishedSummaries.set(trace, summary);
  return summary;
}

export const DEFAULT_PAGE = 2000;
export const MAX_PAGE = 5000;

/** One page of spans in start order; the cursor is the position of the page's first span. */
export function spanPage(spans: readonly Span[], cursor: string | undefined, limit = DEFAULT_PAGE): SpanPage {
  const from = cursor ? Number(cursor) : 0;
  if (!Number.isInteger(from) || from < 0) throw new TraceError("bad-cursor", `The cursor "${cursor}" is not one a page of spans gave.`);
  const to = Math.min(spans.length, from + Math.min(limit, MAX_PAGE));
  return { spans: spans.slice(from, to), nextCursor: to < spans.length ? String(to) : null, total: spans.length };
}

const NO_DETAIL = { input: null, output: null, outputTruncated: false, outputBytes: 0, error: null };

/**
 * A span's input and output (tool calls; other spans have none), if it belongs to the tree of
 * `sessionId`; read on its own, without the rest of the trace.
 */
export async function spanDetail(db: PrismaClient, sessionId: string, spanId: string): Promise<SpanDetail> {
  const rootId = await rootOf(db, sessionId);
  const inTree = { OR: [{ id: rootId ?? "" }, { rootId: rootId ?? "" }], revertedAt: null };
  const tool = await db.toolSpan.findFirst({
    where: { id: spanId, session: inTree, turn: { revertedAt: null } },
    select: { input: true, output: true, outputTruncated: true, outputBytes: true, error: true },
  });
  if (tool) return { id: spanId, ...tool };
  const other = await Promise.all([
    db.turn.count({ where: { id: spanId, session: inTree, revertedAt: null } }),
    db.message.count({ where: { id: spanId, session: inTree } }),
    db.waitSpan.count({ where: { id: spanId, session: inTree } }),
  ]);
  if (other.every((n) => n === 0)) throw new TraceError("not-found", `No span ${spanId} in this session's trace.`);
  return { id: spanId, ...NO_DETAIL };
}
