import { z } from "zod";
import { SessionStatus, Tokens, TurnId, type MessageInfo, type SessionInfo } from "./entities";

// A session at its last turn boundary (turn start, session idle): what a (re)connecting client
// shows in a header before any event arrives. The store writes it to the SessionBoundary row
// (server/store/session-boundary.ts), the live fold recomputes it at the same events
// (materialize.ts); both call `boundaryOf` so they agree.

export const Usage = z.object({ tokens: Tokens, cost: z.number() });
export type Usage = z.infer<typeof Usage>;
export const NO_USAGE: Usage = { tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0 };

export const SessionBoundary = z.object({
  // The event that made the boundary.
  seq: z.number().int().nonnegative(),
  status: SessionStatus,
  // The latest turn: the one running after a turn start, the one just ended when idle.
  currentTurnId: TurnId.nullable(),
  // Totals over the session's messages (sub-agents count in their own sessions).
  usage: Usage,
  agent: z.string().optional(),
  providerId: z.string().optional(),
  modelId: z.string().optional(),
});
export type SessionBoundary = z.infer<typeof SessionBoundary>;

type Counted = Pick<MessageInfo, "id" | "tokens" | "cost" | "agent" | "providerId" | "modelId">;

export function boundaryOf(input: {
  seq: number;
  status: SessionStatus;
  currentTurnId: string | null;
  messages: readonly Counted[];
  session: Pick<SessionInfo, "agent" | "providerId" | "modelId"> | undefined;
}): SessionBoundary {
  const tokens = { ...NO_USAGE.tokens };
  let cost = 0;
  for (const m of input.messages) {
    for (const key of Object.keys(tokens) as (keyof Tokens)[]) tokens[key] += m.tokens?.[key] ?? 0;
    cost += m.cost ?? 0;
  }
  // Opencode ids sort chronologically; a prompt can switch agent or model, so the latest wins.
  const latest = input.messages.filter((m) => m.modelId).sort((a, b) => (a.id < b.id ? 1 : -1))[0] ?? input.session;
  return {
    seq: input.seq,
    status: input.status,
    currentTurnId: input.currentTurnId,
    usage: { tokens, cost },
    ...definedOnly({ agent: latest?.agent, providerId: latest?.providerId, modelId: latest?.modelId }),
  };
}

// Absent rather than `undefined`: the snapshot and the fold must compare equal.
function definedOnly<T extends Record<string, string | undefined>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
