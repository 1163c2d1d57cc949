import { RUNNER_RESTARTED } from "~/server/store/apply-events";

/** The raw runner event the bridge feeds itself for a turn its runner died under. */
export function runnerRestartedEvent(opencodeSessionId: string) {
  return {
    type: "session.error",
    properties: {
      sessionID: opencodeSessionId,
      error: { name: RUNNER_RESTARTED.name, data: { message: RUNNER_RESTARTED.message } },
    },
  };
}
