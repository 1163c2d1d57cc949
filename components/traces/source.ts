import type { Span, SpanDetail, SpanPage, TraceSummary } from "./types";

/** The state of the live feed, for the little indicator next to the summary. */
export type FollowState = "connecting" | "live" | "reconnecting" | "closed";

export type FollowHandlers = {
  /** Spans that started, changed or finished: upsert them. */
  onSpans: (spans: Span[]) => void;
  /** Something changed that upserts do not say (a share notice, a reconnect): read it all again. */
  onStale: () => void;
  onState: (state: FollowState) => void;
};

/**
 * Where a waterfall gets its trace. The team's pages read `trace.*` as the signed-in member; a
 * share page reads `share.trace*` with the link's token (redacted, read-only). The view is the
 * same component over either, so the two never drift apart.
 */
export type TraceSource = {
  /** Changes when the source reads another trace: the view starts over. */
  key: string;
  spans: (cursor: string | null, limit: number) => Promise<SpanPage>;
  summary: () => Promise<TraceSummary>;
  /** A span's input, output and error, loaded when the reader opens it. */
  span: (spanId: string) => Promise<SpanDetail>;
  /** Starts following the live trace; returns the stop function. */
  follow: (handlers: FollowHandlers) => () => void;
  /** A sub-agent span's link to its session's page; null where the reader may not go (share links). */
  sessionHref: ((sessionId: string) => string) | null;
};

/**
 * Watches a tRPC subscription's connection changes and calls `onReconnect` each time it is back
 * after a drop: what was upserted meanwhile was missed, so the view reads the trace again.
 */
export function reconnectWatcher(onState: (state: FollowState) => void, onReconnect: () => void) {
  let dropped = false;
  let started = false;
  return {
    onStarted: () => {
      started = true;
      onState("live");
    },
    onConnectionStateChange: (change: { state: "idle" | "connecting" | "pending" }) => {
      if (change.state === "connecting" && started) {
        dropped = true;
        onState("reconnecting");
      }
      if (change.state === "pending" && dropped) {
        dropped = false;
        onState("live");
        onReconnect();
      }
    },
  };
}
