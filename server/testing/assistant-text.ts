import { createRunnerClient } from "~/server/runtime/client";
import type { SnapshotState } from "~/server/stream";
import type { Services } from "~/server/services";

/** The assistant's text of one session as the runner itself keeps it (the ground truth). */
export async function runnerAssistantText(live: { services: Services; runnerId: string; directory: string }, opencodeId: string): Promise<string> {
  const link = await live.services.runners.link(live.runnerId);
  const client = createRunnerClient(link!.endpoint, { directory: live.directory });
  const { data: messages } = await client.session.messages({ sessionID: opencodeId }, { throwOnError: true });
  return messages
    .filter((m) => m.info.role === "assistant")
    .flatMap((m) => m.parts)
    .filter((p) => p.type === "text")
    .map((p) => (p as { text: string }).text)
    .join("");
}

/** The assistant's text of one session as a client assembled it from the event stream. */
export function assistantText(state: SnapshotState, opencodeId: string): string {
  const view = state.sessions[opencodeId];
  if (!view) return "";
  return Object.values(view.parts)
    .filter((p) => p.type === "text" && view.messages[p.messageId]?.role === "assistant")
    .map((p) => p.text ?? "")
    .join("");
}
