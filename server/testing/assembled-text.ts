import type { SnapshotState } from "~/server/stream";

// Apart from assistant-text.ts (the runner's side), so Playwright specs can import it without
// the opencode SDK, whose ESM-only exports their CommonJS loader cannot resolve.

/**
 * The assistant's text of one session as a client assembled it from the event stream, in the
 * conversation's order: by part id (opencode's ids ascend), not by the order the parts came in
 * (a snapshot lists them newest first, so a viewer resynced mid-turn holds the turn's part
 * before the earlier turns').
 */
export function assistantText(state: SnapshotState, opencodeId: string): string {
  const view = state.sessions[opencodeId];
  if (!view) return "";
  return Object.values(view.parts)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((p) => p.type === "text" && view.messages[p.messageId]?.role === "assistant")
    .map((p) => p.text ?? "")
    .join("");
}
