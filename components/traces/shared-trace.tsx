"use client";

import { useShareTraceSource } from "./share-source";
import { TraceView } from "./trace-view";

/** The trace view of a shared tree: read with the link's token, redacted, linking nowhere else. */
export function SharedTrace({ token, sessionId }: { token: string; sessionId: string }) {
  const source = useShareTraceSource(token, sessionId);
  return <TraceView source={source} compact />;
}
