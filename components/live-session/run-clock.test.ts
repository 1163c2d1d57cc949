import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { SessionView } from "~/components/session/types";
import type { Connection } from "~/components/session/connection";
import { RunClock } from "./run-clock";

const turnId = "ses_1:msg_u";
const running: SessionView = {
  sessionId: "ses_1",
  status: "running",
  turns: [{ id: turnId, index: 3, userMessageId: "msg_u", stalled: false }],
  messages: { msg_u: { id: "msg_u", role: "user", createdAt: Date.now() - 60_000, turnId, data: {} } },
  parts: {},
  todos: [],
  boundary: null,
  permissions: {},
  questions: {},
};
const clock = (connection: Connection) => renderToStaticMarkup(createElement(RunClock, { view: running, lastEventAt: Date.now() - 30_000, connection }));

describe("the run clock", () => {
  it("says how long a live stream has been quiet", () => {
    expect(clock("live")).toContain("Turn 3 running for");
    expect(clock("live")).toMatch(/no events for 3\d s/);
  });

  it("blames no silence on the runner when the page lost its stream, and says nothing once signed out", () => {
    expect(clock("reconnecting")).toContain("Turn 3 running for");
    expect(clock("reconnecting")).not.toContain("no events");
    expect(clock("offline")).not.toContain("no events");
    expect(clock("signed-out")).toBe("");
  });
});
