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
    throw new CommandError("PRECONDITION_FAILED", `The runner at ${endpoint.url} could not ${action}: ${shortMessage(error)}`);
  }
}
