import { describe, expect, it } from "vitest";
import { encodeCompletion, encodeStream, type CompletionChunk, type Frame } from "./encode";
import { chatRequestSchema } from "./request";
import { callTool, say, think, type Script } from "./script";

const request = chatRequestSchema.parse({ model: "demo", messages: [{ role: "user", content: "x".repeat(400) }] });
let ids = 0;
const opts = () => ({ id: "chatcmpl-1", created: 1, newCallId: () => `call_${++ids}` });

const chunks = (frames: Frame[]) =>
  frames.flatMap((f) => (f.kind === "chunk" ? [f.chunk] : [])) as CompletionChunk[];
const deltas = (frames: Frame[]) => chunks(frames).map((c) => c.choices[0]?.delta ?? {});

describe("encodeStream", () => {
  it("sends role, text deltas, finish 'stop', then a usage-only chunk", () => {
    const frames = [...encodeStream(request, say("Hello big world"), opts())];
    const all = chunks(frames);
    expect(all[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    expect(deltas(frames).map((d) => d.content ?? "").join("")).toBe("Hello big world");
    expect(all.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    const usage = all.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 4 });
    expect(usage.usage!.prompt_tokens).toBeGreaterThanOrEqual(100);
    expect(usage.usage!.total_tokens).toBe(usage.usage!.prompt_tokens + usage.usage!.completion_tokens);
  });

  it("sends reasoning as reasoning_content and counts it as reasoning tokens", () => {
    const frames = [...encodeStream(request, [...think("a".repeat(40)), ...say("ok")], opts())];
    expect(deltas(frames).map((d) => d.reasoning_content ?? "").join("")).toBe("a".repeat(40));
    expect(chunks(frames).at(-1)?.usage?.completion_tokens_details.reasoning_tokens).toBe(10);
  });

  it("streams each tool call as name first, then JSON arguments, and finishes with 'tool_calls'", () => {
    const script: Script = [callTool("read", { filePath: "/a" }), callTool("bash", { command: "ls" })];
    const frames = [...encodeStream(request, script, opts())];
    const toolDeltas = deltas(frames).flatMap((d) => d.tool_calls ?? []);
    expect(toolDeltas).toHaveLength(4);
    expect(toolDeltas[0]).toMatchObject({ index: 0, type: "function", function: { name: "read", arguments: "" } });
    expect(toolDeltas[0]?.id).toMatch(/^call_/);
    expect(toolDeltas[1]).toEqual({ index: 0, function: { arguments: '{"filePath":"/a"}' } });
    expect(toolDeltas[2]).toMatchObject({ index: 1, function: { name: "bash" } });
    expect(toolDeltas[2]?.id).not.toBe(toolDeltas[0]?.id);
    expect(chunks(frames).at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("stops at a failure or a hang: no finish reason, no usage", () => {
    for (const end of [{ type: "fail", message: "boom" }, { type: "hang" }] as const) {
      const frames = [...encodeStream(request, [...say("partial"), end], opts())];
      expect(frames.at(-1)).toEqual(end.type === "fail" ? { kind: "fail", message: "boom" } : { kind: "hang" });
      expect(chunks(frames).some((c) => c.usage || c.choices[0]?.finish_reason)).toBe(false);
    }
  });
});

describe("encodeCompletion", () => {
  it("puts the whole answer in one message with tool calls and usage", () => {
    const body = encodeCompletion(request, [...think("hmm"), ...say("Use it"), callTool("read", { filePath: "/a" })], opts());
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "Use it",
      reasoning_content: "hmm",
      tool_calls: [{ type: "function", function: { name: "read", arguments: '{"filePath":"/a"}' } }],
    });
    expect(body.choices[0]?.finish_reason).toBe("tool_calls");
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });
});
