import { describe, expect, it } from "vitest";
import { agentAndModel } from "./tree";
import type { SessionView } from "./types";

const turn = (n: number) => `ses_1:msg_u${n}`;

function view(messages: SessionView["messages"]): SessionView {
  return { sessionId: "ses_1", status: "idle", turns: [], messages, parts: {}, todos: [], boundary: null, permissions: {}, questions: {} };
}

describe("the agent and model a session runs with", () => {
  const answered = {
    msg_u1: { id: "msg_u1", role: "user" as const, agent: "build", providerId: "demo", modelId: "flightdeck-demo", turnId: turn(1), data: {} },
    msg_u1a: { id: "msg_u1a", role: "assistant" as const, parentId: "msg_u1", agent: "build", providerId: "demo", modelId: "flightdeck-demo", turnId: turn(1), data: {} },
  };

  it("is the latest answer's", () => {
    expect(agentAndModel(view(answered))).toEqual({ agent: "build", model: "demo/flightdeck-demo" });
  });

  it("is the latest prompt's when that prompt has no answer yet, or never will (a model the runner lacks)", () => {
    const asked = { ...answered, msg_u2: { id: "msg_u2", role: "user" as const, agent: "plan", providerId: "demo", modelId: "nope", turnId: turn(2), data: {} } };
    expect(agentAndModel(view(asked))).toEqual({ agent: "plan", model: "demo/nope" });
  });
});
