import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { startScriptedModel, type ScriptedModel } from "~/server/model";
import { createRunnerClient } from "./client";
import { startEmbeddedRunner, type EmbeddedRunner } from "./embedded";
import { DEMO_MODEL } from "./opencode-config";
import { EventLog } from "./test-helpers";

// `npm start` serves the Demo model from its own process and hands the app its URL
// (FLIGHTDECK_DEMO_MODEL_URL): the embedded runner answers through that model and leaves it be.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "fd-embedded-model-"));
let model: ScriptedModel | undefined;
let runner: EmbeddedRunner | undefined;

afterAll(async () => {
  await runner?.stop();
  await model?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

it("answers through a Demo model already serving elsewhere, and leaves it serving when it stops", async () => {
  model = await startScriptedModel({ deltaDelayMs: 0 });
  const project = path.join(root, "project");
  fs.mkdirSync(project);
  runner = await startEmbeddedRunner({ dataDir: path.join(root, "runner"), directory: project, env: { PATH: process.env.PATH }, modelUrl: model.url });
  expect(runner.model.baseURL).toBe(model.baseURL);

  const client = createRunnerClient({ url: runner.supervisor.instance!.url, credentials: runner.supervisor.credentials }, { directory: project });
  const log = await EventLog.open(client);
  const { data: session } = await client.session.create({}, { throwOnError: true });
  await client.session.promptAsync({ sessionID: session.id, model: DEMO_MODEL, parts: [{ type: "text", text: "hello" }] }, { throwOnError: true });
  await log.waitFor((e) => e.type === "session.idle" && e.properties.sessionID === session.id, 30_000, "the turn to end");
  log.close();
  const { data: messages } = await client.session.messages({ sessionID: session.id }, { throwOnError: true });
  const answer = messages.filter((m) => m.info.role === "assistant").flatMap((m) => m.parts).map((p) => (p.type === "text" ? p.text : "")).join("");
  expect(answer.length).toBeGreaterThan(0);

  await runner.stop();
  runner = undefined;
  const models = await fetch(`${model.baseURL}/models`);
  expect(models.status).toBe(200);
}, 90_000);
