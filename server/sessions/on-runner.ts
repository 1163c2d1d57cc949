import type { RunnerEndpoint } from "~/server/runtime/client";
import { shortMessage } from "~/server/store/short-message";
import { CommandError } from "./command-error";

/**
 * A call a command makes to a session's runner. When the runner fails it (unreachable, an error
 * of its own, or a server that is not opencode) the command cannot run there: a 412 naming the
 * runner and the first line of why, not a 500 with the SDK's stack.
 */
export async function onRunner<T>(endpoint: RunnerEndpoint, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new CommandError("PRECONDITION_FAILED", `The runner at ${endpoint.url} could not ${action}: ${runnerMessage(error)}`);
  }
}

/** The SDK throws opencode's error body as is: `{ name, data: { message } }`, not an Error. */
export function runnerMessage(error: unknown): string {
  const body = error as { data?: { message?: unknown } } | null;
  const message = typeof body === "object" && body !== null && typeof body.data?.message === "string" ? body.data.message : error;
  return shortMessage(message);
}
