import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AssistantMessage, Event, Part, ToolPart } from "@opencode-ai/sdk/v2/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSION_COMMAND } from "~/server/model";
import { createRunnerClient, fetchRunnerHealth, listAgents, listProviders, type OpencodeClient } from "./client";
import { startEmbeddedRunner, type EmbeddedRunner } from "./embedded";
import { DEMO_MODEL } from "./opencode-config";
import { EventLog } from "./test-helpers";

// One real opencode runner + Demo model for the whole file; every test uses its own session.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "fd-embedded-"));
const project = path.join(root, "project");
fs.mkdirSync(project);
fs.writeFileSync(path.join(project, "hello.txt"), "hello-world\n");

let runner: EmbeddedRunner;
let client: OpencodeClient;
let log: EventLog;

beforeAll(async () => {
  runner = await startEmbeddedRunner({
    dataDir: path.join(root, "runner"),
    directory: project,
    env: { PATH: process.env.PATH },
    deltaDelayMs: 0,
  });
  const { url } = runner.supervisor.instance!;
  client = createRunnerClient({ url, credentials: runner.supervisor.credentials }, { directory: project });
  log = await EventLog.open(client);
});

afterAll(async () => {
  log?.close();
  await runner?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

async function prompt(text: string): Promise<string> {
  const { data: session } = await client.session.create({}, { throwOnError: true });
  await client.session.promptAsync(
    { sessionID: session.id, model: DEMO_MODEL, parts: [{ type: "text", text }] },
    { throwOnError: true },
  );
  return session.id;
}

const isIdle = (sessionID: string) => (e: Event) => e.type === "session.idle" && e.properties.sessionID === sessionID;

async function settled(sessionID: string) {
  await log.waitFor(isIdle(sessionID), 30_000, `session ${sessionID} to go idle`);
  const { data } = await client.session.messages({ sessionID }, { throwOnError: true });
  return data;
}

async function run(text: string) {
  const sessionID = await prompt(text);
  return { sessionID, messages: await settled(sessionID) };
}

const partsOf = (messages: { parts: Part[] }[]) => messages.flatMap((m) => m.parts);
const textOf = (messages: { info: { role: string }; parts: Part[] }[]) =>
  partsOf(messages.filter((m) => m.info.role === "assistant"))
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("");
const toolParts = (messages: { parts: Part[] }[], tool: string) =>
  partsOf(messages).filter((p): p is ToolPart => p.type === "tool" && p.tool === tool);

describe("embedded runner", () => {
  it("is healthy, reports its version, and offers the Demo model and the usual agents", async () => {
    const { url } = runner.supervisor.instance!;
    expect(await fetchRunnerHealth({ url, credentials: runner.supervisor.credentials })).toEqual({
      healthy: true,
      version: "1.18.33",
    });
    expect(runner.usesDemoModel).toBe(true);
    const { providers } = await listProviders(client);
    expect(providers.find((p) => p.id === "flightdeck-demo")?.models.demo).toMatchObject({ id: "demo", name: "Demo model" });
    const agents = (await listAgents(client)).map((a) => a.name);
    expect(agents).toEqual(expect.arrayContaining(["build", "general"]));
    for (const internal of ["compaction", "summary", "title"]) expect(agents).not.toContain(internal);
  });

  it("streams the scripted text into the session, with usage and a title", async () => {
    const { sessionID, messages } = await run("demo:text");
    expect(textOf(messages)).toMatch(/^This is the Demo model streaming plain text\./);
    const answer = messages.find((m) => m.info.role === "assistant")!.info as AssistantMessage;
    expect(answer.tokens.input).toBeGreaterThan(100);
    expect(answer.tokens.output).toBeGreaterThan(10);
    expect(answer.finish).toBe("stop");
    await log.waitFor(
      (e) => e.type === "session.updated" && e.properties.sessionID === sessionID && e.properties.info.title === "Demo: text scenario",
      10_000,
      "the generated title",
    );
  });

  it("runs the real read tool and answers from its output", async () => {
    const { messages } = await run("demo:read=hello.txt");
    const [read] = toolParts(messages, "read");
    expect(read?.state).toMatchObject({ status: "completed", input: { filePath: path.join(project, "hello.txt") } });
    expect(read?.state.status === "completed" && read.state.output).toContain("hello-world");
    expect(textOf(messages)).toContain("hello-world");
  });

  it("nests sub-agents two deep, linked by parentID and by the task parts' metadata", async () => {
    const { sessionID, messages } = await run("demo:task=2");
    const { data: children } = await client.session.children({ sessionID }, { throwOnError: true });
    expect(children).toHaveLength(1);
    const child = children[0]!;
    const { data: grandchildren } = await client.session.children({ sessionID: child.id }, { throwOnError: true });
    expect(grandchildren).toHaveLength(1);
    const grandchild = grandchildren[0]!;
    expect(child.parentID).toBe(sessionID);
    expect(grandchild.parentID).toBe(child.id);
    expect(child.title).toMatch(/\(@general subagent\)$/);

    const [rootTask] = toolParts(messages, "task");
    expect(rootTask?.state).toMatchObject({ status: "completed", metadata: { sessionId: child.id, parentSessionId: sessionID } });
    const childMessages = (await client.session.messages({ sessionID: child.id }, { throwOnError: true })).data;
    expect(toolParts(childMessages, "task")[0]?.state).toMatchObject({ status: "completed", metadata: { sessionId: grandchild.id } });
    const leafMessages = (await client.session.messages({ sessionID: grandchild.id }, { throwOnError: true })).data;
    expect(toolParts(leafMessages, "read")[0]?.state.status).toBe("completed");
    // The leaf's answer travels up through both task results.
    expect(textOf(messages)).toContain("I read");
  });

  it("asks permission for the scripted command over /event, and finishes once allowed", async () => {
    const sessionID = await prompt("demo:permission");
    const asked = await log.waitFor(
      (e): e is Extract<Event, { type: "permission.asked" }> =>
        e.type === "permission.asked" && e.properties.sessionID === sessionID,
      30_000,
      "permission.asked",
    );
    expect(asked.properties).toMatchObject({ permission: "bash", patterns: [PERMISSION_COMMAND] });
    await client.permission.reply({ requestID: asked.properties.id, reply: "once" }, { throwOnError: true });
    const messages = await settled(sessionID);
    expect(log.events).toContainEqual(
      expect.objectContaining({ type: "permission.replied", properties: expect.objectContaining({ sessionID, reply: "once" }) }),
    );
    const [bash] = toolParts(messages, "bash");
    expect(bash?.callID).toBe(asked.properties.tool?.callID);
    expect(bash?.state.status).toBe("completed");
    expect(textOf(messages)).toContain("flightdeck-permission-granted");
  });

  it("turns a failed model stream into a session error and an assistant message error", async () => {
    const sessionID = await prompt("demo:error");
    const error = await log.waitFor(
      (e) => e.type === "session.error" && e.properties.sessionID === sessionID,
      30_000,
      "session.error",
    );
    expect(JSON.stringify(error.properties)).toContain("failed on purpose");
    // The message's error lands after session.idle.
    await log.waitFor(
      (e) => e.type === "message.updated" && e.properties.sessionID === sessionID && Boolean((e.properties.info as AssistantMessage).error),
      10_000,
      "the assistant message error",
    );
    const messages = await settled(sessionID);
    const answer = messages.find((m) => m.info.role === "assistant")!.info as AssistantMessage;
    expect(JSON.stringify(answer.error)).toContain("failed on purpose");
  });

  it("keeps a hung stream busy until the session is aborted", async () => {
    const sessionID = await prompt("demo:hang");
    await log.waitFor(
      (e) => e.type === "message.part.delta" && e.properties.sessionID === sessionID && e.properties.delta.includes("silent"),
      30_000,
      "the last delta before the silence",
    );
    const { data: status } = await client.session.status({}, { throwOnError: true });
    expect(status[sessionID]?.type).toBe("busy");
    await client.session.abort({ sessionID }, { throwOnError: true });
    const messages = await settled(sessionID);
    const answer = messages.find((m) => m.info.role === "assistant")!.info as AssistantMessage;
    expect(answer.error?.name).toBe("MessageAbortedError");
  });
});
