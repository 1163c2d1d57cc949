import type { ChangeFeed } from "~/server/hub/change-feed";
import type { Span } from "./span";
import type { TraceCache } from "./cache";

/** How far back the first message reaches: what a page read just before subscribing may miss. */
const CATCH_UP_MS = 15_000;

/**
 * The spans of a tree that start, change or finish, as they are stored: after each commit the
 * change feed names the tree, the trace is re-read and only spans that differ are sent. The
 * first message holds the spans running or recently active, so whatever changed between the
 * page's read and this subscription is not missed.
 */
export async function* followTrace(
  deps: { traces: Pick<TraceCache, "trace">; changes: Pick<ChangeFeed, "subscribe"> },
  sessionId: string,
  signal: AbortSignal,
): AsyncGenerator<Span[]> {
  const sent = new Map<string, string>();
  let rootId: string | undefined;
  let first = true;
  for await (const notice of deps.changes.subscribe(signal)) {
    if (!first && rootId && !notice.rootIds.includes(rootId)) continue;
    const trace = await deps.traces.trace(sessionId);
    rootId = trace.rows.rootId;
    const since = Date.now() - CATCH_UP_MS;
    const changed = trace.spans.filter((span) => {
      const signature = JSON.stringify(span);
      const previous = sent.get(span.id);
      sent.set(span.id, signature);
      if (first) return span.endMs === null || span.endMs >= since || span.startMs >= since;
      return previous !== signature;
    });
    first = false;
    if (changed.length > 0) yield changed;
  }
}
