import type { SessionStatus } from "./entities";

// Apart from entities.ts (zod schemas), so that the browser's status helpers can share it for nothing.

/** Statuses in which a session's turn is still open on its runner (a stalled one too): Abort can end it. */
export const turnOpenStatuses = ["running", "waiting", "stalled"] as const satisfies readonly SessionStatus[];
