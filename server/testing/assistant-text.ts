import { createRunnerClient } from "~/server/runtime/client";
import type { RunnerEndpoint } from "~/server/runtime/health";
import type { Services } from "~/server/services";

export { assistantText } from "./assembled-text";

/** The assistant's text of one session as the runner itself keeps it (the ground truth). */
export async function runnerAssistantText(live: { services: Services; runnerId: string; directory: string }, opencodeId: string): Promise<string> {
  const link = await live.services.runners.link(live.runnerId);
  return assistantTextAt(link!.endpoint, live.directory, opencodeId);
}

/** The same, from a runner reached directly (one the test started, outliving the app). */
export async function assistantTextAt(endpoint: RunnerEndpoint, directory: string, opencodeId: string): Promise<string> {
  const client = createRunnerClient(endpoint, { directory });
  const { data: messages } = await client.session.messages({ sessionID: opencodeId }, { throwOnError: true });
  return messages
    .filter((m) => m.info.role === "assistant")
    .flatMap((m) => m.parts)
    .filter((p) => p.type === "text")
    .map((p) => (p as { text: string }).text)
    .join("");
}
