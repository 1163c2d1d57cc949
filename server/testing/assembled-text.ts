import type { SnapshotState } from "~/server/stream";

// Apart from assistant-text.ts (the runner's side), so Playwright specs can import it without
// the opencode SDK, whose ESM-only exports their CommonJS loader cannot resolve.

/** The assistant's text of one session as a client assembled it from the event stream. */
export function assistantText(state: SnapshotState, opencodeId: string): string {
  const view = state.sessions[opencodeId];
  if (!view) return "";
  return Object.values(view.parts)
    .filter((p) => p.type === "text" && view.messages[p.messageId]?.role === "assistant")
    .map((p) => p.text ?? "")
    .join("");
}
