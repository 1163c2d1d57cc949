"use client";

import { useTeamTraceSource } from "./team-source";
import { TraceView } from "./trace-view";
import type { TraceInitial } from "./use-trace";

/** The trace view of a tree for a signed-in member (the traces page, the archived page). */
export function TeamTrace({ sessionId, initial, live = true, compact = false }: { sessionId: string; initial?: TraceInitial; live?: boolean; compact?: boolean }) {
  const source = useTeamTraceSource(sessionId);
  return <TraceView source={source} initial={initial} live={live} compact={compact} />;
}
