import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompletionChunk } from "./encode";
import { startScriptedModel, type ScriptedModel } from "./server";

let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel({ deltaDelayMs: 0 });
});
afterAll(() => model.close());

function body(prompt: string, stream = true) {
  return JSON.stringify({ model: "demo", stream, messages: [{ role: "user", content: prompt }] });
}

function post(m: ScriptedModel, prompt: string, stream = true, signal?: AbortSignal) {
  return fetch(`${m.baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body(prompt, stream),
    signal,
  });
}

function sseData(raw: string): string[] {
  return raw
    .split("\n\n")
    .filter((r) => r.startsWith("data: "))
    .map((r) => r.slice(6));
}

/** SSE `data:` payloads in arrival order, each with the time it arrived. */
async function records(res: Response): Promise<{ data: string; at: number }[]> {
  const out: { data: string; at: number }[] = [];
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const record = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (record.startsWith("data: ")) out.push({ data: record.slice(6), at: Date.now() });
    }
  }
  return out;
}

const parse = (data: string) => JSON.parse(data) as CompletionChunk;
const text = (recs: { data: string }[]) =>
  recs
    .filter((r) => r.data.startsWith("{"))
    .map((r) => parse(r.data).choices?.[0]?.delta?.content ?? "")
    .join("");

describe("scripted model over HTTP", () => {
  it("listens on 127.0.0.1 only", async () => {
    expect(model.url).toBe(`http://127.0.0.1:${model.port}`);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal);
    if (external) {
      await expect(fetch(`http://${external.address}:${model.port}/v1/models`)).rejects.toThrow();
    }
    const models = await (await fetch(`${model.baseURL}/models`)).json();
    expect(models.data[0].id).toBe("demo");
  });

  it("streams chat.completion.chunk records ending in usage and [DONE]", async () => {
    const res = await post(model, "demo:text");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const recs = await records(res);
    expect(recs.at(-1)?.data).toBe("[DONE]");
    expect(text(recs)).toMatch(/^This is the Demo model streaming plain text\./);
    const chunks = recs.slice(0, -1).map((r) => parse(r.data));
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("paces words when asked, so a UI sees the answer grow", async () => {
    const paced = await startScriptedModel({ deltaDelayMs: 25 });
    try {
      const recs = await records(await post(paced, "demo:text"));
      const words = recs.filter((r) => r.data.startsWith("{") && parse(r.data).choices[0]?.delta.content).length;
      expect(recs.at(-1)!.at - recs[0]!.at).toBeGreaterThanOrEqual((words - 1) * 25 * 0.8);
    } finally {
      await paced.close();
    }
  });

  it("streams 5,000 deltas fast", async () => {
    const started = Date.now();
    const recs = await records(await post(model, "demo:long"));
    const contentChunks = recs.filter((r) => r.data.startsWith("{") && parse(r.data).choices[0]?.delta.content);
    expect(contentChunks).toHaveLength(5000);
    expect(text(recs).trim().endsWith("5000")).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("answers a non-streaming request with one chat.completion", async () => {
    const res = await post(model, "demo:reasoning", false);
    const json = await res.json();
    expect(json.object).toBe("chat.completion");
    expect(json.choices[0].message.content).toContain("Done thinking.");
    expect(json.choices[0].message.reasoning_content).toContain("I will think");
  });

  it("fails mid-stream with a non-transient error record (opencode retries transient ones forever)", async () => {
    const recs = await records(await post(model, "demo:error"));
    expect(text(recs)).toContain("Starting an answer");
    const last = JSON.parse(recs.at(-1)!.data);
    expect(last.error.message).toMatch(/failed on purpose/);
    expect(last.error.type).toBe("invalid_request_error");
    expect(recs.some((r) => r.data === "[DONE]")).toBe(false);

    const res = await post(model, "demo:error", false);
    expect(res.status).toBe(400);
  });

  it("refuses every call as overloaded, streamed or not, with a retry-after opencode honours", async () => {
    for (const stream of [true, false]) {
      const res = await post(model, "demo:retry", stream);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(await res.json()).toEqual({ error: { message: "The Demo model is overloaded (demo:retry).", type: "server_error" } });
    }
  });

  it("hangs after some text until the server closes, and close() does not wait for it", async () => {
    const hanging = await startScriptedModel({ deltaDelayMs: 0 });
    const res = await post(hanging, "demo:hang");
    const reader = res.body!.getReader();
    const first = sseData(new TextDecoder().decode((await reader.read()).value));
    expect(text(first.map((data) => ({ data })))).toBe("Starting an answer, then going silent...");
    const silent = await Promise.race([reader.read().then(() => "data"), new Promise((r) => setTimeout(r, 300, "silent"))]);
    expect(silent).toBe("silent");
    const started = Date.now();
    await hanging.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return "ended";
      })(),
    ).rejects.toThrow();
  });

  it("rejects a request that is not a chat completion", async () => {
    const res = await fetch(`${model.baseURL}/chat/completions`, { method: "POST", body: '{"messages": "nope"}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/invalid request/);
    expect((await fetch(`${model.url}/elsewhere`)).status).toBe(404);
  });
});
