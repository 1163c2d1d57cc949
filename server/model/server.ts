import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { encodeCompletion, encodeStream, type EncodeOptions, type Frame } from "./encode";
import { chatRequestSchema, type ChatRequest } from "./request";
import { planReply } from "./scenarios";
import type { Script } from "./script";

export const DEMO_MODEL_ID = "demo";

export type ScriptedModelOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Pause before each word of text or reasoning so streaming is visible; 0 for tests. */
  deltaDelayMs?: number;
};

export type ScriptedModel = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** What an OpenAI-compatible client wants: url + "/v1". */
  baseURL: string;
  port: number;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 32 * 1024 * 1024;
// Batching SSE records into fewer socket writes keeps `demo:long` fast without merging deltas.
const FLUSH_BYTES = 64 * 1024;

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, status: number, message: string) {
  sendJson(res, status, { error: { message, type: status >= 500 ? "server_error" : "invalid_request_error" } });
}

function scriptedError(message: string) {
  return { message, type: "invalid_request_error", code: "demo_scripted_failure" };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    parts.push(part);
  }
  return Buffer.concat(parts).toString("utf8");
}

function newEncodeOptions(): EncodeOptions {
  return {
    id: `chatcmpl-${randomUUID()}`,
    created: Math.floor(Date.now() / 1000),
    newCallId: () => `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
  };
}

function write(res: http.ServerResponse, data: string): Promise<void> | void {
  if (res.write(data)) return;
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function isPaced(frame: Frame, deltaDelayMs: number): boolean {
  if (deltaDelayMs <= 0 || frame.kind !== "chunk") return false;
  const delta = frame.chunk.choices[0]?.delta;
  return Boolean(delta?.content || delta?.reasoning_content);
}

export async function startScriptedModel(options: ScriptedModelOptions = {}): Promise<ScriptedModel> {
  const deltaDelayMs = options.deltaDelayMs ?? 20;
  // Responses held open on purpose (demo:hang); close() ends them.
  const held = new Set<http.ServerResponse>();

  function hold(res: http.ServerResponse) {
    held.add(res);
    res.on("close", () => held.delete(res));
  }

  async function stream(request: ChatRequest, script: Script, res: http.ServerResponse) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let buffer = "";
    const flush = async () => {
      if (buffer) await write(res, buffer);
      buffer = "";
    };
    const frames = encodeStream(request, script, newEncodeOptions());
    for (const frame of frames) {
      if (res.destroyed) return;
      if (frame.kind === "hang") {
        await flush();
        hold(res);
        return;
      }
      if (frame.kind === "fail") {
        await flush();
        // An error record in the stream is how OpenAI-compatible servers report a failure after
        // the 200 status went out. Its type must not look transient ("server_error", 5xx, a cut
        // connection): opencode retries those forever, and the turn would never fail visibly.
        res.end(`data: ${JSON.stringify({ error: scriptedError(frame.message) })}\n\n`);
        return;
      }
      if (isPaced(frame, deltaDelayMs)) {
        await flush();
        await sleep(deltaDelayMs);
      }
      buffer += `data: ${JSON.stringify(frame.chunk)}\n\n`;
      if (buffer.length >= FLUSH_BYTES) await flush();
    }
    buffer += "data: [DONE]\n\n";
    await flush();
    res.end();
  }

  function complete(request: ChatRequest, script: Script, res: http.ServerResponse) {
    const ending = script.at(-1);
    if (ending?.type === "hang") return hold(res);
    if (ending?.type === "fail") return sendJson(res, 400, { error: scriptedError(ending.message) });
    sendJson(res, 200, encodeCompletion(request, script, newEncodeOptions()));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const route = new URL(req.url ?? "/", "http://localhost").pathname.replace(/^\/v1/, "");
    if (req.method === "GET" && route === "/models") {
      return sendJson(res, 200, { object: "list", data: [{ id: DEMO_MODEL_ID, object: "model", owned_by: "flightdeck" }] });
    }
    if (req.method !== "POST" || route !== "/chat/completions") return sendError(res, 404, "not found");
    let json: unknown;
    try {
      json = JSON.parse(await readBody(req));
    } catch (err) {
      return sendError(res, 400, `unreadable request: ${(err as Error).message}`);
    }
    const parsed = chatRequestSchema.safeParse(json);
    if (!parsed.success) return sendError(res, 400, `invalid request: ${parsed.error.message}`);
    const script = planReply(parsed.data);
    const refusal = script[0]?.type === "refuse" ? script[0] : undefined;
    if (refusal) {
      // A 5xx with a server_error type is what opencode takes as transient, and retries.
      res.setHeader("retry-after", String(refusal.retryAfterS));
      return sendError(res, refusal.status, refusal.message);
    }
    if (parsed.data.stream) return stream(parsed.data, script, res);
    complete(parsed.data, script, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) sendError(res, 500, err.message);
      else res.destroy(err);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
