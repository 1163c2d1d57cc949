import type { SessionView, SnapshotState } from "~/server/stream/snapshot-state";

// The shapes the session views render. They come from the live fold (server/stream) or, for an
// archived session, from the same SnapshotState loaded from the database.
export type { SessionView, SnapshotState };
export type MessageEntry = SessionView["messages"][string];
export type PartEntry = SessionView["parts"][string];
export type PermissionEntry = SessionView["permissions"][string];
export type QuestionEntry = SessionView["questions"][string];
export type ToolEntry = NonNullable<PartEntry["tool"]>;
export type TokenCounts = NonNullable<MessageEntry["tokens"]>;

/** A request that was answered, and by whom when Flightdeck knows (answered here). */
export type RequestAnswer = {
  requestId: string;
  kind: "permission" | "question";
  reply: string;
  answers?: string[][];
  /** Who answered; null when it was answered outside Flightdeck (e.g. in a terminal), absent while unknown. */
  by?: string | null;
  at?: string;
  /** The request as it was pending. */
  request?: Record<string, unknown>;
  sessionId: string;
};
